from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "references"
    verbose_name = "References"

    def ready(self):
        from references import signals  # noqa: F401  (connects the receivers)
