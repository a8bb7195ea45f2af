"""Absolute addresses for sharing tags, and search snippets: no queries."""

from django import template

from blog import media

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_uri(context, path):
    """The full address of a path on this site (as the reader's request reached it)."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def absolute_media_uri(context, name, course=None):
    return context["request"].build_absolute_uri(media.image_url(name, course))


@register.filter
def search_snippet(post, query):
    return post.search_snippet(query)
