"""Background tasks (django-tasks). Each email is one task; a mail server that fails
is logged and the task is enqueued again, later when the backend can defer tasks."""

import logging

from django.contrib.auth.models import AnonymousUser
from django_tasks import task

from assignments.models import DueReminder
from comments.models import Comment
from config.mail import deliver
from notifications import emails
from notifications.models import PRIVATE_KINDS, GuestSubscription, Notification

logger = logging.getLogger(__name__)


@task()
def send_notification_email(notification_id, attempt=1):
    notification = (
        Notification.objects.with_targets()
        .select_related("recipient", "grant__granted_by")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or not notification.target.can_read(notification.recipient):
        return "skipped"  # gone, or the recipient may no longer read what it is about
    if notification.kind in PRIVATE_KINDS and not (
        notification.target.can_see_feedback(notification.recipient)
    ):
        return "skipped"  # private feedback and grades reach only those who may read them
    message = emails.notification_message(notification)
    if message is None:
        return "skipped"
    return deliver(
        message, task=send_notification_email, attempt=attempt, notification_id=notification_id
    )


@task()
def send_guest_email(subscription_id, comment_id, attempt=1):
    subscription = (
        GuestSubscription.objects.select_related("comment__author")
        .filter(pk=subscription_id)
        .first()
    )
    comment = (
        Comment.objects.approved().select_related("post__course", "author").filter(pk=comment_id)
    ).first()
    if subscription is None or comment is None:
        return "skipped"
    if not comment.post.can_read(subscription.subscriber or AnonymousUser()):
        return "skipped"  # the follower may no longer read the discussion
    message = emails.guest_message(subscription, comment)
    return deliver(
        message,
        task=send_guest_email,
        attempt=attempt,
        subscription_id=subscription_id,
        comment_id=comment_id,
    )


@task()
def send_due_reminder_email(reminder_id, attempt=1):
    reminder = (
        DueReminder.objects.select_related("assignment__course", "student")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.assignment.course.role_of(reminder.student) is None:
        return "skipped"  # gone, or no longer in the course
    message = emails.due_reminder_message(reminder)
    if message is None:
        return "skipped"
    return deliver(message, task=send_due_reminder_email, attempt=attempt, reminder_id=reminder_id)
