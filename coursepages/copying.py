"""What a course's copy for a new term brings of its pages (config/hooks.py,
COURSE_COPIERS; docs/terms.md): every page, as a draft (like the instructors' posts)
with its place in the menu and its comments switch (not its comments: they were the
last term's), for the instructors to review and publish."""

from coursepages.models import Page


def copy_pages(copying):
    pages = list(Page.objects.for_course(copying.source).in_menu_order().select_related("author"))
    made = {}
    for page in sorted(pages, key=lambda page: page.parent_id is not None):  # parents first
        copy = Page(
            course=copying.target,
            author=copying.by,
            title=page.title,
            slug=page.slug,
            body=page.body,
            order=page.order,
            visibility=page.visibility,
            allows_comments=page.allows_comments,
            parent=made.get(page.parent_id),
        )
        copy.save()
        made[page.pk] = copy


def preview(course, shift):
    return {"pages": list(Page.objects.for_course(course).in_menu_order())}
