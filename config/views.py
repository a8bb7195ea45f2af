"""Site-wide error views. They render without a request context so they never
touch the database (which may be the thing that is down)."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger("commonplace.errors")

RETRY_AFTER_SECONDS = 30


def database_unavailable(request):
    logger.error("Database unavailable while serving %s", request.path, exc_info=True)
    body = loader.get_template("503.html").render({"request_path": request.path})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: a 503 when the cause is an unreachable database, else a plain 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        return database_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())


def media(request, path):
    """Uploaded files, served by Django when SERVE_MEDIA is on (never in production)."""
    from django.conf import settings
    from django.views.static import serve

    return serve(request, path, document_root=settings.MEDIA_ROOT)
