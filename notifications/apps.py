from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from blog.extensions import SITE_BAR, register_part, register_reader_loader
        from notifications import receivers  # noqa: F401  (connects the receivers)
        from notifications.display import nav_bell_context, with_unread_count

        # Beside the phone's Menu button, not inside the menu: the count shows at once.
        register_part(SITE_BAR, "notifications/_nav_bell.html", nav_bell_context)
        register_reader_loader(with_unread_count)
