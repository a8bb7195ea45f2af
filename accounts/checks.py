from django.conf import settings
from django.core.checks import Warning, register


@register("security", deploy=True)
def social_stub_login_check(app_configs, **kwargs):
    """Warn when the stand-in social login is enabled on a non-DEBUG site."""
    if getattr(settings, "SOCIAL_STUB_LOGIN", False) and not settings.DEBUG:
        return [
            Warning(
                "SOCIAL_STUB_LOGIN is on while DEBUG is off: anyone can sign in as any "
                "WordPress.com or Facebook identity through the local stand-in page.",
                hint="Unset SOCIAL_STUB_LOGIN and configure provider credentials.",
                id="accounts.W001",
            )
        ]
    return []


@register("security")
def social_credentials_check(app_configs, **kwargs):
    """A provider with a client id but no secret would fail at the token exchange."""
    warnings = []
    for provider_id, config in getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}).items():
        for app in config.get("APPS") or []:
            if app.get("client_id") and not app.get("secret"):
                warnings.append(
                    Warning(
                        f"The {provider_id} login has a client id but no secret.",
                        hint=f"Set {provider_id.upper()}_CLIENT_SECRET in the environment.",
                        id="accounts.W002",
                    )
                )
    return warnings
