"""WordPress.com as an allauth OAuth2 provider.

The profile comes from the REST API's "me" endpoint, which answers with keys
such as ``ID``, ``username``, ``display_name``, ``email``, ``email_verified``,
``avatar_URL`` and ``profile_URL``.
"""

from allauth.account.models import EmailAddress
from allauth.core.internal.datakit import parse_bool_safely
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from accounts.providers.wordpress_com.views import WordPressComOAuth2Adapter


class WordPressComAccount(ProviderAccount):
    def get_profile_url(self):
        return self.account.extra_data.get("profile_URL")

    def get_avatar_url(self):
        return self.account.extra_data.get("avatar_URL")

    def to_str(self):
        data = self.account.extra_data
        return data.get("display_name") or data.get("username") or super().to_str()


class WordPressComProvider(OAuth2Provider):
    id = "wordpress_com"
    name = "WordPress.com"
    account_class = WordPressComAccount
    oauth2_adapter_class = WordPressComOAuth2Adapter

    def get_default_scope(self):
        return ["auth"]

    def extract_uid(self, data):
        return str(data["ID"])

    def extract_common_fields(self, data):
        return {
            "username": data.get("username"),
            "name": data.get("display_name"),
            "email": data.get("email"),
            "email_verified": data.get("email_verified"),
        }

    def extract_email_addresses(self, data):
        email = data.get("email")
        if not email:
            return []
        verified = parse_bool_safely(data.get("email_verified"))
        return [EmailAddress(email=email, verified=verified, primary=True)]


provider_classes = [WordPressComProvider]
