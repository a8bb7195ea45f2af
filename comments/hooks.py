"""What comments adds to blog's pages (config/hooks.py)."""

from comments import participation, threads
from comments.home import home_activity, home_activity_kept_by, with_authored_courses
from comments.models import with_comment_counts, with_reader_comment_likes
from comments.views import (
    comment_who_context,
    comment_who_kept_by,
    course_moderation_context,
    page_discussion_context,
    post_discussion_context,
)
from config import hooks
from config.hooks import Column, Filler, Part, ViewerContext

hooks.POST_AFTER_BODY.register(Part("comments/_discussion.html", post_discussion_context))
hooks.PAGE_AFTER_BODY.register(Part("comments/_discussion.html", page_discussion_context))
hooks.CARD_LOADERS.register(with_comment_counts)
hooks.POST_PAGE_LOADERS.register(with_reader_comment_likes)
hooks.POST_CARD_STATS.register(Part("comments/_card_stat.html"))
hooks.COURSE_INSTRUCTOR_LINKS.register(
    Part("comments/_instructor_link.html", course_moderation_context)
)
hooks.MANAGE_TABS.register(Part("comments/_manage_tab.html", course_moderation_context))
hooks.READER_LOADERS.register(with_authored_courses)
hooks.HOME.register(
    Part(
        "comments/_home_activity.html",
        home_activity,
        per_viewer=True,
        kept_by=home_activity_kept_by,
    )
)

column = hooks.PARTICIPATION_COLUMNS.register
column(Column("comments_written", "Comments written", participation.comments_written), order=20)
column(Column("likes_given", "Likes given", participation.comment_likes_given), order=30)
column(Column("likes_received", "Likes received", participation.comment_likes_received), order=40)
column(Column("last_activity", "Last activity", participation.last_comment, "max"), order=90)
column(Column("last_activity", "Last activity", participation.last_comment_like, "max"), order=90)

# A discussion's holes in pages kept for signed-in readers (comments/threads.py).
hooks.HOLE_FILLERS.register(Filler("comment_guard", threads.fill_guard))
# Most readers see a Like not pressed: a hit fills only the reader's pressed ones.
hooks.HOLE_FILLERS.register(
    Filler(
        "comment_like",
        threads.fill_like,
        default=threads.like_default,
        own=threads.own_likes,
        key=threads.like_key,
    )
)
# The same for every reader under the post's likes_version: filled once a process.
hooks.HOLE_FILLERS.register(Filler("comment_liked_by", threads.fill_liked_by, shared=True))
hooks.HOLE_FILLERS.register(Filler("comment_own", threads.fill_own))
hooks.VIEWER_CONTEXTS.register(
    ViewerContext("comment_who", comment_who_context, kept_by=comment_who_kept_by)
)
