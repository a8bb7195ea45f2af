from django.apps import AppConfig


class BadgesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "badges"
    verbose_name = "Open Badges"

    def ready(self):
        from badges import receivers  # noqa: F401  (connects to awards' grants)
