"""Third-party sign-in: which provider a session used, and the development stand-in.

Stand-in ("stub") mode: a provider with no credentials configured, on a site
with ``SOCIAL_STUB_LOGIN`` on, keeps its button; the button leads to a local page
where one types a name and email, and that page completes a real allauth social
login for the identity typed in. ``STAND_IN_PROFILES`` shapes that identity the
way each provider's API would answer, so the provider's own parsing runs.
"""

import hashlib

from django.conf import settings
from django.http import Http404
from django.utils.text import slugify

STAND_IN_CLIENT_ID = "stand-in"
SESSION_KEY = "accounts_signed_in_with"


def stub_login_enabled():
    return bool(getattr(settings, "SOCIAL_STUB_LOGIN", False))


def stand_in_uid(email):
    """A provider user id derived from the email: the same person gets the same id."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return int(digest[:13], 16)


def _wordpress_com_profile(*, name, email, email_verified):
    uid = stand_in_uid(email)
    username = slugify(name).replace("-", "") or email.partition("@")[0]
    return {
        "ID": uid,
        "username": username,
        "display_name": name,
        "email": email,
        "email_verified": email_verified,
        "avatar_URL": "",
        "profile_URL": f"https://gravatar.com/{username}",
    }


def _facebook_profile(*, name, email, email_verified):
    first, _, last = name.partition(" ")
    return {
        "id": str(stand_in_uid(email)),
        "name": name,
        "first_name": first,
        "last_name": last,
        "email": email,
    }


STAND_IN_PROFILES = {
    "wordpress_com": _wordpress_com_profile,
    "facebook": _facebook_profile,
}


def stand_in_profile(provider_id, *, name, email, email_verified=True):
    """The provider API's answer for this identity, as the live flow would receive it."""
    return STAND_IN_PROFILES[provider_id](name=name, email=email, email_verified=email_verified)


NAME_SESSION_KEY = "accounts_signed_in_with_name"


def remember_provider(request, provider_id, name=""):
    request.session[SESSION_KEY] = provider_id
    # An institution's provider is one of many apps: its name ("Example University")
    # is kept too, so the comment form can say it without a query.
    if name:
        request.session[NAME_SESSION_KEY] = name
    else:
        request.session.pop(NAME_SESSION_KEY, None)


def forget_provider(request):
    request.session.pop(SESSION_KEY, None)
    request.session.pop(NAME_SESSION_KEY, None)


def provider_of(request):
    """Display name ("WordPress.com", "Facebook") of the provider this session signed
    in with, or None for a local login or an anonymous visitor."""
    from allauth.socialaccount.providers import registry

    if not request.user.is_authenticated:
        return None
    provider_class = registry.get_class(request.session.get(SESSION_KEY, ""))
    if provider_class:
        return provider_class.name
    return request.session.get(NAME_SESSION_KEY) or None


def institution_provider_of(request):
    """The institution's provider this session signed in with, or None."""
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.models import SocialApp

    from accounts import institutions

    sub_id = request.session.get(SESSION_KEY, "")
    if not sub_id or sub_id in STAND_IN_PROFILES:
        return None
    try:
        provider = get_adapter().get_provider(request, sub_id)
    except (SocialApp.DoesNotExist, SocialApp.MultipleObjectsReturned, Http404):
        return None
    return provider if institutions.is_institution(provider.app) else None
