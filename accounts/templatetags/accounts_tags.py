from django import template

from accounts.avatars import avatar_of

register = template.Library()


@register.simple_tag
def avatar(person, size=""):
    """``{% avatar person "lg" %}``: the person's picture or initials (accounts.avatars)."""
    return avatar_of(person, size)
