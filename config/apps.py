from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with Commonplace's site (config/admin.py) as admin.site."""

    default_site = "config.admin.CommonplaceAdminSite"


class HooksConfig(AppConfig):
    """Commonplace's own start-up: every app's hooks.py registers (config/hooks.py)."""

    name = "config"
    label = "commonplace"
    verbose_name = "Commonplace"

    def ready(self):
        from config import hooks

        hooks.autodiscover()
