from django import template
from django.urls import reverse

from accounts import names
from accounts.avatars import avatar_of
from config import hooks

register = template.Library()


@register.simple_tag
def avatar(person, size=""):
    """``{% avatar person "lg" %}``: the person's picture or initials (accounts.avatars)."""
    return avatar_of(person, size)


@register.simple_tag(takes_context=True)
def shown_name(context, person, course=None):
    """``{% shown_name post.author course as author %}``: the name this page's reader
    sees of person (accounts.names.shown_name: ``{{ author }}``, ``author.links``,
    ``{% avatar author %}``). The reader's role in the course comes with the page's
    lookup (role_of's cache): no query."""
    request = context.get("request")
    return names.shown_name(person, course, getattr(request, "user", None))


@register.simple_tag
def account_links():
    """``{% account_links as links %}``: other apps' account settings pages
    (config.hooks.ACCOUNT_LINKS), each with its address."""
    return [
        {"url": reverse(link.url_name), "label": link.label, "current": link.current}
        for link in hooks.ACCOUNT_LINKS
    ]
