"""The SAML provider's URLs (the same paths and names as allauth's own), with views that
import allauth's SAML views, and with them python3-saml, xmlsec and lxml, on their first
request: a site whose people never sign in over SAML keeps those libraries out of every
worker (tests/test_foundation.py; docs/decisions.md, "Heavy libraries load when they are used")."""

from importlib import import_module

from django.urls import include, path, re_path


def _lazy(name):
    def view(request, *args, **kwargs):
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
