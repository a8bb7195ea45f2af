"""allauth's OpenID Connect and SAML providers with Commonplace's checks mixed in
(accounts.institutions), put in their place by SOCIALACCOUNT_PROVIDERS'
``provider_class`` (config/settings.py), so every view that makes a provider, allauth's
SAML views included, gets these. The OIDC URLs are allauth's paths and names with an
adapter that always checks the ID token's signature (accounts/providers/oidc); the SAML
ones are allauth's paths and names with views loaded on first use
(accounts/providers/saml/urls.py), so python3-saml stays out of workers that never
need it."""

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.socialaccount.providers.saml.provider import SAMLProvider

from accounts.institutions import InstitutionOIDCMixin, InstitutionSAMLMixin, verify_id_token


class InstitutionOIDCAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token):
        """Every ID token's signature is checked against the issuer's published keys
        (its JWKS, cached in the shared cache), also when it came over TLS from the
        token endpoint, where allauth would skip it."""
        return verify_id_token(
            self.request, self.get_provider(), self.openid_config, app.client_id, id_token
        )


class InstitutionOIDCProvider(InstitutionOIDCMixin, OpenIDConnectProvider):
    package = "accounts.providers.oidc"
    oauth2_adapter_class = InstitutionOIDCAdapter


class InstitutionSAMLProvider(InstitutionSAMLMixin, SAMLProvider):
    package = "accounts.providers.saml"
