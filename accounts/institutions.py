"""Institutions: a university's identity provider, as an allauth SocialApp.

An institution is one allauth app of the ``openid_connect`` or ``saml`` provider,
configured without code: a SocialApp row in the admin ("Institutions"), or an entry
of ``SSO_INSTITUTIONS`` in the environment (docs/sso.md gives the format). What
allauth does not know about lives in the app's ``settings`` JSON beside allauth's
own keys:

- ``trusted_for_email``: an existing local account with the same, verified address
  is linked on the first institutional sign-in. Off: a new account is made.
- ``email_domains``: when set, only addresses at these domains may sign in.
- ``claim_mapping`` (OIDC) / ``attribute_mapping`` (SAML): which claim or attribute
  holds the subject, the names, the email and the affiliation.
"""

import json
import secrets

from django.core.exceptions import ImproperlyConfigured
from django.utils.http import urlencode

OIDC = "openid_connect"
SAML = "saml"
PROTOCOLS = {"oidc": OIDC, "saml": SAML}

# SAML attributes by their OID names (what Shibboleth and SimpleSAMLphp send with the
# "urn:oasis:names:tc:SAML:2.0:attrname-format:uri" format) and their friendly names.
DEFAULT_ATTRIBUTE_MAPPING = {
    "uid": [
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",  # eduPersonPrincipalName
        "eduPersonPrincipalName",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.10",  # eduPersonTargetedID
        "urn:oasis:names:tc:SAML:attribute:pairwise-id",
        "urn:oasis:names:tc:SAML:attribute:subject-id",
    ],
    "email": ["urn:oid:0.9.2342.19200300.100.1.3", "mail", "email"],
    "first_name": ["urn:oid:2.5.4.42", "givenName"],
    "last_name": ["urn:oid:2.5.4.4", "sn"],
    "name": ["urn:oid:2.16.840.1.113730.3.1.241", "displayName"],
    "affiliation": ["urn:oid:1.3.6.1.4.1.5923.1.1.1.1", "eduPersonAffiliation"],
}

DEFAULT_CLAIM_MAPPING = {
    "uid": "sub",
    "email": "email",
    "email_verified": "email_verified",
    "first_name": "given_name",
    "last_name": "family_name",
    "name": "name",
    "affiliation": "affiliation",
}

# Affiliations worth showing to an instructor, in eduPersonAffiliation's vocabulary.
SHOWN_AFFILIATIONS = ("student", "faculty", "staff", "employee", "member", "affiliate", "alum")


def is_institution(app):
    return app is not None and app.provider in (OIDC, SAML)


def trusted_for_email(app):
    return bool(app.settings.get("trusted_for_email", False))


def email_domains(app):
    return [d.strip().lower().lstrip("@") for d in app.settings.get("email_domains", []) if d]


def email_allowed(app, email):
    domains = email_domains(app)
    if not domains:
        return True
    return bool(email) and email.rpartition("@")[2].lower() in domains


def claim_mapping(app):
    return {**DEFAULT_CLAIM_MAPPING, **app.settings.get("claim_mapping", {})}


def _saml_settings(entry, slug):
    idp = {"entity_id": entry["entity_id"]}
    for key in ("metadata_url", "sso_url", "slo_url", "x509cert"):
        if entry.get(key):
            idp[key] = entry[key]
    if "metadata_url" not in idp and not ("sso_url" in idp and "x509cert" in idp):
        raise ImproperlyConfigured(
            f"SSO_INSTITUTIONS: SAML institution {slug!r} needs metadata_url, or sso_url "
            "and x509cert."
        )
    advanced = {
        # Signed requests and encrypted, signed assertions unless the entry says not.
        "authn_request_signed": entry.get("sign_requests", True),
        "logout_request_signed": entry.get("sign_requests", True),
        "logout_response_signed": entry.get("sign_requests", True),
        "want_assertion_encrypted": entry.get("encrypt_assertions", True),
        "want_assertion_signed": True,
        "want_message_signed": entry.get("want_message_signed", False),
        "x509cert": entry.get("sp_x509cert", ""),
        "private_key": entry.get("sp_private_key", ""),
        "reject_idp_initiated_sso": True,
    }
    return {
        "idp": idp,
        "verified_email": bool(entry.get("trusted_for_email", False)),
        "sp": {"entity_id": entry["sp_entity_id"]} if entry.get("sp_entity_id") else {},
        "advanced": advanced,
        "attribute_mapping": {**DEFAULT_ATTRIBUTE_MAPPING, **entry.get("attributes", {})},
    }


