from django.conf import settings


def site(request):
    """The site's name, for the header, titles and emails."""
    return {"SITE_NAME": settings.SITE_NAME}
