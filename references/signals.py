"""references reacts to blog's events: a post's body is rendered, a course's style changes."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from blog.models import Course, Post
from references.citing import CITATION, Renderer
from references.models import Reference


@receiver(pre_save, sender=Post)
def link_citations(sender, instance, **kwargs):
    """blog has just rendered body_html from the Markdown: turn each [@key] into its
    citation in the course's style. A body without brackets costs nothing."""
    if instance.pk is None or not CITATION.search(instance.body_html):
        return
    references = Reference.objects.for_post(instance)
    renderer = Renderer(references, instance.course.citation_style)
    instance.body_html = renderer.link_citations(instance.body_html)


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
