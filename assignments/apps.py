from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assignments"
    verbose_name = "Assignments and grades"

    def ready(self):
        from assignments import receivers  # noqa: F401  (snapshots of published posts)
