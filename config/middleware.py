"""Turn an unreachable database into a friendly 503 instead of a stack trace."""

from django.conf import settings
from django.db import InterfaceError, OperationalError

from config.views import database_unavailable


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
