"""Health endpoints for load balancers, request ids and the request log line."""

import json
import logging

import pytest
from django.urls import reverse

from config.logging import JsonFormatter, RequestIdFilter
from tests.helpers import resilient_redis

CLOSED_REDIS = "redis://127.0.0.1:1/5"  # nothing listens on port 1


def test_healthz_answers_without_touching_anything(client):
    # No `db` fixture: any database access would raise here.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_cache_and_storage(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_names_the_failing_parts(client, db, settings, tmp_path):
    settings.CACHES = resilient_redis(CLOSED_REDIS)
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    settings.MEDIA_ROOT = not_a_folder / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable: cache, storage\n"


def test_health_checks_are_not_logged_at_info(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="commonplace.requests"):
        client.get("/healthz")
        client.get("/readyz")
        client.get("/")
    lines = [r for r in caplog.records if r.name == "commonplace.requests"]
    assert [r.path for r in lines if r.levelno >= logging.INFO] == ["/"]


def test_every_response_carries_a_request_id_and_one_log_line(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="commonplace.requests"):
        given = client.get("/", headers={"X-Request-ID": "lb-1234.abc"})
        made = client.get("/")
        hostile = client.get("/", headers={"X-Request-ID": "bad id\nwith newline"})
    assert given["X-Request-ID"] == "lb-1234.abc"
    assert len(made["X-Request-ID"]) == 32
    assert hostile["X-Request-ID"] != "bad id\nwith newline"
    lines = [r for r in caplog.records if r.name == "commonplace.requests"]
    assert [r.request_id for r in lines] == [
        "lb-1234.abc",
        made["X-Request-ID"],
        hostile["X-Request-ID"],
    ]
    assert lines[0].getMessage().startswith("GET / 200 ")


def test_error_reports_carry_the_request_id(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/c/no-such-course/", headers={"X-Request-ID": "trace-404"})
    assert response.status_code == 404
    record = next(r for r in caplog.records if r.name == "django.request")
    RequestIdFilter().filter(record)
    assert record.request_id == "trace-404"


def test_json_log_lines(db):
    record = logging.LogRecord(
        "commonplace.requests", logging.INFO, __file__, 1, "GET / 200", (), None
    )
    record.request_id, record.status, record.path = "abc", 200, "/"
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert line["message"] == "GET / 200"


# --- Redis down -------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    settings.CACHES = resilient_redis(CLOSED_REDIS)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_with_redis_down_pages_serve_and_sessions_fall_back_to_the_database(
    client, redis_down, post, student, caplog
):
    from tests.comments.conftest import post_comment

    student.set_password("pw-for-redis-down")
    student.save()
    with caplog.at_level(logging.ERROR, logger="commonplace.cache"):
        login = client.post(
            reverse("account_login"), {"login": student.username, "password": "pw-for-redis-down"}
        )
        assert login.status_code == 302
        assert client.get("/").status_code == 200
        page = client.get(post.get_absolute_url())
        assert page.status_code == 200
        assert page.context["user"] == student  # the session was read back from the database
        assert post_comment(client, post, body="Written while Redis is down.").status_code == 302
    assert post.comments.count() == 1


def test_cache_outage_is_logged(redis_down, caplog):
    from django.core.cache import cache

    from config import cache as cache_module

    cache_module.ResilientRedisCache._last_logged = 0.0
    with caplog.at_level(logging.ERROR, logger="commonplace.cache"):
        assert cache.get("anything", "fallback") == "fallback"
        assert cache.add("lock", 1) is True
    assert "Cache unavailable" in caplog.text
