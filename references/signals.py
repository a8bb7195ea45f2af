"""references reacts to blog's events: a course's citation style changes."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from blog.models import Course


@receiver(pre_save, sender=Course)
def remember_style(sender, instance, **kwargs):
    if instance.pk:
        old = Course.objects.filter(pk=instance.pk).values_list("citation_style", flat=True)
        instance._old_citation_style = next(iter(old), None)


@receiver(post_save, sender=Course)
def restyle(sender, instance, created, **kwargs):
    old = getattr(instance, "_old_citation_style", None)
    if not created and old is not None and old != instance.citation_style:
        from references.services import render_course

        render_course(course=instance)
