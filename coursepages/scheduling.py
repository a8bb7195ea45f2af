"""Scheduled course pages go live by themselves at their time: the "pages" publisher of
hooks.SCHEDULED_PUBLISHERS (coursepages/hooks.py), run by every task worker through
blog.scheduling.publish_due (docs/architecture.md, Scheduled publishing).

Several workers may run it at the same moment: each page's flip is one conditional
UPDATE, and only the worker whose UPDATE changed the row bumps the course's versions
(the menu, and so every page of the course, shows the page from then on)."""

import logging

from django.db import transaction

from blog import versions
from blog.scheduling import publish_each
from coursepages.models import Page

logger = logging.getLogger("commonplace.scheduling")


def publish_due_pages(*, now):
    """Publish the scheduled pages whose time has come, oldest first; returns them."""
    return publish_each(Page.objects.due(now), lambda pk: publish_page_if_due(pk=pk, now=now))


def scheduled_pages(course):
    """The course's pages waiting for their time (ScheduledPublisher.scheduled_in)."""
    return Page.objects.for_course(course).scheduled()


@transaction.atomic
def publish_page_if_due(*, pk, now):
    """Flip one page from scheduled to published if it still is scheduled for now or
    earlier; the page, or None when another worker (or an
    instructor) got there first."""
    # The row's own columns only: a join would make Django's UPDATE "WHERE id IN
    # (SELECT ...)", whose subquery PostgreSQL doesn't check again after waiting for a
    # racing worker's lock, so both would count the row as changed.
    flipped = Page.objects.filter(
        pk=pk, status=Page.Status.SCHEDULED, published_at__lte=now
    ).update(status=Page.Status.PUBLISHED)
    if not flipped:
        return None
    page = Page.objects.select_related("course").get(pk=pk)
    versions.changed(course=page.course)
    logger.info("Published scheduled page %s (%s)", page.pk, page.published_at.isoformat())
    return page
