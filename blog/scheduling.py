"""Scheduled publishing: posts (and whatever else registers in
hooks.SCHEDULED_PUBLISHERS) go live by themselves at their time.

Every task worker runs ``publish_due()`` about once a minute (``manage.py db_worker``,
blog/management/commands/db_worker.py); ``manage.py publish_scheduled`` runs it once,
for cron or by hand. Several workers may run it at the same moment: each row's flip is
one conditional UPDATE, and only the worker whose UPDATE changed the row announces it
and bumps its pages (docs/architecture.md, Scheduled publishing).
"""

import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from blog import versions
from blog.models import Post
from blog.signals import post_went_live
from config.hooks import SCHEDULED_PUBLISHERS

logger = logging.getLogger("commonplace.scheduling")

# The most rows one publisher publishes in one run; the rest wait for the next run.
BATCH = 200


def publish_due(*, now=None):
    """Run every registered publisher once: {publisher key: [what it published]}. A
    publisher that fails (the database went away) is logged and tried again next run;
    the others still run."""
    now = now or timezone.now()
    published = {}
    for publisher in SCHEDULED_PUBLISHERS:
        try:
            published[publisher.key] = publisher.publish_due(now=now)
        except DatabaseError:
            logger.exception("Scheduled publishing of %s failed; next run retries", publisher.key)
            published[publisher.key] = []
    return published


def publish_each(due, flip):
    """Every publisher's loop: the pks of `due` (a queryset of rows whose time has come),
    oldest first, at most BATCH, each handed to ``flip(pk)`` (one conditional UPDATE in
    its own transaction); returns the rows `flip` published (it answers None for a row
    another worker, or a writer, got to first)."""
    pks = due.order_by("published_at", "pk").values_list("pk", flat=True)
    published = []
    for pk in list(pks[:BATCH]):
        row = flip(pk)
        if row is not None:
            published.append(row)
    return published


def publish_due_posts(*, now):
    """Publish the scheduled posts whose time has come, oldest first; returns them."""
    return publish_each(Post.objects.due(now), lambda pk: publish_post_if_due(pk=pk, now=now))


def scheduled_posts(course):
    """The course's posts waiting for their time (ScheduledPublisher.scheduled_in)."""
    return Post.objects.for_course(course).scheduled()


def waiting_in(course):
    """What waits to go live in `course`, per publisher: [(count, noun)], only those
    with any, e.g. [(2, "posts"), (1, "page")] (the course's closing page says it)."""
    waiting = []
    for publisher in SCHEDULED_PUBLISHERS:
        if publisher.scheduled_in is not None:
            count = publisher.scheduled_in(course).count()
            if count:
                waiting.append((count, publisher.nouns[count != 1]))
    return waiting


def take_back_to_drafts(course):
    """Every scheduled row of `course` (every publisher's) becomes a draft again and
    forgets its time: nothing new appears in a closed course, and reopening it publishes
    nothing by itself. The caller bumps the course's versions (close_course)."""
    for publisher in SCHEDULED_PUBLISHERS:
        if publisher.scheduled_in is not None:
            # Post's status names, which every schedulable model shares (Schedulable).
            publisher.scheduled_in(course).update(status=Post.Status.DRAFT, published_at=None)


@transaction.atomic
def publish_post_if_due(*, pk, now):
    """Flip one post from scheduled to published if it still is scheduled for now or
    earlier; the post, or None when another worker (or its author) got there first."""
    flipped = Post.objects.filter(
        pk=pk, status=Post.Status.SCHEDULED, published_at__lte=now
    ).update(status=Post.Status.PUBLISHED)
    if not flipped:
        return None
    post = Post.objects.select_related("course", "author").get(pk=pk)
    versions.changed(post=post)
    post_went_live.send(sender=Post, post=post)
    logger.info("Published scheduled post %s (%s)", post.pk, post.published_at.isoformat())
    return post
