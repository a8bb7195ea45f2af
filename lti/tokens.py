"""Access tokens for the platform's services (LTI Advantage, IMS Security Framework):
the client-credentials grant with a JWT assertion signed by the tool's key. A token is
kept in the shared cache until shortly before it expires, per platform and scopes, so
the app servers and workers ask the platform once an hour, not once a call."""

import logging
import secrets
import time

import requests
from django.core.cache import cache

from lti import keys

logger = logging.getLogger("commonplace.lti")
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TIMEOUT_SECONDS = 10
MARGIN_SECONDS = 60  # renew this long before the platform's expiry


class ServiceError(Exception):
    """The platform refused or did not answer: the message says which, for people."""


def _cache_key(platform, scopes):
    return f"lti:token:{platform.pk}:{' '.join(sorted(scopes))}"


def access_token(platform, scopes):
    key = _cache_key(platform, scopes)
    token = cache.get(key)
    if token:
        return token
    assertion = keys.sign(
        {
            "iss": platform.client_id,
            "sub": platform.client_id,
            "aud": platform.token_url,
            "jti": secrets.token_urlsafe(16),
        }
    )
    try:
        response = requests.post(
            platform.token_url,
            data={
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": assertion,
                "scope": " ".join(sorted(scopes)),
            },
            timeout=TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise ServiceError(
            f"The LMS's token endpoint did not answer ({error.__class__.__name__})."
        ) from error
    if response.status_code != 200:
        raise ServiceError(f"The LMS refused an access token (HTTP {response.status_code}).")
    try:
        answer = response.json()
        token = answer["access_token"]
        lifetime = int(answer.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError) as error:
        raise ServiceError(
            "The LMS's token endpoint answered something else than a token."
        ) from error
    if lifetime > MARGIN_SECONDS:
        cache.set(key, token, lifetime - MARGIN_SECONDS)
    return token


def forget_token(platform, scopes):
    cache.delete(_cache_key(platform, scopes))


def call(platform, scopes, method, url, *, accept=None, json_body=None, content_type=None):
    """One service request with a bearer token; a 401 renews the token once."""
    for attempt in (1, 2):
        headers = {"Authorization": f"Bearer {access_token(platform, scopes)}"}
        if accept:
            headers["Accept"] = accept
        if content_type:
            headers["Content-Type"] = content_type
        started = time.monotonic()
        try:
            response = requests.request(
                method, url, headers=headers, json=json_body, timeout=TIMEOUT_SECONDS
            )
        except requests.RequestException as error:
            raise ServiceError(f"The LMS did not answer ({error.__class__.__name__}).") from error
        logger.info(
            "LTI %s %s: %s in %.0f ms",
            method,
            url,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if response.status_code == 401 and attempt == 1:
            forget_token(platform, scopes)
            continue
        if response.status_code >= 400:
            raise ServiceError(f"The LMS answered HTTP {response.status_code}.")
        return response
    raise ServiceError("The LMS refused the access token.")
