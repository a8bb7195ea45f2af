"""The SAML provider's URLs (the same paths and names as allauth's own), with views that
import allauth's SAML views, and with them python3-saml, xmlsec and lxml, on their first
request: a site whose people never sign in over SAML keeps those libraries out of every
worker (tests/test_foundation.py; docs/decisions.md, "Heavy libraries load when they are
used").

Before allauth's view runs: a request without a Host header, or with one the site does
not answer to, is a 400 (python3-saml builds every URL from that header and would fail
with a 500); and where the IdP's configuration is read from its metadata URL, the
metadata is fetched first, so an IdP that does not answer is the failure page (502)."""

import logging
from importlib import import_module

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest
from django.urls import include, path, re_path

logger = logging.getLogger(__name__)

# The views that read the IdP's configuration (the login view does it in the provider's
# redirect, which already turns an IdP that does not answer into the failure page).
_NEEDS_IDP = ("finish_acs", "sls", "metadata")


def _bad_host(request):
    if not request.META.get("HTTP_HOST"):
        return HttpResponseBadRequest("A Host header is required.", content_type="text/plain")
    try:
        request.get_host()
    except DisallowedHost:
        return HttpResponseBadRequest("This site does not answer to that host.", "text/plain")
    return None


def _idp_unavailable(request, organization_slug):
    """The failure page when the IdP's configuration (its metadata) cannot be had; None
    when it can (allauth keeps it in the cache, so its view does not fetch it again)."""
    from allauth.core.exceptions import ImmediateHttpResponse
    from allauth.socialaccount.providers.saml.utils import build_saml_config, get_app_or_404

    from accounts.institutions import Refused

    app = get_app_or_404(request, organization_slug)
    if not app.settings.get("idp", {}).get("metadata_url"):
        return None
    try:
        build_saml_config(request, app.settings, organization_slug)
    except Exception as error:  # noqa: BLE001 - urllib, lxml or python3-saml, all refusals
        logger.warning("SAML IdP metadata for %s unavailable: %s", organization_slug, error)
        reason = "unreachable" if isinstance(error, OSError) else "misconfigured"
        from allauth.socialaccount.helpers import render_authentication_error

        try:
            return render_authentication_error(
                request, app.get_provider(request), exception=Refused(reason, str(error))
            )
        except ImmediateHttpResponse as page:
            return page.response
    return None


def _lazy(name):
    def view(request, *args, **kwargs):
        refused = _bad_host(request)
        if refused is None and name in _NEEDS_IDP:
            refused = _idp_unavailable(request, kwargs["organization_slug"])
        if refused is not None:
            return refused
        views = import_module("allauth.socialaccount.providers.saml.views")
        return getattr(views, name)(request, *args, **kwargs)

    view.csrf_exempt = name in ("acs", "sls")  # the IdP posts to these, as in allauth's
    view.__name__ = name
    return view


urlpatterns = [
    re_path(
        r"^saml/(?P<organization_slug>[^/]+)/",
        include(
            [
                path("acs/", _lazy("acs"), name="saml_acs"),
                path("acs/finish/", _lazy("finish_acs"), name="saml_finish_acs"),
                path("sls/", _lazy("sls"), name="saml_sls"),
                path("metadata/", _lazy("metadata"), name="saml_metadata"),
                path("login/", _lazy("login"), name="saml_login"),
            ]
        ),
    )
]
