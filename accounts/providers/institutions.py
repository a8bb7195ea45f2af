"""allauth's OpenID Connect and SAML providers with Commonplace's checks mixed in
(accounts.institutions), put in their place by SOCIALACCOUNT_PROVIDERS'
``provider_class`` (config/settings.py), so every view that makes a provider, allauth's
SAML views included, gets these. The OIDC URLs stay allauth's (``package``); the SAML
ones are allauth's paths and names with views loaded on first use
(accounts/providers/saml/urls.py), so python3-saml stays out of workers that never
need it."""

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.saml.provider import SAMLProvider

from accounts.institutions import InstitutionOIDCMixin, InstitutionSAMLMixin


class InstitutionOIDCProvider(InstitutionOIDCMixin, OpenIDConnectProvider):
    package = "allauth.socialaccount.providers.openid_connect"


class InstitutionSAMLProvider(InstitutionSAMLMixin, SAMLProvider):
    package = "accounts.providers.saml"