def _oidc_settings(entry):
    return {
        "server_url": entry["issuer"],
        "oauth_pkce_enabled": True,
        "scope": entry.get("scopes", ["openid", "profile", "email"]),
        "claim_mapping": {**DEFAULT_CLAIM_MAPPING, **entry.get("claims", {})},
        # The ID token's signature is checked even though it came over TLS.
        "fetch_userinfo": entry.get("fetch_userinfo", True),
    }


def apps_from_env(value):
    """``SSO_INSTITUTIONS`` (a JSON list, docs/sso.md) as allauth's APPS per provider:
    ``{"openid_connect": [...], "saml": [...]}``."""
    if not value:
        return {OIDC: [], SAML: []}
    try:
        entries = json.loads(value)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"SSO_INSTITUTIONS is not valid JSON: {error}") from error
    if not isinstance(entries, list):
        raise ImproperlyConfigured("SSO_INSTITUTIONS must be a JSON list of institutions.")
    apps = {OIDC: [], SAML: []}
    for entry in entries:
        protocol, app = app_from_entry(entry)
        apps[protocol].append(app)
    return apps


def app_from_entry(entry):
    """One institution (a dict in the SSO_INSTITUTIONS format, or the admin form's
    cleaned data) as (allauth provider, allauth app fields)."""
    try:
        slug, name, protocol = entry["slug"], entry["name"], PROTOCOLS[entry["protocol"]]
    except (KeyError, TypeError) as error:
        raise ImproperlyConfigured(
            "SSO_INSTITUTIONS: each institution needs slug, name and protocol "
            f'("oidc" or "saml"); missing or wrong: {error}'
        ) from error
    common = {
        "trusted_for_email": bool(entry.get("trusted_for_email", False)),
        "email_domains": list(entry.get("email_domains", [])),
    }
    if protocol == OIDC:
        if not entry.get("issuer") or not entry.get("client_id"):
            raise ImproperlyConfigured(
                f"SSO_INSTITUTIONS: OIDC institution {slug!r} needs issuer and client_id."
            )
        settings = _oidc_settings(entry)
        app = {"provider_id": slug, "name": name, "client_id": entry["client_id"]}
        app["secret"] = entry.get("secret", "")
    else:
        if not entry.get("entity_id"):
            raise ImproperlyConfigured(
                f"SSO_INSTITUTIONS: SAML institution {slug!r} needs the IdP's entity_id."
            )
        settings = _saml_settings(entry, slug)
        app = {"provider_id": slug, "name": name, "client_id": slug, "secret": ""}
    app["settings"] = {**settings, **common}
    return protocol, app


def entry_from_app(app):
    """The other way: an app's settings as the fields the admin form shows."""
    s = app.settings or {}
    entry = {
        "slug": app.provider_id or app.client_id,
        "name": app.name,
        "protocol": "saml" if app.provider == SAML else "oidc",
        "trusted_for_email": s.get("trusted_for_email", False),
        "email_domains": s.get("email_domains", []),
    }
    if app.provider == OIDC:
        entry.update(
            issuer=s.get("server_url", ""),
            client_id=app.client_id,
            secret=app.secret,
            scopes=s.get("scope", ["openid", "profile", "email"]),
            claims=s.get("claim_mapping", DEFAULT_CLAIM_MAPPING),
        )
    else:
        idp, advanced = s.get("idp", {}), s.get("advanced", {})
        entry.update(
            {
                key: idp.get(key, "")
                for key in ("entity_id", "metadata_url", "sso_url", "slo_url", "x509cert")
            },
            sp_x509cert=advanced.get("x509cert", ""),
            sp_private_key=advanced.get("private_key", ""),
            sign_requests=advanced.get("authn_request_signed", True),
            encrypt_assertions=advanced.get("want_assertion_encrypted", True),
            attributes=s.get("attribute_mapping", DEFAULT_ATTRIBUTE_MAPPING),
        )
    return entry


