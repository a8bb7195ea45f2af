"""The page of a course page, cached like a post's (the pagecache package, blog/pages.py).

Every change to a course's pages bumps the course (coursepages.services), and what
the page shows besides its own text (the course's name, the menu, people's names)
changes with ``Course.common_version`` too: so that version keys its copies, with the
page's own ``page_version`` (its comments: comments.services bumps it as it bumps a
post's) and, for an anonymous reader, its ``likes_version`` (its comments' likes, holes
of a signed-in reader's copy). A signed-in reader's copy is kept per role in the course.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from blog import robots
from comments.models import Comment, with_reader_comment_likes
from coursepages.models import Page
from pagecache.pages import CachedPage


class PageDetail(CachedPage):
    version_fields = ("course__common_version", "page_version")
    hole_version_fields = ("likes_version",)

    def versions_query(self, course_slug, page_slug):
        return Page.objects.filter(course__slug=course_slug, slug=page_slug)

    def lookup(self, request, course_slug, page_slug):
        """The page, its course and the reader's role in one query; 404 when they may
        not read it (a draft's existence is private, as a members-only page's is)."""
        user = request.user
        queryset = Page.objects.select_related("course", "author").with_viewer_role(user)
        # Whether it has comments (a page with comments off and none draws no
        # discussion, and asks no query for it) and the reader's likes of them, for
        # the Like holes (comments.threads).
        queryset = with_reader_comment_likes(queryset, user, field="page").annotate(
            has_comments=Exists(Comment.objects.filter(page=OuterRef("pk")))
        )
        page = get_object_or_404(queryset, course__slug=course_slug, slug=page_slug)
        page.course.remember_role(user, page.viewer_role)
        if not page.course.can_read(user) or not page.can_read(user):
            raise Http404("No such page.")
        robots.mark(request, page.course)
        return page

    def standing(self, request, page):
        return (page.course.role_of(request.user),)


PAGE = PageDetail()
