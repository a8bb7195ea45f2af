from django.apps import AppConfig


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = "WordPress imports"

    def ready(self):
        from imports import claims  # noqa: F401  (connects the claim receivers)
