"""Editing one's profile, and the avatar upload rules."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import UserFactory

GPS_IFD = 0x8825


def jpeg_with_gps(size=(640, 480)):
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 13.0, 24.0), 3: "E", 4: (13.0, 24.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture really has GPS
    return data


def upload(data, name="me.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def profile_data(**overrides):
    return {
        "display_name": "Ann the Historian",
        "bio": "Posters and plans.",
        "website": "https://ann.example.edu",
        **overrides,
    }


@pytest.mark.django_db
def test_profile_edit_requires_login(client):
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_owner_edits_profile_and_sees_it_on_the_public_page(client, user):
    client.force_login(user)
    page = client.get(reverse("accounts:profile_edit"))
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    assert b'aria-label="Account settings"' in page.content
    assert reverse("socialaccount_connections").encode() in page.content

    response = client.post(reverse("accounts:profile_edit"), profile_data())

    assert response.status_code == 302
    assert response["Location"] == user.get_absolute_url()
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.website) == (
        "Ann the Historian",
        "Posters and plans.",
        "https://ann.example.edu",
    )
    public = client.get(user.get_absolute_url())
    assert b"Ann the Historian" in public.content
    assert b"Edit your profile" in public.content


@pytest.mark.django_db
def test_only_the_owner_sees_the_edit_link(client, user):
    client.force_login(UserFactory())
    assert b"Edit your profile" not in client.get(user.get_absolute_url()).content
    client.logout()
    assert b"Edit your profile" not in client.get(user.get_absolute_url()).content


@pytest.mark.django_db
def test_avatar_is_stored_as_a_square_webp_without_metadata(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"), profile_data(avatar=upload(jpeg_with_gps()))
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.endswith(".webp")
    with user.avatar.open("rb") as stored:
        image = Image.open(stored)
        image.load()
    assert image.format == "WEBP"
    assert image.size == (256, 256)
    assert not image.getexif()
    assert "exif" not in image.info and "xmp" not in image.info


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"#!/bin/sh\necho this is not a picture\n", "not an image we can read"),
        (jpeg_with_gps()[:1500], "damaged or incomplete"),
        (b"\xff\xd8" + b"\0" * (10 * 1024 * 1024 + 1), "the limit is 10 MB"),
    ],
    ids=["not-an-image-named-jpg", "truncated", "oversize"],
)
def test_bad_avatar_is_refused_and_the_rest_of_the_form_is_kept(client, user, data, message):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        profile_data(display_name="Typed but not saved", avatar=upload(data)),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Typed but not saved"' in html
    assert "Posters and plans." in html
    user.refresh_from_db()
    assert user.display_name != "Typed but not saved"
    assert not user.avatar


@pytest.mark.django_db
def test_rejected_form_does_not_change_the_name_in_the_header(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        profile_data(display_name="Not Saved", website="not a url at all"),
    )
    assert response.status_code == 200
    assert "Signed in as </span>Not Saved" not in response.content.decode()


@pytest.mark.django_db
def test_avatar_can_be_removed(client, user):
    client.force_login(user)
    client.post(reverse("accounts:profile_edit"), profile_data(avatar=upload(jpeg_with_gps())))
    client.post(reverse("accounts:profile_edit"), profile_data(**{"avatar-clear": "on"}))
    user.refresh_from_db()
    assert not user.avatar


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["replace", "clear"])
def test_a_replaced_or_cleared_avatar_file_is_deleted_after_commit(
    client, user, change, django_capture_on_commit_callbacks
):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:profile_edit"), profile_data(avatar=upload(jpeg_with_gps())))
    user.refresh_from_db()
    old, storage = user.avatar.name, user.avatar.storage
    assert storage.exists(old)
    if change == "replace":
        data = profile_data(avatar=upload(jpeg_with_gps(size=(300, 300)), name="new.jpg"))
    else:
        data = profile_data(**{"avatar-clear": "on"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(reverse("accounts:profile_edit"), data).status_code == 302
    assert storage.exists(old)  # not before the commit
    for callback in callbacks:
        callback()
    assert not storage.exists(old)
    user.refresh_from_db()
    assert user.avatar.name != old
    if change == "replace":
        assert storage.exists(user.avatar.name)


@pytest.mark.django_db
@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_profile_edit_next_never_leaves_the_site(client, user, evil):
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit") + f"?next={evil}", profile_data())
    assert response.status_code == 302
    assert response["Location"] == user.get_absolute_url()


@pytest.mark.django_db
def test_profile_edit_next_on_this_site_is_followed(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit") + "?next=/u/someone/", profile_data())
    assert response["Location"] == "/u/someone/"