# ---------------------------------------------------------------------------------
# Sign-in with an institution: what Commonplace adds to allauth's two providers.
# The adapter (accounts/adapters.py) hands out these subclasses in place of allauth's
# provider objects. Every check here runs before allauth looks the person up, so a
# refused sign-in writes nothing (docs/sso.md).

NONCES_SESSION_KEY = "accounts_oidc_nonces"
REPLAY_KEY = "sso:saml:assertion:{app}:{assertion}"


class Refused(Exception):
    """A sign-in the institution's answer does not allow; ``reason`` is a key of
    FAILURE_REASONS (what the failure page tells the person and the IT desk)."""

    def __init__(self, reason, detail=""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


FAILURE_REASONS = {
    "unreachable": "The institution's sign-in service did not answer.",
    "misconfigured": "This site and the institution's sign-in service disagree about their set-up.",
    "signature": "The institution's answer was not signed with its registered key.",
    "expired": "The institution's answer arrived too late: it had expired.",
    "replayed": "The institution's answer was used before.",
    "nonce": "The institution's answer does not belong to this sign-in.",
    "audience": "The institution's answer was meant for another site.",
    "missing_attribute": "The institution did not send who you are (a required "
    "attribute is missing).",
    "domain": "This institution may only be used with its own email addresses.",
    "refused": "The institution did not let you sign in here.",
    "cancelled": "The sign-in was cancelled.",
    "unknown": "The sign-in could not be completed.",
}


def _refuse(request, provider, reason, detail=""):
    from allauth.core.exceptions import ImmediateHttpResponse
    from allauth.socialaccount.helpers import render_authentication_error

    return ImmediateHttpResponse(
        render_authentication_error(request, provider, exception=Refused(reason, detail))
    )


def _common_checks(request, provider, common):
    email = common.get("email") or ""
    if not email_allowed(provider.app, email):
        raise _refuse(request, provider, "domain", email.rpartition("@")[2])


def _remember_fields(sociallogin):
    """What the institution says now, kept before allauth swaps in a known user."""
    user = sociallogin.user
    sociallogin.institution_fields = {
        field: getattr(user, field) for field in ("first_name", "last_name", "email")
    }
    return sociallogin


class InstitutionOIDCMixin:
    """OpenID Connect with a nonce (allauth's provider sends none), PKCE on, the
    institution's claim mapping, its email domains; the IdP unreachable is a failure
    page, not a 500."""

    institution = True

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        import requests

        nonce = secrets.token_urlsafe(24)
        auth_params = kwargs.pop("auth_params", None) or self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        try:
            return super().redirect(
                request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
            )
        except (requests.RequestException, ValueError, KeyError) as error:
            raise _refuse(request, self, "unreachable", str(error)) from error

    def stash_redirect_state(self, request, process, next_url=None, data=None, **kwargs):
        state_id = super().stash_redirect_state(request, process, next_url, data, **kwargs)
        if kwargs.get("nonce"):
            nonces = request.session.get(NONCES_SESSION_KEY, {})
            # A few sign-ins may be open in tabs at once; keep the latest ten.
            nonces = dict(list(nonces.items())[-9:])
            nonces[state_id] = kwargs["nonce"]
            request.session[NONCES_SESSION_KEY] = nonces
        return state_id

    def _claims(self, data):
        return data.get("userinfo") or data.get("id_token") or data

    def extract_uid(self, data):
        return str(self._claims(data).get(claim_mapping(self.app)["uid"]) or "")

    def extract_common_fields(self, data):
        claims, mapping = self._claims(data), claim_mapping(self.app)
        return {
            key: claims.get(mapping[key])
            for key in ("email", "email_verified", "first_name", "last_name", "name")
        } | {"username": claims.get("preferred_username")}

    def sociallogin_from_response(self, request, response):
        nonces = request.session.get(NONCES_SESSION_KEY, {})
        expected = nonces.pop(request.GET.get("state", ""), None)
        if nonces:
            request.session[NONCES_SESSION_KEY] = nonces
        else:  # none left: the key goes, so the page cache may serve this session
            request.session.pop(NONCES_SESSION_KEY, None)
        got = (response.get("id_token") or {}).get("nonce")
        if not expected or not got or not secrets.compare_digest(str(got), expected):
            raise _refuse(request, self, "nonce")
        if not self.extract_uid(response):
            raise _refuse(request, self, "missing_attribute", claim_mapping(self.app)["uid"])
        userinfo, id_token = response.get("userinfo") or {}, response.get("id_token") or {}
        if userinfo and userinfo.get("sub") != id_token.get("sub"):
            # OIDC Core 5.3.2: the UserInfo answer must be about the ID token's subject.
            raise _refuse(request, self, "misconfigured", "userinfo sub differs")
        _common_checks(request, self, self.extract_common_fields(response))
        return _remember_fields(super().sociallogin_from_response(request, response))


class InstitutionSAMLMixin:
    """SAML with replay protection in the shared cache (python3-saml has none), a
    required subject, the institution's email domains, and the IdP's metadata
    unreachable as a failure page."""

    institution = True

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        import requests
        from onelogin.saml2.errors import OneLogin_Saml2_Error

        try:
            return super().redirect(request, process, next_url, data, **kwargs)
        except (requests.RequestException, OneLogin_Saml2_Error, OSError) as error:
            raise _refuse(request, self, "unreachable", str(error)) from error

    def extract_uid(self, data):
        uid = self._extract(data).get("uid")
        if uid is None and data.get_nameid_format() == (
            "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
        ):
            uid = data.get_nameid()
        return uid

    def sociallogin_from_response(self, request, response):
        from django.core.cache import cache
        from django.utils import timezone

        assertion_id = response.get_last_assertion_id()
        expires = response.get_last_assertion_not_on_or_after()
        if not assertion_id:
            raise _refuse(request, self, "signature", "no assertion id")
        seconds = max(int(expires - timezone.now().timestamp()), 1) if expires else 300
        key = REPLAY_KEY.format(app=self.app.client_id, assertion=assertion_id)
        if not cache.add(key, 1, timeout=seconds + 60):
            raise _refuse(request, self, "replayed", assertion_id)
        if not self.extract_uid(response):
            raise _refuse(request, self, "missing_attribute", "eduPersonPrincipalName")
        _common_checks(request, self, self._extract(response))
        remember_saml_session(request, response)
        return _remember_fields(super().sociallogin_from_response(request, response))


def affiliation_of(social_account, app_settings):
    """The affiliation an institution sent at the last sign-in ("student", "faculty",
    ...), or "" when it sent none we show."""
    data = social_account.extra_data or {}
    if "attribute_mapping" in app_settings or "idp" in app_settings:  # SAML
        names = app_settings.get("attribute_mapping", DEFAULT_ATTRIBUTE_MAPPING)["affiliation"]
        values = next((data[n] for n in names if data.get(n)), [])
    else:
        claims = data.get("userinfo") or data.get("id_token") or {}
        values = claims.get(claim_mapping_of(app_settings)["affiliation"]) or []
    if isinstance(values, str):
        values = [values]
    shown = [v.lower() for v in values if v and v.lower() in SHOWN_AFFILIATIONS]
    for preferred in ("faculty", "staff", "student"):
        if preferred in shown:
            return preferred
    return shown[0] if shown else ""


def claim_mapping_of(app_settings):
    return {**DEFAULT_CLAIM_MAPPING, **app_settings.get("claim_mapping", {})}


def failure_reason(error, exception, extra_context):
    """Which of FAILURE_REASONS an allauth authentication error is."""
    import requests
    from allauth.socialaccount.providers.base.constants import AuthError

    if isinstance(exception, Refused):
        return exception.reason
    if error == AuthError.CANCELLED:
        return "cancelled"
    if isinstance(exception, requests.RequestException):
        return "unreachable"
    if exception is not None:  # an ID token allauth refused: issuer, audience, expiry
        cause = str(getattr(exception, "__cause__", "") or exception).lower()
        for word, reason in (
            ("issuer", "misconfigured"),
            ("audience", "audience"),
            ("expired", "expired"),
            ("signature", "signature"),
        ):
            if word in cause:
                return reason
        return "misconfigured"
    saml = (extra_context.get("saml_last_error_reason") or "").lower()
    for word, reason in (
        ("signature", "signature"),
        ("expired", "expired"),
        ("notonorafter", "expired"),
        ("audience", "audience"),
        ("destination", "audience"),
        ("recipient", "audience"),
        ("received at", "audience"),  # the Destination: an answer for another SP
        ("inresponseto", "replayed"),
        ("responder", "refused"),
        ("status", "refused"),
    ):
        if word in saml:
            return reason
    if extra_context.get("state_id") is not None or "state" in extra_context:
        return "expired"
    return "unknown"


def update_from_institution(sociallogin):
    """Later sign-ins: the user's names and email as the institution now sends them
    (an address another account holds is left alone)."""
    from django.contrib.auth import get_user_model

    user = sociallogin.user
    fresh_fields = getattr(sociallogin, "institution_fields", {})
    changed = []
    for field, value in fresh_fields.items():
        if value and getattr(user, field) != value:
            if field == "email" and (
                get_user_model().objects.exclude(pk=user.pk).filter(email__iexact=value).exists()
            ):
                continue
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)


