from django.conf import settings


def site(request):
    """The site's name and tagline, for the header, titles, meta tags and emails; and
    whether it is institution-only (docs/sso.md: no local sign-up links then)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "INSTITUTION_ONLY": bool(getattr(settings, "INSTITUTION_ONLY", False)),
    }
