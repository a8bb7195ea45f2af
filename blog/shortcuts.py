"""Lookups several views share (blog's, and other apps' course-scoped pages).

Each rule has one name: a page that needs it calls it, and nothing re-derives it.
"""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404

from blog import robots
from blog.models import Course, Post
from config.db import DirectQuery

POSTS_PER_PAGE = 10


def _signed_in_course_queryset(user_id, course_slug):
    reader = SimpleNamespace(pk=user_id, is_authenticated=True)
    return Course.objects.with_viewer_role(reader).filter(slug=course_slug).order_by()


# A signed-in reader's course lookup runs on every course page, cached or not (a member's
# hit looks the course up before its copy): its two subqueries (the role, the reader's
# instructors-only posts) are compiled once per process (config.db). The placeholders
# appear nowhere else in its parameters.
SIGNED_IN_COURSE_QUERY = DirectQuery(
    _signed_in_course_queryset, user_id=-730_113_572, course_slug="\x00course slug\x00"
)


def readable_course_or_404(request, course_slug):
    """The course, or 404 when it doesn't exist or is private to its members. The
    reader's role comes with the course (one query for both)."""
    user = request.user
    if user.is_authenticated:
        course = SIGNED_IN_COURSE_QUERY.get(user_id=user.pk, course_slug=course_slug)
        if course is None:
            raise Http404("No such course.")
    else:
        course = get_object_or_404(Course.objects.with_viewer_role(user), slug=course_slug)
    course.remember_role(request.user, course.viewer_role)
    if not course.can_read(request.user):
        raise Http404("No such course.")
    robots.mark(request, course)
    return course


def readable_post_or_404(request, course, post_slug, queryset=None):
    """The course's post, or 404 when it doesn't exist or the user may not read it
    (a draft is private: its existence is not revealed)."""
    queryset = Post.objects.select_related("author") if queryset is None else queryset
    post = get_object_or_404(queryset, course=course, slug=post_slug)
    post.course = course  # share the course (and its role cache) with the post
    if not post.can_read(request.user):
        raise Http404("No such post.")
    return post


def managed_course_or_403(request, course_slug):
    """The course (404 if the user may not read it), if the user may run it
    (``course.can_manage``: settings, roster, participation, awards); else 403."""
    course = readable_course_or_404(request, course_slug)
    if not course.can_manage(request.user):
        raise PermissionDenied("Only the course's instructors run it.")
    return course


def denied(course, message=""):
    """The PermissionDenied a view raises when a predicate says no: its words say the
    course has ended when it has (docs/terms.md), else `message`."""
    return PermissionDenied(course.closed_message() if course.is_closed else message)


def writable_course_or_403(request, course_slug):
    """The course (404 if the user may not read it), if the user may write posts in it
    (``course.can_write_post``); else 403."""
    course = readable_course_or_404(request, course_slug)
    if not course.can_write_post(request.user):
        raise denied(course, "Join this course to write in it.")
    return course


def paginate(request, queryset, per_page=POSTS_PER_PAGE, count=None):
    """The page of `queryset` that ?page= asks for (the last page if past the end).
    ``count``, when the view knows it already, saves the COUNT query."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: this value stands in for COUNT(*)
    return paginator.get_page(request.GET.get("page"))
