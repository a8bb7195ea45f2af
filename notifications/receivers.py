"""Reactions to other apps' events (connected in NotificationsConfig.ready)."""

from django.dispatch import receiver

from assignments.signals import due_soon, feedback_added, graded
from awards.signals import award_granted
from blog.signals import post_pinned, post_went_live
from comments.signals import comment_approved, comment_posted
from notifications import services


@receiver(comment_posted, dispatch_uid="notifications.comment_posted")
def on_comment_posted(sender, comment, notify=False, **kwargs):
    services.notify_comment_posted(comment=comment, notify=notify)


@receiver(comment_approved, dispatch_uid="notifications.comment_approved")
def on_comment_approved(sender, comment, **kwargs):
    services.notify_comment_approved(comment=comment)


@receiver(award_granted, dispatch_uid="notifications.award_granted")
def on_award_granted(sender, grant, **kwargs):
    services.notify_award_granted(grant=grant)


@receiver(feedback_added, dispatch_uid="notifications.feedback_added")
def on_feedback_added(sender, feedback, **kwargs):
    services.notify_feedback(feedback=feedback)


@receiver(due_soon, dispatch_uid="notifications.due_soon")
def on_due_soon(sender, reminder, **kwargs):
    services.remind_due(reminder=reminder)


@receiver(graded, dispatch_uid="notifications.graded")
def on_graded(sender, grade, regraded=False, **kwargs):
    services.notify_graded(grade=grade, regraded=regraded)


@receiver(post_went_live, dispatch_uid="notifications.post_went_live")
def on_post_went_live(sender, post, **kwargs):
    services.notify_post_live(post=post)


@receiver(post_pinned, dispatch_uid="notifications.post_pinned")
def on_post_pinned(sender, post, pinned_by, **kwargs):
    services.notify_announcement(post=post, pinned_by=pinned_by)
