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


def publish_due_posts(*, now):
    """Publish the scheduled posts whose time has come, oldest first; returns them."""
    due = Post.objects.due(now).order_by("published_at", "pk").values_list("pk", flat=True)
    published = []
    for pk in list(due[:BATCH]):
        post = publish_post_if_due(pk=pk, now=now)
        if post is not None:
            published.append(post)
    return published


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
