"""The course menu: the posts stream, then the top-level pages in order, each with the
pages under it. One query, in a part of blog's COURSE_HEADER slot (coursepages/hooks.py),
so the course page, its post pages and its pages show the same menu."""

from dataclasses import dataclass, field

from django.urls import reverse

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
    """The published pages of the course this reader may read, in menu order."""
    return (
        Page.objects.for_course(course)
        .published()
        .visible_to(user)
        .in_menu_order()
        .only("pk", "title", "slug", "parent_id", "order")
    )


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
