"""Checking an LTI 1.3 launch as the specification says (docs/lti.md, "What a launch
checks"): the login it answers (state, nonce used once), the platform's signature
against its JWKS (cached, fetched again for an unknown kid), iss, aud and azp, exp and
iat with a small leeway, the deployment, the message type and version, and the claims
Commonplace needs. Everything here only reads, but for consuming the login attempt;
what a launch writes is in lti.services."""

import json
import logging
from dataclasses import dataclass

import jwt
import requests
from django.core.cache import cache
from django.db import transaction

from lti.errors import LaunchRefused
from lti.models import Deployment, LoginAttempt, Platform

logger = logging.getLogger("commonplace.lti")

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
LEEWAY_SECONDS = 60
JWKS_CACHE_SECONDS = 3600
FETCH_TIMEOUT_SECONDS = 5
STATE_COOKIE = "lti_state"


@dataclass
class Launch:
    platform: Platform
    claims: dict

    @property
    def message_type(self):
        return self.claims[LTI + "message_type"]

    @property
    def sub(self):
        return self.claims["sub"]

    @property
    def roles(self):
        return self.claims.get(LTI + "roles") or []

    @property
    def context(self):
        return self.claims.get(LTI + "context") or {}

    @property
    def target_link_uri(self):
        return self.claims.get(LTI + "target_link_uri", "")

    @property
    def in_frame(self):
        """Whether the LMS shows the launch in a frame (it says so, or says nothing)."""
        presentation = self.claims.get(LTI + "launch_presentation") or {}
        return presentation.get("document_target", "iframe") in ("iframe", "frame")

    def claim(self, name, default=None):
        return self.claims.get(name, default)


def fetch_keyset(platform):
    try:
        response = requests.get(platform.jwks_url, timeout=FETCH_TIMEOUT_SECONDS)
        response.raise_for_status()
        keyset = response.json()
    except (requests.RequestException, ValueError) as error:
        raise LaunchRefused("platform_down", f"{platform.jwks_url}: {error}") from error
    if not isinstance(keyset, dict) or not isinstance(keyset.get("keys"), list):
        raise LaunchRefused("platform_down", f"{platform.jwks_url}: not a JWKS")
    cache.set(keyset_cache_key(platform), keyset, JWKS_CACHE_SECONDS)
    return keyset


def keyset_cache_key(platform):
    return f"lti:jwks:{platform.pk}:{platform.jwks_url}"


def _find_key(keyset, kid):
    for jwk in keyset.get("keys", []):
        if jwk.get("kid") == kid:
            return jwk
    return None


def platform_key(platform, kid):
    """The platform's public key for `kid`: from the cached keyset, or fetched again
    when the kid is new (the platform rotated its keys)."""
    keyset = cache.get(keyset_cache_key(platform))
    jwk = _find_key(keyset, kid) if keyset else None
    if jwk is None:
        jwk = _find_key(fetch_keyset(platform), kid)
    if jwk is None:
        raise LaunchRefused("unknown_kid", f"kid {kid!r} not in {platform.jwks_url}")
    try:
        return jwt.PyJWK.from_json(json.dumps(jwk), algorithm="RS256")
    except jwt.PyJWTError as error:
        raise LaunchRefused("unknown_kid", f"kid {kid!r} is not an RSA key: {error}") from error


def _unverified(id_token):
    try:
        header = jwt.get_unverified_header(id_token)
        body = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise LaunchRefused("bad_message", f"id_token is not a JWT: {error}") from error
    return header, body


def _audiences(body):
    aud = body.get("aud")
    return [aud] if isinstance(aud, str) else list(aud or [])


def find_platform(body):
    issuer = body.get("iss")
    audiences = _audiences(body)
    platform = Platform.objects.filter(issuer=issuer, client_id__in=audiences or [""]).first()
    if platform is None:
        if Platform.objects.filter(issuer=issuer).exists():
            raise LaunchRefused("wrong_audience", f"aud {audiences!r} for {issuer!r}")
        raise LaunchRefused("unknown_platform", f"issuer {issuer!r}")
    return platform


