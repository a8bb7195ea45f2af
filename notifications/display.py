"""What notifications adds to other apps' pages (registered in notifications/hooks.py)."""

from django.db.models import Count
from django.utils.functional import SimpleLazyObject

from config.db import PreparedQuery, count_of
from notifications.models import Notification

# The bell's count: asked on every signed-in page, so compiled once (config.db).
UNREAD_COUNT = PreparedQuery(
    lambda user_id: (
        Notification.objects.filter(recipient_id=user_id)
        .unread()
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("n")
    ),
    user_id=-730_113_591,
)


def unread_count(user):
    rows = UNREAD_COUNT.rows(user_id=user.pk)
    return rows[0][0] if rows else 0


def with_unread_count(users):
    """A reader loader (hooks.READER_LOADERS): the bell's count on the reader's row."""
    return users.annotate(unread_notifications=count_of(Notification.objects.unread(), "recipient"))


def nav_bell_context(request, obj=None):
    """The header bell, for signed-in users: the unread count that came with the user
    (with_unread_count), else counted (one query) only when the header is rendered."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    count = getattr(user, "unread_notifications", None)
    if count is None:
        count = SimpleLazyObject(lambda: unread_count(user))
    return {"unread_notification_count": count}
