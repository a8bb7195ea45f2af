"""The course menu: the posts stream, then the top-level pages in order, each with the
pages under it. One query, in a part of blog's COURSE_HEADER slot (coursepages/hooks.py),
so the course page, its post pages and its pages show the same menu."""

from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import User
from blog.models import is_site_staff
from config.db import PreparedQuery
from coursepages.models import Page


@dataclass
class MenuItem:
    title: str
    url: str
    current: bool = False
    children: list = field(default_factory=list)

    @property
    def has_current(self):
        return self.current or any(child.current for child in self.children)


def menu_pages(course, user):
    """The published pages of the course this reader may read, in menu order: the query
    compiled once per process for each kind of reader (building and compiling it cost
    more than running it, on every drawn page of a course)."""
    if is_site_staff(user):
        return MENU_QUERIES["staff"].all(course_id=course.pk)
    if user.is_authenticated:
        return MENU_QUERIES["member"].all(course_id=course.pk, user_id=user.pk)
    return MENU_QUERIES["anonymous"].all(course_id=course.pk)


def _menu_query(reader, course_id, user_id=None):
    user = {
        "staff": User(pk=-1, is_staff=True),
        "member": User(pk=user_id),
        "anonymous": AnonymousUser(),
    }[reader]
    return (
        Page.objects.filter(course_id=course_id)
        .published()
        .visible_to(user)
        .in_menu_order()
        .only("pk", "title", "slug", "parent_id", "order")
    )


MENU_QUERIES = {
    reader: PreparedQuery(
        partial(_menu_query, reader),
        course_id=-730_113_801,
        **({"user_id": -730_113_802} if reader == "member" else {}),
    )
    for reader in ("staff", "member", "anonymous")
}


def build_menu(course, pages, *, current_slug=None, on_stream=False):
    """[MenuItem]: "Posts" (the stream), then the top-level pages with their children.
    A child whose parent this reader can't see stands at the top level."""
    url = lambda page: reverse(  # noqa: E731
        "coursepages:page_detail", kwargs={"course_slug": course.slug, "page_slug": page.slug}
    )
    items = {
        page.pk: MenuItem(page.title, url(page), current=page.slug == current_slug)
        for page in pages
    }
    top = [MenuItem("Posts", course.get_absolute_url(), current=on_stream)]
    for page in pages:
        parent = items.get(page.parent_id)
        (parent.children if parent is not None else top).append(items[page.pk])
    return top


def course_menu(request, course):
    """COURSE_HEADER's part: None (no menu) for a course without pages this reader sees."""
    match = request.resolver_match
    name = match.view_name if match else ""
    pages = list(menu_pages(course, request.user))
    if not pages:
        return None
    current = match.kwargs.get("page_slug") if name == "coursepages:page_detail" else None
    menu = build_menu(course, pages, current_slug=current, on_stream=name == "blog:course_detail")
    return {"menu": menu, "menu_course": course}


def page_links(request, course):
    """COURSE_INSTRUCTOR_LINKS: the course's pages, for those who write them."""
    return {} if course.can_write_pages(request.user) else None
