from django import template
from django.urls import reverse

from accounts.avatars import avatar_of
from config import hooks

register = template.Library()


@register.simple_tag
def avatar(person, size=""):
    """``{% avatar person "lg" %}``: the person's picture or initials (accounts.avatars)."""
    return avatar_of(person, size)


@register.simple_tag
def account_links():
    """``{% account_links as links %}``: other apps' account settings pages
    (config.hooks.ACCOUNT_LINKS), each with its address."""
    return [
        {"url": reverse(link.url_name), "label": link.label, "current": link.current}
        for link in hooks.ACCOUNT_LINKS
    ]
