"""Reactions to blog's events: every published version of a post is kept."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from blog.models import Post


@receiver(post_save, sender=Post, dispatch_uid="assignments.snapshot_published_post")
def snapshot_published_post(sender, instance, raw=False, **kwargs):
    if raw or not instance.is_published:
        return
    from assignments.models import PostSnapshot

    PostSnapshot.objects.record(instance)
