"""Site-wide middleware: request ids and the request log line; static files (whitenoise,
its table built when first needed); a friendly 503 for an unreachable database instead
of a stack trace; the Content-Security-Policy header built once; who may keep a
response (Cache-Control)."""

import functools
import logging
import re
import threading
import time
import uuid

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.string_utils import ensure_leading_trailing_slash

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
        # From META, as request.headers would give it (which builds a map of every header)
        given = request.META.get("HTTP_X_REQUEST_ID", "")
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


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise's middleware, its table of STATIC_ROOT's files (about 900, most of
    them the admin's: a StaticFile and its headers each, 1.2 MiB) built on the first
    request for a static address instead of at start. In production nginx serves
    /static/ from disk (docs/deploy.md), so an app server never builds it: built at
    start, in gunicorn's master, it was mapped into every worker's memory. A process
    that does serve static files (no nginx in front) builds it once, on the first such
    request (tens of milliseconds). With autorefresh (DEBUG) whitenoise keeps no table
    and looks each address up on disk: nothing to put off."""

    def __init__(self, get_response=None, settings=settings):
        self._pending = []  # (address prefix, the addition to the table not made yet)
        self._lock = threading.Lock()
        super().__init__(get_response, settings)
        # Only an address under one of these can be in the table.
        self._prefixes = tuple(prefix for prefix, _ in self._pending)

    def add_files(self, root, prefix=None):
        if self.autorefresh:
            super().add_files(root, prefix)
        else:
            addition = functools.partial(super().add_files, root, prefix)
            self._pending.append((ensure_leading_trailing_slash(prefix), addition))

    def add_files_from_finders(self):
        self._pending.append((self.static_prefix, super().add_files_from_finders))

    def __call__(self, request):
        if self._pending and request.path_info.startswith(self._prefixes):
            with self._lock:  # a threaded server: one thread builds, the others wait
                for _, addition in self._pending:
                    addition()
                self._pending = []
        return super().__call__(request)


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


# What a view's django-csp decorators (@csp_exempt, @csp_update, @csp_replace, and their
# report-only forms) leave on its response: such a response gets django-csp's own path.
CSP_OVERRIDES = tuple(
    f"_csp_{kind}{suffix}"
    for kind in ("exempt", "config", "update", "replace")
    for suffix in ("", "_ro")
)
NONCE_STANDIN = "0nonce0standin0"  # base64 never makes it: it has no run of 0s this long


@functools.cache
def csp_header(*, report_only, with_nonce):
    """The header django-csp builds from settings, with a stand-in for the nonce."""
    return build_policy(nonce=NONCE_STANDIN if with_nonce else None, report_only=report_only)


def forget_csp_headers(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        csp_header.cache_clear()


setting_changed.connect(forget_csp_headers)


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, building the header once per process. django-csp builds
    it from settings on every response (about 0.1 ms, a fifth of an anonymous page cache
    hit, docs/decisions.md); it differs between responses only by the request's nonce,
    which is put in its place here. Responses a view changed the policy of, and debug
    error pages, take django-csp's own path."""

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or any(hasattr(response, name) for name in CSP_OVERRIDES)
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        ):
            policy = csp_header(report_only=report_only, with_nonce=nonce is not None)
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
            if policy and not request.path_info.startswith(tuple(excluded or ())):
                response[header] = policy.replace(NONCE_STANDIN, nonce) if nonce else policy
        if nonce is None:  # as django-csp: a nonce asked for after the header is an error
            request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
