"""Site-wide views: the error pages (they render without a request context so they
never touch the database, which may be the thing that is down), media in development
and the Content-Security-Policy report endpoint."""

import json
import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("commonplace.errors")

RETRY_AFTER_SECONDS = 30


def database_unavailable(request):
    logger.error("Database unavailable while serving %s", request.path, exc_info=True)
    context = {"request_path": request.path, "request_id": getattr(request, "id", "")}
    body = loader.get_template("503.html").render(context)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: a 503 when the cause is an unreachable database, else a plain 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        return database_unavailable(request)
    context = {"request_id": getattr(request, "id", "")}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


@never_cache
def healthz(request):
    """The process answers. Touches nothing: no database, cache or storage."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request):
    """Ready for traffic: the database, the cache and the media storage answer.
    503 naming the failing parts otherwise."""
    failing = [name for name, check in READINESS_CHECKS if not _passes(name, check)]
    if failing:
        return HttpResponse(
            f"unavailable: {', '.join(failing)}\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ready\n", content_type="text/plain")


def _passes(name, check):
    try:
        check()
    except Exception as error:
        logger.warning("Readiness check failed: %s: %s", name, error)
        return False
    return True


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache():
    if hasattr(cache, "ping"):  # Redis: ask it directly, past the degrade-to-no-cache layer
        cache.ping()
    else:
        cache.get("readyz")


def _check_storage():
    default_storage.ping()


READINESS_CHECKS = [
    ("database", _check_database),
    ("cache", _check_cache),
    ("storage", _check_storage),
]


csp_logger = logging.getLogger("commonplace.csp")


@csrf_exempt
@require_POST
def csp_report(request):
    """Where browsers report Content-Security-Policy violations: logged, answered 204.

    Browsers send no CSRF token, so the view is exempt; it writes nothing but a log
    line, reads at most CSP_REPORT_MAX_BYTES and accepts only JSON.
    """
    limit = settings.CSP_REPORT_MAX_BYTES
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return HttpResponse(status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    try:
        report = json.loads(body)
    except ValueError:
        return HttpResponseBadRequest("Expected a JSON violation report.")
    reports = report if isinstance(report, list) else [report]
    for item in reports:
        if not isinstance(item, dict):
            continue
        details = item.get("csp-report") or item.get("body") or item
        if not isinstance(details, dict):
            continue
        csp_logger.warning(
            "CSP violation on %s: %s blocked %s",
            str(details.get("document-uri") or details.get("documentURL") or "?")[:300],
            str(
                details.get("effective-directive")
                or details.get("effectiveDirective")
                or details.get("violated-directive")
                or "?"
            )[:100],
            str(details.get("blocked-uri") or details.get("blockedURL") or "?")[:300],
        )
    return HttpResponse(status=204)
