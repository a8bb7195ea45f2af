from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "references"
    verbose_name = "References"

    def ready(self):
        from references import participation, signals  # noqa: F401

        participation.register_columns()
