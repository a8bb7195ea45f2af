"""An LMS of the tests' own for launches: an RSA key, a JWKS answered through
`responses`, and id_tokens built claim by claim, so each negative case changes one
thing. (tests/lti/test_platform_package.py runs the real lti1p3platform package.)"""

import base64
import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import responses
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from lti.launch import STATE_COOKIE
from lti.models import Deployment, Platform

ISSUER = "https://lms.example.edu"
CLIENT_ID = "commonplace-client"
DEPLOYMENT = "deployment-1"
JWKS_URL = ISSUER + "/jwks"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR = [ROLE + "Instructor"]
LEARNER = [ROLE + "Learner"]
ASSISTANT = [
    ROLE + "Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
]


def _b64(number):
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class FakeLms:
    def __init__(self, platform, kid="lms-key-1"):
        self.platform = platform
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = kid
        self.jwks_calls = 0

    def jwk(self, key=None, kid=None):
        numbers = (key or self.key).public_key().public_numbers()
        return {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": kid or self.kid,
            "n": _b64(numbers.n),
            "e": _b64(numbers.e),
        }

    def jwks_answer(self, request):
        self.jwks_calls += 1
        return 200, {}, json.dumps({"keys": [self.jwk()]})

    def pem(self, key=None):
        return (key or self.key).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def claims(self, nonce, *, roles=INSTRUCTOR, sub="user-1", context_id="ctx-1", **extra):
        now = int(time.time())
        body = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": sub,
            "exp": now + 300,
            "iat": now,
            "nonce": nonce,
            "given_name": "Ada",
            "family_name": "Lovelace",
            "email": f"{sub}@lms.example.edu",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": DEPLOYMENT,
            LTI + "target_link_uri": "http://testserver" + reverse("lti:launch"),
            LTI + "resource_link": {"id": "link-1"},
            LTI + "roles": roles,
            LTI + "context": {"id": context_id, "title": "Writing 101", "label": "WRI101"},
            LTI + "launch_presentation": {"document_target": "window"},
        }
        body.update(extra)
        return {name: value for name, value in body.items() if value is not None}

    def token(self, claims, *, key=None, kid=None, alg="RS256"):
        return jwt.encode(claims, self.pem(key), algorithm=alg, headers={"kid": kid or self.kid})

    def login(self, client, **params):
        """Start the OIDC login; returns (state, nonce) from the redirect."""
        query = {
            "iss": ISSUER,
            "login_hint": "hint",
            "client_id": CLIENT_ID,
            "target_link_uri": "http://testserver/lti/launch/",
            **params,
        }
        response = client.get(reverse("lti:login"), query)
        assert response.status_code == 302, response.content
        sent = parse_qs(urlsplit(response["Location"]).query)
        return sent["state"][0], sent["nonce"][0]

    def launch(self, client, *, claims_change=None, token=None, **claim_kwargs):
        state, nonce = self.login(client)
        claims = self.claims(nonce, **claim_kwargs)
        if claims_change:
            claims = claims_change(claims)
        id_token = token or self.token(claims)
        return client.post(reverse("lti:launch"), {"id_token": id_token, "state": state})


@pytest.fixture
def platform(db):
    platform = Platform.objects.create(
        name="Test LMS",
        issuer=ISSUER,
        client_id=CLIENT_ID,
        auth_url=ISSUER + "/auth",
        token_url=ISSUER + "/token",
        jwks_url=JWKS_URL,
    )
    Deployment.objects.create(platform=platform, deployment_id=DEPLOYMENT)
    return platform


@pytest.fixture
def lms(platform):
    fake = FakeLms(platform)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.add_callback(responses.GET, JWKS_URL, callback=fake.jwks_answer)
        fake.mocked = mocked
        yield fake


def state_cookie_name(state):
    return STATE_COOKIE + state[:16]


@pytest.fixture
def package_lms(db):
    """The lti1p3platform LMS (tests/lti/lms.py), registered as a platform."""
    from tests.lti.lms import DEPLOYMENT, Lms

    lms = Lms()
    urls = lms.urls
    lms.platform = Platform.objects.create(
        name="lti1p3platform",
        issuer=urls["issuer"],
        client_id=urls["client_id"],
        auth_url=urls["auth_url"],
        token_url=urls["token_url"],
        jwks_url=urls["jwks_url"],
    )
    Deployment.objects.create(platform=lms.platform, deployment_id=DEPLOYMENT)
    yield lms
    lms.close()


def launch_through(client, lms, *, user_id, role, **launch):
    """The whole launch as a browser makes it: the LMS's login link, our redirect to its
    auth endpoint, its auto-submitted form back to our launch URL."""
    target = launch.pop("target", None)
    login = client.get(lms.login_url(user_id, target=target))
    assert login.status_code == 302, login.content[:500]
    preflight = {k: v[0] for k, v in parse_qs(urlsplit(login["Location"]).query).items()}
    form = lms.launch_form(preflight, user_id=user_id, role=role, target=target, **launch)
    path = urlsplit(form["launch_url"]).path
    return client.post(path, {"id_token": form["id_token"], "state": form["state"]})
