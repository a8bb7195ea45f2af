from django.apps import AppConfig


class CoursepagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coursepages"
    verbose_name = "Course pages"
