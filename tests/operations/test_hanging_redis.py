"""A Redis that hangs (accepts connections, never answers) costs each call its bounded
timeout, and after a few timeouts in a row this process stops calling it for a while
(config.cache's circuit breaker): pages keep rendering at their usual speed."""

import json
import time

import pytest
from django.core.cache import cache
from django.test import Client

from config import cache as cache_module
from tests import factories
from tests.hanging import HangingServer
from tests.test_foundation import run_python

pytestmark = pytest.mark.django_db
TIMEOUT = 0.3  # the socket timeout here; production's is REDIS_TIMEOUT (0.5 s)


@pytest.fixture
def hanging_redis(settings):
    server = HangingServer()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {
                "socket_connect_timeout": TIMEOUT,
                "socket_timeout": TIMEOUT,
                "retry_on_timeout": False,
            },
            "BREAKER": {"failures": 3, "seconds": 30},
        }
    }
    yield server
    server.close()


def test_production_settings_bound_every_cache_call():
    """With REDIS_URL, settings.py's Redis options are those docs/deploy.md states."""
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        "c = settings.CACHES['default']; print(json.dumps([c['OPTIONS'], c['BREAKER']]))"
    )
    result = run_python(
        code, DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/0", DATABASE_URL="sqlite://"
    )
    options, breaker = json.loads(result.stdout.strip().splitlines()[-1])
    assert options == {
        "socket_connect_timeout": 0.25,
        "socket_timeout": 0.5,
        "retry_on_timeout": False,
    }
    assert breaker == {"failures": 3, "seconds": 10}


def test_after_a_few_timeouts_the_hung_cache_is_not_called(hanging_redis):
    started = time.monotonic()
    for _ in range(3):
        assert cache.get("anything", "fallback") == "fallback"
    assert time.monotonic() - started < 3 * TIMEOUT + 1.5  # each call bounded, no retries
    sent = hanging_redis.received
    assert sent > 0  # it was asked, and never answered

    started = time.monotonic()
    for _ in range(50):
        assert cache.get("anything", "fallback") == "fallback"
        assert cache.add("lock", 1) is True
        cache.set("key", "value")
    assert time.monotonic() - started < 0.5
    assert hanging_redis.received == sent  # not called at all


def test_the_breaker_tries_again_after_its_cool_down(hanging_redis, monkeypatch):
    for _ in range(3):
        cache.get("anything")
    breaker = next(iter(cache_module.breakers.values()))
    assert not breaker.allows()
    sent = hanging_redis.received
    monkeypatch.setattr(breaker, "open_until", time.monotonic() - 1)  # cool-down over
    cache.get("anything")
    assert hanging_redis.received > sent  # one try...
    assert not breaker.allows()  # ...which failed: open again at once
    sent = hanging_redis.received
    cache.get("anything")
    assert hanging_redis.received == sent


def test_a_member_s_page_renders_within_a_bound_with_redis_hung(hanging_redis, course, student):
    post = factories.PostFactory(course=course, author=student, title="On the thaw")
    member = Client()
    member.force_login(student)  # the session lives in the database (cached_db in prod)
    started = time.monotonic()
    first = member.get(post.get_absolute_url())
    assert first.status_code == 200
    assert "On the thaw" in first.content.decode()
    assert time.monotonic() - started < 3 * TIMEOUT + 2  # at most `failures` timeouts
    started = time.monotonic()
    for _ in range(3):
        assert member.get(post.get_absolute_url()).status_code == 200
    assert time.monotonic() - started < 3  # no timeouts any more: about 3 plain renders


def test_deletes_are_still_tried_while_the_breaker_is_open(hanging_redis):
    """A skipped delete could leave a signed-out session in the cache."""
    for _ in range(3):
        cache.get("anything")
    sent = hanging_redis.received
    cache.get("anything")
    assert hanging_redis.received == sent
    cache.delete("session-key")
    assert hanging_redis.received > sent
