"""The reader's CSRF token on a served page (pagecache.tokens.masked_token): Django's
token, masked afresh per response (BREACH), in fewer steps."""

from collections import Counter

from django.http import HttpRequest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _check_token_format,
    _get_new_csrf_string,
    _unmask_cipher_token,
)

from pagecache.tokens import masked_token, random_mask


def test_the_token_unmasks_to_the_reader_s_secret_and_is_new_each_time():
    request = HttpRequest()
    secret = request.META["CSRF_COOKIE"] = _get_new_csrf_string()
    tokens = {masked_token(request) for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        _check_token_format(token)
        assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]  # as get_token: the cookie renewed


def test_a_reader_without_a_secret_gets_one_and_its_cookie():
    request = HttpRequest()
    token = masked_token(request)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]


def test_new_secrets_are_django_s_form_and_never_repeat():
    secrets = set()
    for _ in range(500):
        request = HttpRequest()
        masked_token(request)
        secret = request.META["CSRF_COOKIE"]
        assert len(secret) == CSRF_SECRET_LENGTH and set(secret) <= set(CSRF_ALLOWED_CHARS)
        secrets.add(secret)
    assert len(secrets) == 500


def test_the_mask_draws_every_character_evenly():
    counts = Counter("".join(random_mask() for _ in range(6200)))  # 3,200 a character
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    # a byte taken modulo 62 without dropping 248-255 would give the first eight
    # characters 5/4 of the others' share (3,875 against 3,100): outside these bounds
    assert min(counts.values()) > 2_900 and max(counts.values()) < 3_500
