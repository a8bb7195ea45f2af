"""The reader's CSRF token on a served page (pagecache.tokens.masked_token): Django's
token, masked afresh per response (BREACH), in fewer steps."""

from collections import Counter

import pytest
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


def test_the_tables_are_small():
    # Loaded in gunicorn's master, mapped into every worker: a table of every pair of
    # characters was 350 KB in each.
    import sys

    from pagecache import tokens

    names = [name for name in vars(tokens) if not name.startswith("__")]
    tables = [getattr(tokens, name) for name in names]
    tables = [table for table in tables if isinstance(table, bytes | dict)]
    assert tables and sum(sys.getsizeof(table) for table in tables) < 4_096


def test_the_cipher_is_django_s_for_the_same_mask():
    for _ in range(50):
        request = HttpRequest()
        secret = request.META["CSRF_COOKIE"] = _get_new_csrf_string()
        token = masked_token(request)
        mask, cipher = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
        places = [CSRF_ALLOWED_CHARS.index(x) for x in secret]
        mask_places = [CSRF_ALLOWED_CHARS.index(y) for y in mask]
        expected = "".join(
            CSRF_ALLOWED_CHARS[(x + y) % len(CSRF_ALLOWED_CHARS)]
            for x, y in zip(places, mask_places, strict=True)
        )
        assert cipher == expected


def test_a_secret_not_of_django_s_form_is_refused():
    for bad in ("a" * 31, "a" * 33, "!" + "a" * 31, "é" + "a" * 31):
        request = HttpRequest()
        request.META["CSRF_COOKIE"] = bad
        with pytest.raises(ValueError):
            masked_token(request)
