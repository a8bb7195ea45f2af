"""Every email the site sends leaves through the task queue, after the commit.

A request renders its email (templates, links, the words) while it still has the
request, then ``queue_email`` enqueues the finished message as plain values once the
transaction commits: a mail server that is down, slow or refusing never turns a page
into a 500, and a rolled-back sign-up sends nothing. ``send_email`` is the task; a
failure is logged and retried later, with the notification emails' attempt limit and
delay (NOTIFICATION_EMAIL_ATTEMPTS, NOTIFICATION_EMAIL_RETRY_DELAY).
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def message_values(message):
    """A message as JSON-friendly values (what a queued task may carry)."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "content_subtype": message.content_subtype,
    }


def message_from(values):
    alternatives = values.get("alternatives", [])
    message = EmailMultiAlternatives(
        subject=values["subject"],
        body=values["body"],
        from_email=values["from_email"],
        to=values["to"],
        cc=values.get("cc"),
        bcc=values.get("bcc"),
        reply_to=values.get("reply_to"),
        headers=values.get("headers"),
    )
    message.content_subtype = values.get("content_subtype", "plain")
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message


def queue_email(message):
    """Send an already rendered message from the task queue once the transaction commits."""
    transaction.on_commit(partial(send_email.enqueue, message=message_values(message)))


@task()
def send_email(message, attempt=1):
    """Send one rendered message; on failure log it and enqueue it again, up to the limit."""
    return deliver(message_from(message), task=send_email, attempt=attempt, message=message)


def deliver(email, *, task, attempt, **arguments):
    """Send email; on failure log it and enqueue `task` again with `arguments` and the
    next attempt number, up to NOTIFICATION_EMAIL_ATTEMPTS (every email task uses this)."""
    try:
        email.send()
    except Exception as error:
        limit = settings.NOTIFICATION_EMAIL_ATTEMPTS
        if attempt >= limit:
            logger.error("Gave up emailing %s after %d attempts: %r", email.to, attempt, error)
            return "failed"
        logger.warning(
            "Could not email %s (attempt %d of %d), will retry: %r",
            email.to,
            attempt,
            limit,
            error,
        )
        retry = task
        if task.get_backend().supports_defer:
            delay = timedelta(seconds=settings.NOTIFICATION_EMAIL_RETRY_DELAY)
            retry = task.using(run_after=timezone.now() + delay)
        retry.enqueue(attempt=attempt + 1, **arguments)
        return "retrying"
    return "sent"
