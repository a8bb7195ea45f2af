from django.urls import path

from blog import feeds, terms
from blog.views import announcements, courses, editor, invitations, likes, manage, reading

app_name = "blog"
urlpatterns = [
    path("join/", courses.course_join, name="course_join"),
    path("courses/new/", courses.course_create, name="course_create"),
    path("my/posts/", reading.my_posts, name="my_posts"),
    path("search/", reading.search, name="search"),
    path("feed/rss/", feeds.SiteFeed(), name="site_feed_rss"),
    path("feed/atom/", feeds.SiteAtomFeed(), name="site_feed_atom"),
    path("sitemap.xml", reading.sitemap, name="sitemap"),
    path("robots.txt", reading.robots_txt, name="robots_txt"),
    path("c/<slug:course_slug>/", reading.course_detail, name="course_detail"),
    path("c/<slug:course_slug>/write/", editor.post_create, name="post_create"),
    path("c/<slug:course_slug>/preview/", editor.post_preview, name="post_preview"),
    path("c/<slug:course_slug>/images/", editor.body_image_upload, name="body_image_upload"),
    path(
        "c/<slug:course_slug>/join-code/",
        courses.course_join_code_regenerate,
        name="course_join_code_regenerate",
    ),
    # Instructor pages ("manage" is a reserved post slug).
    path("c/<slug:course_slug>/manage/settings/", manage.course_settings, name="course_settings"),
    path("c/<slug:course_slug>/manage/roster/", manage.course_roster, name="course_roster"),
    path(
        "c/<slug:course_slug>/manage/invitations/",
        invitations.invitation_create,
        name="invitation_create",
    ),
    path(
        "c/<slug:course_slug>/manage/invitations/<int:invitation_id>/cancel/",
        invitations.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path(
        "c/<slug:course_slug>/manage/roster/<int:membership_id>/role/",
        manage.membership_role,
        name="membership_role",
    ),
    path(
        "c/<slug:course_slug>/manage/roster/<int:membership_id>/remove/",
        manage.membership_remove,
        name="membership_remove",
    ),
    path("c/<slug:course_slug>/manage/term/", terms.course_term, name="course_term"),
    path("c/<slug:course_slug>/manage/term/close/", terms.course_close, name="course_close"),
    path("c/<slug:course_slug>/manage/term/reopen/", terms.course_reopen, name="course_reopen"),
    path("c/<slug:course_slug>/manage/term/copy/", terms.course_copy, name="course_copy"),
    path(
        "c/<slug:course_slug>/manage/participation/",
        manage.course_participation,
        name="course_participation",
    ),
    path(
        "c/<slug:course_slug>/topics/<slug:topic_slug>/", reading.topic_detail, name="topic_detail"
    ),
    path("c/<slug:course_slug>/people/<str:username>/", reading.author_posts, name="author_posts"),
    # Course-level pages before the post routes: their words are reserved post slugs.
    path("c/<slug:course_slug>/search/", reading.search, name="course_search"),
    path(
        "c/<slug:course_slug>/archive/<int:year>/<int:month>/",
        reading.course_archive,
        name="course_archive",
    ),
    path("c/<slug:course_slug>/feed/rss/", feeds.CourseFeed(), name="course_feed_rss"),
    path("c/<slug:course_slug>/feed/atom/", feeds.CourseAtomFeed(), name="course_feed_atom"),
    path(
        "c/<slug:course_slug>/topics/<slug:topic_slug>/feed/rss/",
        feeds.TopicFeed(),
        name="topic_feed_rss",
    ),
    path(
        "c/<slug:course_slug>/topics/<slug:topic_slug>/feed/atom/",
        feeds.TopicAtomFeed(),
        name="topic_feed_atom",
    ),
    path(
        "c/<slug:course_slug>/people/<str:username>/feed/rss/",
        feeds.AuthorFeed(),
        name="author_feed_rss",
    ),
    path(
        "c/<slug:course_slug>/people/<str:username>/feed/atom/",
        feeds.AuthorAtomFeed(),
        name="author_feed_atom",
    ),
    path("c/<slug:course_slug>/<slug:post_slug>/", reading.post_detail, name="post_detail"),
    path("c/<slug:course_slug>/<slug:post_slug>/edit/", editor.post_edit, name="post_edit"),
    path("c/<slug:course_slug>/<slug:post_slug>/delete/", editor.post_delete, name="post_delete"),
    path("c/<slug:course_slug>/<slug:post_slug>/like/", likes.post_like, name="post_like"),
    path(
        "c/<slug:course_slug>/<slug:post_slug>/unpublish/",
        editor.post_unpublish,
        name="post_unpublish",
    ),
    path("c/<slug:course_slug>/<slug:post_slug>/pin/", announcements.post_pin, name="post_pin"),
    path(
        "c/<slug:course_slug>/<slug:post_slug>/unpin/", announcements.post_unpin, name="post_unpin"
    ),
]
