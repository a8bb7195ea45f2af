from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "People"  # allauth's own app is "Accounts"

    def ready(self):
        from accounts import checks  # noqa: F401  (registers system checks)
