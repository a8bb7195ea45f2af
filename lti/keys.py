"""The tool's signing keys (RSA, RS256 as LTI 1.3 requires): made, rotated, published as
a JWKS, and used to sign what the tool sends (deep linking responses, the client
assertion of a token request)."""

import base64
import secrets
import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.utils import timezone

from lti.models import ToolKey


def _b64_uint(number):
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def make_key():
    """A new current key (the previous ones stay as they are)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = private.public_key().public_numbers()
    kid = uuid.uuid4().hex
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    jwk = {
        "kty": "RSA",
        "alg": "RS256",
        "use": "sig",
        "kid": kid,
        "n": _b64_uint(numbers.n),
        "e": _b64_uint(numbers.e),
    }
    return ToolKey.objects.create(kid=kid, private_pem=pem, public_jwk=jwk)


@transaction.atomic
def rotate():
    """Retire the current key(s) and make a new one; returns the new key."""
    ToolKey.objects.select_for_update().filter(retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    return make_key()


def current_key():
    """The key to sign with, made on first use."""
    key = ToolKey.objects.current()
    if key is None:
        with transaction.atomic():
            list(ToolKey.objects.select_for_update().filter(retired_at__isnull=True))
            key = ToolKey.objects.current() or make_key()
    return key


def jwks():
    return {"keys": [key.public_jwk for key in ToolKey.objects.published()]}


def sign(claims, *, lifetime=300):
    """A JWT over `claims`, signed with the current key, with iat, exp and a jti."""
    key = current_key()
    now = int(time.time())
    body = {"iat": now, "exp": now + lifetime, "jti": secrets.token_urlsafe(16), **claims}
    return jwt.encode(body, key.private_pem, algorithm="RS256", headers={"kid": key.kid})
