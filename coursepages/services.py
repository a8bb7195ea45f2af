"""Writes to a course's pages. Each bumps the course's versions in its transaction:
the menu is on every page of the course (course, posts, pages), so a page added,
renamed, reordered, published or removed changes all of them (blog/versions.py)."""

from django.db import transaction

from blog import versions

ACTIONS = {"draft", "publish", "schedule", "update", "unpublish"}


@transaction.atomic
def save_page(*, page, action, publish_at=None, **values):
    """Set `values` (PageForm's fields) on `page`, then draft, publish, schedule (to go
    live at `publish_at`, an aware datetime: coursepages/scheduling.py), update or
    unpublish it ("draft" also takes a scheduled page back to a draft). Returns it."""
    for name, value in values.items():
        setattr(page, name, value)
    if action == "publish":
        page.publish()
    elif action == "schedule":
        if page.is_published or publish_at is None:
            raise ValueError("Only a page not yet published is scheduled, for a later time.")
        page.schedule(publish_at)
    elif action == "unpublish" or (action == "draft" and page.is_scheduled):
        page.unpublish()
    page.full_clean(exclude=["slug", "author"])
    page.save()
    versions.changed(course=page.course)
    return page


@transaction.atomic
def delete_page(*, page):
    """Delete it; the pages under it move to the top level of the menu."""
    versions.changed(course=page.course)
    page.delete()
