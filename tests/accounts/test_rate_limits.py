"""Rate-limited sign-ins answer 429 with Retry-After; the limits live in the shared cache,
so they hold across clients (and, with Redis, across app servers)."""

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "pass-word-123"
START = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def redis_available():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        return False
    return True


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    """The cache allauth keeps its counts in: this process's memory, or Redis.

    On Redis every test gets its own key prefix and clears nothing, so suites running
    at once on one machine (and one Redis database) never see each other's counts."""
    if request.param == "redis":
        if not redis_available():
            pytest.skip(f"needs Redis at {REDIS_URL}")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-rate-limits-{uuid.uuid4().hex}",
                "TIMEOUT": 600,
            }
        }
    else:
        from django.core.cache import cache

        cache.clear()
    return request.param


def sign_in(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def signed_in(client):
    return client.get(reverse("home")).wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_failed_sign_ins_for_one_account_hold_across_clients_then_expire(
    shared_cache, time_machine
):
    time_machine.move_to(START, tick=False)
    user = UserFactory(username="ana")
    attacker = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        assert sign_in(attacker, "ana", "wrong").status_code == 200

    elsewhere = Client(REMOTE_ADDR="10.0.0.2")  # another address, another session
    refused = sign_in(elsewhere, "ana", PASSWORD)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "300"  # the 5-per-5-minutes limit of that account
    assert "Too many failed login attempts" in refused.content.decode()
    assert 'name="login"' in refused.content.decode()  # the form, to try again later
    assert not signed_in(elsewhere)

    time_machine.move_to(START + timedelta(minutes=2), tick=False)
    assert sign_in(elsewhere, "ANA", PASSWORD)["Retry-After"] == "180"

    time_machine.move_to(START + timedelta(minutes=5, seconds=1), tick=False)
    assert sign_in(elsewhere, user.username, PASSWORD).status_code == 302
    assert signed_in(elsewhere)


@pytest.mark.django_db
def test_failed_sign_ins_from_one_address_hold_across_clients(shared_cache, time_machine):
    time_machine.move_to(START, tick=False)
    first, second = Client(REMOTE_ADDR="10.0.0.9"), Client(REMOTE_ADDR="10.0.0.9")
    for n in range(10):  # 10 a minute per address, over many account names
        client = first if n % 2 else second
        assert sign_in(client, f"name{n}", "wrong").status_code == 200
    time_machine.move_to(START + timedelta(seconds=15), tick=False)
    refused = sign_in(second, "someone-else", "wrong")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"


@pytest.mark.django_db
def test_too_many_password_resets_answer_429_with_retry_after(
    client, shared_cache, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(START, tick=False)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):  # 5 a minute per address asked for
            response = client.post(reverse("account_reset_password"), {"email": user.email})
            assert response.status_code == 302
        time_machine.move_to(START + timedelta(seconds=20), tick=False)
        refused = client.post(reverse("account_reset_password"), {"email": user.email.upper()})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert "<h1>Too many attempts</h1>" in refused.content.decode()
