"""What notifications adds to other apps' pages, through blog's page parts."""

from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def nav_bell_context(request, obj=None):
    """The header bell, for signed-in users; its unread count is counted (one query)
    only when the header is rendered."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.for_recipient(user).unread().count()
        )
    }
