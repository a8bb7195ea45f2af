from django.apps import AppConfig


class LtiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lti"
    verbose_name = "LMS connections (LTI 1.3)"

    def ready(self):
        from django.apps import apps

        if apps.is_installed("assignments"):
            from lti import receivers  # noqa: F401  (grades go back to the LMS)
