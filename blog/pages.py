"""blog's cached pages: home, a course, a post. Each is defined once here (what it shows
a reader, the versions and standing its copies are kept under) for both page caches,
anonymous and signed-in (the ``pagecache`` package); its view in blog/views/reading.py
draws it (``@cached_page(POST)`` on ``post_detail(request, course_slug, post_slug)``,
which asks ``POST.found(...)`` for the post).

The versions are the columns blog.versions bumps; which page reads which:

| page   | versions                                         | standing (signed in)           |
|--------|--------------------------------------------------|--------------------------------|
| home   | the listed courses' pages_version, and which     | the listed courses, and the    |
|        | courses they are (open ones, and a member's own) | reader's role in each          |
| course | the course's pages_version                       | the reader's role              |
| post   | its course's common_version, its page_version    | role, wrote the post or not    |
|        | (anonymous: and its likes_version)               |                                |
"""

import hashlib
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404

from blog import robots, services
from blog.extensions import with_post_page_loaders
from blog.models import Course, Post
from blog.shortcuts import readable_course_or_404
from config.db import DirectQuery, PreparedQuery
from pagecache.pages import CachedPage


def listed_courses(user):
    """The courses home lists for this reader: the open ones, and their own."""
    listed = Q(visibility=Course.Visibility.PUBLIC)
    if user.is_authenticated:
        listed |= Q(memberships__user_id=user.pk)
    return Course.objects.filter(listed).distinct()


def _signed_in_home_queryset(user_id):
    reader = SimpleNamespace(pk=user_id, is_authenticated=True)
    return listed_courses(reader).with_viewer_role(reader)


# Every signed-in hit of home runs it: compiled once (config.db).
HOME_QUERY = DirectQuery(_signed_in_home_queryset, user_id=-730_113_561)


def own_restricted(request, course):
    """A reader who wrote instructors-only posts here sees them in the course's lists
    (Post.can_read); nobody else of their role does, so their copy is their own: the
    reader's id, else None (``viewer_restricted_posts`` comes with the lookup's
    query, Course.with_viewer_role)."""
    if getattr(course, "viewer_restricted_posts", False) and not course.teaches(request.user):
        return request.user.pk
    return None


class HomePage(CachedPage):
    """Home lists courses, and posts of them: its copies are kept under the listed
    courses' versions and which courses they are, the same rule for every reader (an
    anonymous reader's listed courses are the open ones); a signed-in reader's also
    under their role in each."""

    version_fields = ("pk", "pages_version")

    def versions_query(self):
        return listed_courses(AnonymousUser())

    def versions(self, rows):
        listed = ",".join(str(pk) for pk in sorted(pk for pk, _ in rows))
        digest = hashlib.sha256(listed.encode()).hexdigest()[:16]
        return (sum(version for _, version in rows), digest)

    def lookup(self, request):
        """The listed courses, with the reader's role in each: one query."""
        user = request.user
        if user.is_authenticated:
            courses = HOME_QUERY.all(user_id=user.pk)
        else:
            courses = list(listed_courses(user).with_viewer_role(user))
        for course in courses:  # the cards' names ask role_of (accounts.names)
            course.remember_role(user, course.viewer_role)
        return courses

    def rows_of(self, courses):
        return [(course.pk, course.pages_version) for course in courses]

    def standing(self, request, courses):
        return tuple(
            sorted(
                (course.pk, course.viewer_role or "", own_restricted(request, course))
                for course in courses
            )
        )


class CoursePage(CachedPage):
    version_fields = ("pages_version",)

    def versions_query(self, course_slug):
        return Course.objects.filter(slug=course_slug)

    def lookup(self, request, course_slug):
        return readable_course_or_404(request, course_slug)

    def standing(self, request, course):
        return (course.role_of(request.user), own_restricted(request, course))


def post_page_queryset(user):
    """The post page's one query: post, author, course, the reader's role and Like, the
    like count, and what other apps' post page loaders join."""
    return (
        with_post_page_loaders(Post.objects.select_related("author", "course"), user)
        .with_like_counts()
        .with_viewer_role(user)
        .with_viewer_like(user)
    )


def _signed_in_post_page_queryset(user_id, course_slug, slug):
    reader = SimpleNamespace(pk=user_id, is_authenticated=True)
    return post_page_queryset(reader).filter(course__slug=course_slug, slug=slug).order_by()


# Placeholders that appear nowhere else in the query's parameters (config.db).
POST_PAGE_QUERY = DirectQuery(
    _signed_in_post_page_queryset,
    user_id=-730_113_571,
    course_slug="\x00course slug\x00",
    slug="\x00post slug\x00",
)


def _anonymous_post_page_queryset(course_slug, slug):
    reader = AnonymousUser()
    return post_page_queryset(reader).filter(course__slug=course_slug, slug=slug).order_by()


# A signed-out reader's, run on each miss (drawing a page): building and compiling it
# cost about 2 ms, running it under 1 ms.
ANONYMOUS_POST_PAGE_QUERY = PreparedQuery(
    _anonymous_post_page_queryset,
    course_slug="\x00course slug\x00",
    slug="\x00post slug\x00",
)


class PostPage(CachedPage):
    version_fields = ("course__common_version", "page_version")
    # Its comments' like counts: holes of a signed-in reader's copy (comments.threads,
    # LikeCounts), part of an anonymous reader's page.
    hole_version_fields = ("likes_version",)

    def versions_query(self, course_slug, post_slug):
        return Post.objects.filter(course__slug=course_slug, slug=post_slug)

    def lookup(self, request, course_slug, post_slug):
        """The post for this reader: post, course, the reader's role and Like and the
        like count in one query. 404 when they may not read it."""
        user = request.user
        if user.is_authenticated:  # every signed-in GET runs it: compiled once (config.db)
            post = POST_PAGE_QUERY.get(user_id=user.pk, course_slug=course_slug, slug=post_slug)
        else:
            post = ANONYMOUS_POST_PAGE_QUERY.get(course_slug=course_slug, slug=post_slug)
        if post is None:
            raise Http404("No such post.")
        course = post.course
        course.remember_role(user, post.viewer_role)
        if not course.can_read(user) or not post.can_read(user):
            raise Http404("No such post.")
        robots.mark(request, course)
        if post.is_pinned and course.sees_announcements(user):  # opened: no longer new
            services.record_announcement_seen(post=post, user=user)
        return post

    def standing(self, request, post):
        return (post.course.role_of(request.user), post.is_by(request.user))


HOME = HomePage()
COURSE = CoursePage()
POST = PostPage()
