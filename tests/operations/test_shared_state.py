"""With REDIS_URL set, what several app servers must share lives in Redis: sessions
(cached_db), allauth's rate limits and comment flood control. Runs against a real
Redis when REDIS_TEST_URL is set (CI sets it); skipped otherwise."""

import os

import pytest
from django.urls import reverse

from tests.comments.conftest import post_comment
from tests.helpers import resilient_redis

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "")


@pytest.fixture
def redis(settings):
    if not REDIS_TEST_URL:
        pytest.skip("no Redis to test against: set REDIS_TEST_URL (CI does)")
    import redis as redis_py

    settings.CACHES = resilient_redis(REDIS_TEST_URL)
    settings.CACHES["default"]["KEY_PREFIX"] = "cp-test"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    raw = redis_py.Redis.from_url(REDIS_TEST_URL)
    yield raw
    for key in raw.scan_iter("cp-test:*"):
        raw.delete(key)


def keys(raw, pattern):
    return [key.decode() for key in raw.scan_iter(f"cp-test:*{pattern}*")]


def test_sessions_flood_control_and_rate_limits_live_in_redis(client, redis, post, student):
    student.set_password("shared-state-pw")
    student.save()
    for _ in range(2):
        client.post(reverse("account_login"), {"login": student.username, "password": "wrong"})
    assert keys(redis, "rl:")  # allauth's failed-login counter
    client.post(
        reverse("account_login"), {"login": student.username, "password": "shared-state-pw"}
    )
    assert keys(redis, "django.contrib.sessions.cached_db")

    assert post_comment(client, post, body="First.").status_code == 302
    assert keys(redis, "comments:flood:user:")
    assert post_comment(client, post, body="Too soon.").status_code == 400
    assert post.comments.count() == 1
