"""Site-wide middleware: request ids and the request log line; a friendly 503 for an
unreachable database instead of a stack trace."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError

from config.logging import request_id_var
from config.views import database_unavailable

request_logger = logging.getLogger("commonplace.requests")
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Load balancers poll these: logged at DEBUG, not INFO.
QUIET_PATHS = {"/healthz", "/readyz"}


class RequestIdMiddleware:
    """Gives each request an id (the X-Request-ID it came with, if sane, else a new
    one), puts it on the response and in every log record, and logs one line per
    request when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs 4xx/5xx responses after the
        # middleware chain, and those lines must carry the id too.
        request_id_var.set(request.id)
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        user = getattr(request, "user", None)
        request_logger.log(
            logging.DEBUG if request.path in QUIET_PATHS else logging.INFO,
            "%s %s %s %.1fms",
            request.method,
            request.path[:500],
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path[:500],
                "status": response.status_code,
                "duration_ms": duration_ms,
                # Only if authentication already ran: never a query for the log.
                "user_id": getattr(getattr(user, "_wrapped", None), "pk", None),
            },
        )
        return response


class DatabaseUnavailableMiddleware:
    """Catches database connection errors raised by views (DEBUG on or off).

    Errors raised outside views reach ``config.views.server_error``, which gives
    the same 503 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable(request)
        return None


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header (settings.PERMISSIONS_POLICY) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response
