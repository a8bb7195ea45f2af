"""allauth's OpenID Connect and SAML providers with Commonplace's checks mixed in
(accounts.institutions), put in their place by SOCIALACCOUNT_PROVIDERS'
``provider_class`` (config/settings.py), so every view that makes a provider, allauth's
SAML views included, gets these. Their URLs stay allauth's (``package``)."""

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.saml.provider import SAMLProvider

from accounts.institutions import InstitutionOIDCMixin, InstitutionSAMLMixin


class InstitutionOIDCProvider(InstitutionOIDCMixin, OpenIDConnectProvider):
    package = "allauth.socialaccount.providers.openid_connect"


class InstitutionSAMLProvider(InstitutionSAMLMixin, SAMLProvider):
    package = "allauth.socialaccount.providers.saml"
