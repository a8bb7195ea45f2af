from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

# About 20 KB of fixed HTML, the size of a post page: the floor every page is compared to.
BARE_HTML = (
    "<!doctype html><html lang='en'><head><title>Bare</title></head><body>"
    + "<p>Twenty kilobytes of fixed text stand in for a page of the same size.</p>" * 270
    + "</body></html>"
).encode()


def bare(request):
    """The floor: Django's request cycle with no database and no template."""
    return HttpResponse(BARE_HTML)


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
