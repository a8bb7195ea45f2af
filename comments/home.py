"""The home page's "New on your posts" panel: recent comments on the reader's posts
and replies to their comments, by other people, on posts they may read."""

from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast, Concat

from blog.models import Post, is_site_staff
from comments.models import Comment
from config.db import ids_of

HOME_ACTIVITY_LIMIT = 5


def home_activity(request, obj=None):
    user = request.user
    if not user.is_authenticated:
        return None
    comments = (
        Comment.objects.approved()
        .filter(Q(post__author=user) | Q(parent__author=user))
        .filter(post__in=Post.objects.published().visible_to(user))
        .exclude(author=user)
        .select_related("post__course", "author", "parent")
        .order_by("-created")[:HOME_ACTIVITY_LIMIT]
    )
    comments = list(comments)
    for comment in comments:
        comment.replies_to_viewer = bool(comment.parent and comment.parent.author_id == user.pk)
    return {"home_comments": comments}


def home_activity_kept_by(request, courses):
    """What the panel shows is kept by (``Part.kept_by``): the versions of the courses
    home lists (every comment on a post the reader may read there bumps its course's
    pages_version, and so do names and memberships) and of the courses of the reader's
    own posts (which they read wherever they are: ``with_authored_courses`` brings
    them with the reader's row). Not kept for staff, who read every course, nor for a
    reader loaded without them."""
    user = request.user
    authored = getattr(user, "authored_courses", MISSING)
    if not user.is_authenticated or authored is MISSING or is_site_staff(user):
        return None
    listed = tuple(sorted((course.pk, course.pages_version) for course in courses))
    return listed, tuple(sorted((authored or "").split(",")))


MISSING = object()


def with_authored_courses(users):
    """A reader loader (hooks.READER_LOADERS): "course id.pages_version" of each of the
    reader's posts, joined, for ``home_activity_kept_by`` (no query of its own)."""
    version = Concat(
        Cast("course_id", TextField()),
        Value("."),
        Cast("course__pages_version", TextField()),
        output_field=TextField(),
    )
    return users.annotate(authored_courses=ids_of(Post.objects.all(), "author", version))
