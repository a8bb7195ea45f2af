"""Reactions to blog's events: every published version of a post is kept, and a
scheduled response is submitted when it goes live."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from blog.models import Post
from blog.signals import post_went_live


@receiver(post_save, sender=Post, dispatch_uid="assignments.snapshot_published_post")
def snapshot_published_post(sender, instance, raw=False, **kwargs):
    if raw or not instance.is_published:
        return
    from assignments.models import PostSnapshot

    PostSnapshot.objects.record(instance)


@receiver(post_went_live, dispatch_uid="assignments.submit_scheduled_response")
def submit_scheduled_response(sender, post, **kwargs):
    from assignments import services

    services.submit_when_live(post=post)
