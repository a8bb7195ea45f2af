from django.urls import path

from blog import views

app_name = "blog"
urlpatterns = [
    path("join/", views.course_join, name="course_join"),
    path("courses/new/", views.course_create, name="course_create"),
    path("my/posts/", views.my_posts, name="my_posts"),
    path("c/<slug:course_slug>/", views.course_detail, name="course_detail"),
    path("c/<slug:course_slug>/write/", views.post_create, name="post_create"),
    path("c/<slug:course_slug>/preview/", views.post_preview, name="post_preview"),
    path("c/<slug:course_slug>/images/", views.body_image_upload, name="body_image_upload"),
    path(
        "c/<slug:course_slug>/join-code/",
        views.course_join_code_regenerate,
        name="course_join_code_regenerate",
    ),
    path("c/<slug:course_slug>/topics/<slug:topic_slug>/", views.topic_detail, name="topic_detail"),
    path("c/<slug:course_slug>/people/<str:username>/", views.author_posts, name="author_posts"),
    path("c/<slug:course_slug>/<slug:post_slug>/", views.post_detail, name="post_detail"),
    path("c/<slug:course_slug>/<slug:post_slug>/edit/", views.post_edit, name="post_edit"),
    path("c/<slug:course_slug>/<slug:post_slug>/delete/", views.post_delete, name="post_delete"),
    path("c/<slug:course_slug>/<slug:post_slug>/like/", views.post_like, name="post_like"),
    path(
        "c/<slug:course_slug>/<slug:post_slug>/unpublish/",
        views.post_unpublish,
        name="post_unpublish",
    ),
]
