from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from blog.extensions import SITE_NAV, register_part, register_reader_loader
        from notifications import receivers  # noqa: F401  (connects the receivers)
        from notifications.display import nav_bell_context, with_unread_count

        register_part(SITE_NAV, "notifications/_nav_bell.html", nav_bell_context)
        register_reader_loader(with_unread_count)