SLO_SESSION_KEY = "accounts_saml_slo"


def remember_saml_session(request, response):
    """What SAML Single Logout will need to name this session to the IdP."""
    request.session[SLO_SESSION_KEY] = {
        "name_id": response.get_nameid(),
        "name_id_format": response.get_nameid_format(),
        "session_index": response.get_session_index(),
        "name_qualifier": response.get_nameid_nq(),
        "sp_name_qualifier": response.get_nameid_spnq(),
    }


def identity_provider_logout_url(request, provider):
    """Where to send a person signing out so the institution ends its session too:
    OIDC's end_session_endpoint (RP-initiated logout) or the SAML IdP's Single Logout
    service; None when the institution offers neither or cannot be reached."""
    import requests
    from onelogin.saml2.errors import OneLogin_Saml2_Error

    home = request.build_absolute_uri("/")
    try:
        if provider.app.provider == OIDC:
            config = provider.get_oauth2_adapter(request).openid_config
            end = config.get("end_session_endpoint")
            if not end:
                return None
            query = urlencode(
                {"client_id": provider.app.client_id, "post_logout_redirect_uri": home}
            )
            return f"{end}?{query}"
        slo = request.session.get(SLO_SESSION_KEY)
        if not slo:
            return None
        from allauth.socialaccount.providers.saml.utils import build_auth

        auth = build_auth(request, provider)
        if not auth.get_slo_url():
            return None
        return auth.logout(
            return_to=home,
            name_id=slo["name_id"],
            session_index=slo["session_index"],
            name_id_format=slo["name_id_format"],
            nq=slo["name_qualifier"],
            spnq=slo["sp_name_qualifier"],
        )
    except (requests.RequestException, OneLogin_Saml2_Error, KeyError, ValueError):
        return None


