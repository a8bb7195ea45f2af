"""Media on an S3-compatible bucket (moto's server over HTTP, not mocked in process):
every upload goes through the storage API; members-only course images are private
objects shown through presigned addresses; public ones are plain public objects."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.helpers import editor_data, image_src, jpeg_upload, publish_with_image
from tests.storage.conftest import s3_settings

pytestmark = pytest.mark.django_db


def keys(client, bucket):
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def test_public_course_images_are_public_objects(client, bucket, course, student):
    s3, name = bucket
    post = publish_with_image(client, course, student)
    stored = keys(s3, name)
    assert {r["name"] for r in post.image_renditions} <= stored
    assert post.image.name in stored  # the original, kept private
    src = image_src(client.get(post.get_absolute_url()).content.decode())
    assert src.startswith(f"http://127.0.0.1:{urlsplit(src).port}/{name}/courses/{course.pk}/")
    assert "X-Amz-Signature" not in src
    response = requests.get(src, timeout=5)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    original = src.rsplit("/courses/", 1)[0] + "/" + post.image.name
    assert requests.get(original, timeout=5).status_code == 403


def test_members_only_images_are_private_and_pages_sign_them(client, bucket, private_course):
    member = factories.MembershipFactory(course=private_course).user
    post = publish_with_image(client, private_course, member)
    client.force_login(member)
    src = image_src(client.get(post.get_absolute_url()).content.decode())
    query = parse_qs(urlsplit(src).query)
    # Longer than a cached page keeps the address (blog.media.signed_url_seconds).
    assert int(query["X-Amz-Expires"][0]) >= settings.PAGE_CACHE_SECONDS + 600
    assert requests.get(src, timeout=5).status_code == 200
    unsigned = src.split("?")[0]
    assert requests.get(unsigned, timeout=5).status_code == 403  # outsiders: no signature


def test_images_follow_a_change_of_visibility(
    client, bucket, course, instructor, student, django_capture_on_commit_callbacks
):
    post = publish_with_image(client, course, student)
    plain = post.large_image["name"]
    client.force_login(instructor)
    html = client.get(post.get_absolute_url()).content.decode()
    src = image_src(html)
    assert requests.get(src, timeout=5).status_code == 200
    data = {
        "title": course.title,
        "term": course.term,
        "description": course.description,
        "visibility": "members",
        "guest_comments": "off",
        "thread_depth": course.thread_depth,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("blog:course_settings", args=[course.slug]), data)
    assert response.status_code == 302
    assert requests.get(src, timeout=5).status_code == 403
    assert plain in src


def test_avatars_and_body_images_go_to_the_bucket(client, bucket, course, student):
    s3, name = bucket
    client.force_login(student)
    url = reverse("blog:body_image_upload", args=[course.slug])
    markdown = client.post(url, {"image": jpeg_upload()}).json()["markdown"]
    path = re.search(r"\]\((/media/[^)]+)\)", markdown)[1]
    redirect = client.get(path)
    assert redirect.status_code == 302
    assert requests.get(redirect["Location"], timeout=5).status_code == 200
    assert any(key.startswith(f"courses/{course.pk}/body/") for key in keys(s3, name))


def test_unreachable_storage_keeps_the_form_and_says_so(client, settings, course, student):
    # Nothing listens on port 9 of the loopback address: the store is unreachable.
    s3_settings(settings, "http://127.0.0.1:9", "cp-unreachable")
    client.force_login(student)
    data = editor_data(title="Kept title", body="Kept words", action="publish", image_alt="Teal")
    data["image_upload"] = jpeg_upload()
    response = client.post(reverse("blog:post_create", args=[course.slug]), data)
    assert response.status_code == 503
    html = response.content.decode()
    assert "The image store can&#x27;t be reached right now" in html
    assert "Kept title" in html and "Kept words" in html
    assert not course.posts.exists()


def test_uploads_other_than_avatars_and_emblems_are_private_objects(bucket):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    export = default_storage.save("imports/export.xml", ContentFile(b"<rss/>"))
    avatar = default_storage.save("avatars/2026/12/a.webp", ContentFile(b"RIFF"))
    assert requests.get(default_storage.url(export), timeout=5).status_code == 403
    assert requests.get(default_storage.url(avatar), timeout=5).status_code == 200