def verify_token(id_token, platform=None):
    """The id_token's claims once its signature and registered claims check out."""
    header, body = _unverified(id_token)
    if header.get("alg") != "RS256":
        raise LaunchRefused("bad_signature", f"alg {header.get('alg')!r}")
    platform = platform or find_platform(body)
    key = platform_key(platform, header.get("kid"))
    try:
        claims = jwt.decode(
            id_token,
            key,
            algorithms=["RS256"],
            audience=platform.client_id,
            issuer=platform.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise LaunchRefused("expired", str(error)) from error
    except jwt.ImmatureSignatureError as error:
        raise LaunchRefused("expired", str(error)) from error
    except jwt.InvalidAudienceError as error:
        raise LaunchRefused("wrong_audience", str(error)) from error
    except jwt.InvalidIssuerError as error:
        raise LaunchRefused("unknown_platform", str(error)) from error
    except jwt.MissingRequiredClaimError as error:
        raise LaunchRefused("bad_message", str(error)) from error
    except jwt.InvalidSignatureError as error:
        raise LaunchRefused("bad_signature", str(error)) from error
    except jwt.PyJWTError as error:
        raise LaunchRefused("bad_signature", str(error)) from error
    audiences = _audiences(claims)
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != platform.client_id:
        raise LaunchRefused("wrong_audience", f"azp {azp!r}")
    return platform, claims


def check_message(platform, claims):
    """The deployment, message type, version and the claims Commonplace needs."""
    deployment_id = claims.get(LTI + "deployment_id")
    if not deployment_id or not isinstance(deployment_id, str):
        raise LaunchRefused("bad_message", "no deployment_id")
    if not Deployment.objects.filter(platform=platform, deployment_id=deployment_id).exists():
        raise LaunchRefused("unknown_deployment", f"deployment_id {deployment_id!r}")
    message_type = claims.get(LTI + "message_type")
    if message_type not in (RESOURCE_LINK, DEEP_LINKING):
        raise LaunchRefused("bad_message", f"message_type {message_type!r}")
    if claims.get(LTI + "version") != "1.3.0":
        raise LaunchRefused("bad_message", f"version {claims.get(LTI + 'version')!r}")
    roles = claims.get(LTI + "roles")
    if not isinstance(roles, list):
        raise LaunchRefused("bad_message", "no roles claim")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise LaunchRefused("bad_message", "no sub")
    context = claims.get(LTI + "context")
    if not isinstance(context, dict) or not context.get("id"):
        raise LaunchRefused("bad_message", "no context claim")
    if message_type == RESOURCE_LINK:
        link = claims.get(LTI + "resource_link")
        if not isinstance(link, dict) or not link.get("id"):
            raise LaunchRefused("bad_message", "no resource_link claim")
        if not claims.get(LTI + "target_link_uri"):
            raise LaunchRefused("bad_message", "no target_link_uri")
    else:
        settings = claims.get(DL + "deep_linking_settings")
        if not isinstance(settings, dict) or not settings.get("deep_link_return_url"):
            raise LaunchRefused("bad_message", "no deep_linking_settings")


def find_attempt(state):
    """The login this launch answers, not yet consumed (the browser is checked first)."""
    attempt = LoginAttempt.objects.select_related("platform").filter(state=state).first()
    if attempt is None:
        raise LaunchRefused("expired_login", "no login with this state")
    return attempt


def take_attempt(state):
    """The login this launch answers, consumed: a second launch with the same state
    finds nothing (deleting the row is what makes the nonce single-use everywhere)."""
    with transaction.atomic():
        attempt = (
            LoginAttempt.objects.select_for_update()
            .select_related("platform")
            .filter(state=state)
            .first()
        )
        if attempt is None:
            raise LaunchRefused("expired_login", "no login with this state")
        attempt.delete()
    if attempt.is_expired:
        raise LaunchRefused("expired_login", "the login is older than its lifetime")
    return attempt


def validate(*, id_token, attempt):
    """A checked Launch for `id_token` answering the login `attempt`."""
    platform, claims = verify_token(id_token)
    if platform.pk != attempt.platform_id:
        raise LaunchRefused("replayed", "the login was started by another platform")
    if claims.get("nonce") != attempt.nonce:
        raise LaunchRefused("replayed", "nonce does not match the login")
    check_message(platform, claims)
    return Launch(platform=platform, claims=claims)