def institution_settings():
    """Every institution's settings by the provider name its people's accounts carry
    (its slug): those from SSO_INSTITUTIONS, then those from the admin (one query)."""
    from allauth.socialaccount.models import SocialApp
    from django.conf import settings

    found = {}
    for protocol in (OIDC, SAML):
        for app in settings.SOCIALACCOUNT_PROVIDERS.get(protocol, {}).get("APPS", []):
            found[app.get("provider_id") or protocol] = app.get("settings", {})
    rows = SocialApp.objects.filter(provider__in=(OIDC, SAML)).values_list(
        "provider", "provider_id", "settings"
    )
    for protocol, provider_id, app_settings in rows:
        found[provider_id or protocol] = app_settings or {}
    return found


def affiliations_of(user_ids):
    """{user id: "student" | "faculty" | ...} as each person's institution last said;
    two queries, whatever the number of people."""
    from allauth.socialaccount.models import SocialAccount

    known = institution_settings()
    if not known or not user_ids:
        return {}
    accounts = SocialAccount.objects.filter(user_id__in=user_ids, provider__in=known).only(
        "user_id", "provider", "extra_data"
    )
    found = {}
    for account in accounts:
        affiliation = affiliation_of(account, known[account.provider])
        if affiliation:
            found[account.user_id] = affiliation
    return found
