from django.apps import AppConfig


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = "WordPress imports"

    def ready(self):
        from blog.extensions import register_manage_tab
        from blog.models import Course
        from imports import claims  # noqa: F401  (connects the claim receivers)

        register_manage_tab("import", "Import", "imports:import_start", Course.can_import)
