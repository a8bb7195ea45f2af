"""What blog adds to other apps' pages and to its own extension points (config/hooks.py)."""

from blog import announcements, embeds, participation, scheduling
from blog.profile import posts_section
from blog.templatetags import blog_tags
from blog.views.likes import post_likes_viewer_context
from config import hooks
from config.hooks import Column, Filler, ScheduledPublisher, ViewerContext

hooks.PROFILE_SECTIONS.register(posts_section, order=10)

# A post's embeds and images from the web, from their records (blog/embeds.py).
hooks.BODY_FILTERS.register(embeds.body_filter, order=10)

column = hooks.PARTICIPATION_COLUMNS.register
column(Column("posts_published", "Posts published", participation.posts_published), order=10)
column(Column("likes_given", "Likes given", participation.post_likes_given), order=30)
column(Column("likes_received", "Likes received", participation.post_likes_received), order=40)
column(Column("last_activity", "Last activity", participation.last_post, "max"), order=90)
column(Column("last_activity", "Last activity", participation.last_post_like, "max"), order=90)

# The holes of pages kept for signed-in readers (the pagecache package): per-viewer page
# parts and {% per_viewer %} blocks, and what the post's Like block is filled with.
hooks.HOLE_FILLERS.register(Filler("part", blog_tags.fill_part))
hooks.HOLE_FILLERS.register(Filler("block", blog_tags.fill_block))
hooks.VIEWER_CONTEXTS.register(
    ViewerContext("post_like", post_likes_viewer_context, kept_by=blog_tags.reader_and_post)
)
# The header's name, Sign out and bell (includes/header.html) show the reader's row alone
# (the bell's count comes with it): kept per reader by each process.
hooks.VIEWER_CONTEXTS.register(ViewerContext("header", kept_by=blog_tags.reader_row))
hooks.VIEWER_CONTEXTS.register(ViewerContext("header_bar", kept_by=blog_tags.reader_row))

# Scheduled posts go live at their time (blog/scheduling.py).
hooks.SCHEDULED_PUBLISHERS.register(
    ScheduledPublisher(
        "posts",
        scheduling.publish_due_posts,
        scheduled_in=scheduling.scheduled_posts,
        nouns=("post", "posts"),
    ),
    order=10,
)

# Pinned announcements on the course page and home: filled for each reader when the page
# is shown, so expiry and the "new" mark need no version (blog/announcements.py).
hooks.VIEWER_CONTEXTS.register(ViewerContext("course_announcements", announcements.for_course))
hooks.VIEWER_CONTEXTS.register(ViewerContext("home_announcements", announcements.for_home))
