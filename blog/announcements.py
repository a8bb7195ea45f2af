"""Pinned announcements as the course page and home show them: for each member, with a
"new" mark until they open the post (docs/design.md, Announcements).

Both pages are kept for signed-in readers as skeletons (docs/architecture.md, Page
cache), so the announcements are a ``{% per_viewer %}`` block: drawn by the view for
the reader who drew the page, filled for every other reader from these functions
(blog/hooks.py registers them as VIEWER_CONTEXTS). Each asks ONE query at the time the
page is shown (none when the page's lookup found no live pin in its courses:
``has_announcements``, CourseQuerySet.with_viewer_role), so a pin that expires, and a
"new" mark once its reader has opened the post, need no write to any page version.
"""

from django.utils import timezone

from blog.models import Post

SHOWN = 5  # at most, newest pinned first


def _announcements(user, course_ids):
    if not course_ids:
        return []
    posts = (
        Post.objects.visible_to(user)
        .pinned_now(timezone.now())
        .filter(course_id__in=course_ids)
        .select_related("course")
        .only("title", "slug", "pinned_at", "pinned_until", "course__slug", "course__title")
        .with_viewer_seen(user)
        .order_by("-pinned_at", "-pk")
    )
    return list(posts[:SHOWN])


def for_course(request, course):
    """``{"announcements": [...]}`` for the course page: members and staff only."""
    if not course.sees_announcements(request.user) or not course.has_announcements:
        return {"announcements": []}
    return {"announcements": _announcements(request.user, [course.pk])}


def for_home(request, courses):
    """``{"announcements": [...]}`` of the reader's own courses, for their home (the
    courses are home's lookup: each with the reader's ``viewer_role``)."""
    own = [course.pk for course in courses if course.viewer_role and course.has_announcements]
    return {"announcements": _announcements(request.user, own), "announcement_courses": True}
