from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def notifications(request):
    """The header bell's unread count: counted (one query) only if a page shows it,
    and only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.for_recipient(user).unread().count()
        )
    }
