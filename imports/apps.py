from django.apps import AppConfig


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = "WordPress imports"

    def ready(self):
        from blog.extensions import COURSE_INSTRUCTOR_LINKS, MANAGE_TABS, register_part
        from imports import claims  # noqa: F401  (connects the claim receivers)

        def if_importing(request, course):
            return {} if course.can_import(request.user) else None

        register_part(MANAGE_TABS, "imports/_manage_tab.html", if_importing, order=80)
        register_part(
            COURSE_INSTRUCTOR_LINKS, "imports/_instructor_link.html", if_importing, order=80
        )
