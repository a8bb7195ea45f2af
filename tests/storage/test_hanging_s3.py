"""An S3 server that hangs (accepts connections, never answers) costs an upload a bounded
wait, then a 503 with Retry-After that keeps the form; pages that don't touch the store
keep working meanwhile. No bucket is needed: the store never answers."""

import time

import environ
import pytest
from django.urls import reverse

from tests import factories
from tests.blog.test_views import editor_data, jpeg_upload
from tests.hanging import HangingServer
from tests.storage.conftest import s3_settings

pytestmark = pytest.mark.django_db
READ_TIMEOUT = 1  # seconds, here; production's default is MEDIA_S3_READ_TIMEOUT (3)
ATTEMPTS = 2  # the default: one retry


@pytest.fixture
def hanging_s3(settings):
    server = HangingServer()
    s3_settings(
        settings,
        f"http://127.0.0.1:{server.port}",
        "cp-hanging",
        MEDIA_S3_READ_TIMEOUT=str(READ_TIMEOUT),
        MEDIA_S3_ATTEMPTS=str(ATTEMPTS),
    )
    yield server
    server.close()


def test_every_storage_call_is_bounded_well_within_the_servers_timeouts(monkeypatch):
    from config.storage import s3_options

    for key in ("MEDIA_S3_CONNECT_TIMEOUT", "MEDIA_S3_READ_TIMEOUT", "MEDIA_S3_ATTEMPTS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("MEDIA_S3_BUCKET", "any")
    config = s3_options(environ.Env())["client_config"]
    assert config.retries == {"total_max_attempts": 2, "mode": "standard"}  # one retry
    worst = config.retries["total_max_attempts"] * (config.connect_timeout + config.read_timeout)
    assert worst <= 10  # gunicorn and nginx give a request 30 s


def test_an_upload_to_a_hanging_store_answers_503_within_the_bound_and_keeps_the_form(
    client, hanging_s3, course, student
):
    client.force_login(student)
    data = editor_data(title="Kept title", body="Kept words", action="publish", image_alt="Teal")
    data["image_upload"] = jpeg_upload()
    started = time.monotonic()
    response = client.post(reverse("blog:post_create", args=[course.slug]), data)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert elapsed < ATTEMPTS * READ_TIMEOUT + 3  # back-off under a second, image work
    assert hanging_s3.received > 0  # it was asked, and never answered
    html = response.content.decode()
    assert "The image store can&#x27;t be reached right now" in html
    assert "Kept title" in html and "Kept words" in html
    assert not course.posts.exists()


def test_inserting_an_image_into_a_hanging_store_answers_503(client, hanging_s3, course, student):
    client.force_login(student)
    response = client.post(
        reverse("blog:body_image_upload", args=[course.slug]), {"image": jpeg_upload()}
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "can't be reached" in response.json()["error"]


def test_an_avatar_upload_to_a_hanging_store_answers_503_and_keeps_the_form(
    client, hanging_s3, student
):
    client.force_login(student)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Kept Name", "bio": "", "website": "", "avatar": jpeg_upload()},
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Kept Name" in response.content.decode()


def test_pages_that_do_not_touch_the_store_keep_working(client, hanging_s3, course, student):
    post = factories.PostFactory(course=course, author=student, title="Still readable")
    client.force_login(student)
    started = time.monotonic()
    for url in ("/", course.get_absolute_url(), post.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
    assert "Still readable" in response.content.decode()
    assert time.monotonic() - started < READ_TIMEOUT  # none of them waited for the store
    assert hanging_s3.received == 0
