"""Site-wide middleware: request ids and the request log line; a friendly 503 for an
unreachable database instead of a stack trace; who may keep a response (Cache-Control)."""

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


PAGE_CACHE_HEADER = "X-Page-Cache"  # pagecache.skeleton.HEADER: marks the pages it serves or stores


class CacheControlMiddleware:
    """Says who may keep each response that didn't say so itself (static files, media and
    the calendar feed do), for browsers and for any shared cache (a proxy, a CDN) on the
    way (docs/decisions.md, Cache-Control):

    - a page holding a CSRF token (any form: sign-in, the editor, a member's page with
      its sign-out button, the guest reply form): ``private, no-store``; the token is
      this reader's;
    - an anonymous reader's page from the page cache (no session): ``public, max-age=0,
      must-revalidate``: anyone may keep it, but must ask again before showing it, so a
      change shows at once there too, as it does here;
    - everything else (a signed-in reader's page, a redirect, an error, a page drawn for
      one reader's session): ``private``.

    Placed above the page cache, so its hits get the same headers as its misses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        # get_token() (or rotate_token()) ran: the page holds a token, or the response
        # sets one. CsrfViewMiddleware resets the flag to False, but leaves it there.
        if "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
            response["Cache-Control"] = "private, no-store"
        elif (
            response.has_header(PAGE_CACHE_HEADER)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
        else:
            response["Cache-Control"] = "private"
        return response
