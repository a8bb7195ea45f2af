from django import template

from accounts.social import provider_of

register = template.Library()


@register.filter
def signed_in_with(request):
    """``{{ request|signed_in_with }}``: "WordPress.com", "Facebook" or None."""
    return provider_of(request)
