"""Course images on the file system: members-only ones only with a valid signature
(or to a member), public ones to anyone and long-cached."""

import re
import time

import pytest
from django.urls import reverse

from config.storage import media_signature
from tests import factories
from tests.helpers import image_src, jpeg_upload, publish_with_image


@pytest.fixture
def member_of_private(private_course):
    return factories.MembershipFactory(course=private_course).user


def test_public_course_image_is_public_and_long_cached(client, course, student):
    post = publish_with_image(client, course, student)
    name = post.large_image["name"]
    assert name.startswith(f"courses/{course.pk}/posts/")
    html = client.get(post.get_absolute_url()).content.decode()
    src = image_src(html)
    assert src == f"/media/{name}"
    response = client.get(src)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_members_only_image_needs_a_valid_unexpired_signature(
    client, private_course, member_of_private, outsider
):
    post = publish_with_image(client, private_course, member_of_private)
    name = post.large_image["name"]
    client.force_login(member_of_private)
    src = image_src(client.get(post.get_absolute_url()).content.decode())
    assert src.startswith(f"/media/{name}?expires=")
    client.logout()

    assert client.get(src).status_code == 200  # the signature alone lets it through
    assert client.get(f"/media/{name}").status_code == 403
    client.force_login(outsider)
    assert client.get(f"/media/{name}").status_code == 403
    # one character changed (to another: a signature may start with "0" already)
    tampered = re.sub(r"signature=(\w)", lambda m: f"signature={'1' if m[1] == '0' else '0'}", src)
    assert client.get(tampered).status_code == 403
    other = post.image_renditions[0]["name"]
    assert client.get(src.replace(name, other)).status_code == 403  # not this file's
    past = int(time.time()) - 1
    expired = f"/media/{name}?expires={past}&signature={media_signature(name, past)}"
    assert client.get(expired).status_code == 403


def test_a_cached_members_page_never_holds_an_expired_image_address(
    client, settings, private_course, member_of_private
):
    """A page kept in the cache until just before PAGE_CACHE_SECONDS shows addresses
    that still work after it (the lifetime configured here is too short)."""
    import time_machine

    settings.PAGE_CACHE_SECONDS = settings.MEDIA_SIGNED_URL_SECONDS = 600
    drawn = 1_800_000_000  # a whole number of windows: the address is signed for the least
    with time_machine.travel(drawn, tick=False):
        post = publish_with_image(client, private_course, member_of_private)
        client.force_login(member_of_private)
        src = image_src(client.get(post.get_absolute_url()).content.decode())
    with time_machine.travel(drawn + settings.PAGE_CACHE_SECONDS - 1, tick=False):
        assert image_src(client.get(post.get_absolute_url()).content.decode()) == src
    client.logout()
    with time_machine.travel(drawn + settings.PAGE_CACHE_SECONDS + 300, tick=False):
        assert client.get(src).status_code == 200


def test_a_member_reads_body_images_without_a_signature(client, private_course, member_of_private):
    client.force_login(member_of_private)
    url = reverse("blog:body_image_upload", args=[private_course.slug])
    markdown = client.post(url, {"image": jpeg_upload()}).json()["markdown"]
    src = re.search(r"\]\((/media/[^)]+)\)", markdown)[1]
    assert client.get(src).status_code == 200
    client.logout()
    assert client.get(src).status_code == 403


def test_behind_nginx_the_view_answers_with_x_accel_redirect(client, settings, course, student):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    post = publish_with_image(client, course, student)
    name = post.large_image["name"]
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{name}"
    assert response.content == b""


def test_media_view_refuses_paths_outside_the_store(client, db):
    assert client.get("/media/../config/settings.py").status_code == 404
    assert client.get("/media/courses/999/posts/x.webp").status_code == 404
    assert client.get("/media/avatars/missing.webp").status_code == 404


def test_anonymous_pages_of_public_courses_carry_no_signed_addresses(client, course, student):
    publish_with_image(client, course, student)
    html = client.get(reverse("blog:course_detail", args=[course.slug])).content.decode()
    assert "/media/courses/" in html
    assert "signature=" not in html


def test_uploads_other_than_avatars_emblems_and_course_images_are_never_served(client, db):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("imports/export.xml", ContentFile(b"<rss>emails</rss>"))
    assert client.get(f"/media/{name}").status_code == 404
    avatar = default_storage.save("avatars/2026/12/a.webp", ContentFile(b"RIFF"))
    assert client.get(f"/media/{avatar}").status_code == 200
