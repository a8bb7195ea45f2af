"""The editor never loses a chosen featured image (issue 17, item 7). Without JavaScript,
Preview (and Insert image, and a form sent back with an error) keep the upload across
the round trip; with JavaScript, Preview doesn't submit the form (tests/e2e)."""

import io
import re
from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from blog import pending
from blog.models import Post
from tests.helpers import editor_data, jpeg_upload


def token_in(response):
    match = re.search(r'name="pending_image" value="([^"]+)"', response.content.decode())
    return match and match.group(1)


def write(client, course, **data):
    return client.post(reverse("blog:post_create", args=[course.slug]), data)


def test_preview_without_javascript_keeps_the_image_and_says_so(
    client, course, student, django_capture_on_commit_callbacks
):
    client.force_login(student)
    data = editor_data(action="preview", image_alt="A sunny square")
    response = write(client, course, **data, image_upload=jpeg_upload("my-poster.jpg"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Image kept: <strong>my-poster.jpg</strong>" in html
    assert 'value="A sunny square"' in html
    token = token_in(response)
    kept = pending.read(token, user=student)
    assert default_storage.exists(kept.name)

    # A second preview carries it on; Publish stores it with the post.
    again = write(client, course, **{**data, "pending_image": token})
    assert token_in(again) == token
    with django_capture_on_commit_callbacks(execute=True):
        write(client, course, **{**data, "action": "publish", "pending_image": token})
    post = Post.objects.get()
    assert post.image and post.image_renditions
    assert not default_storage.exists(kept.name)  # the kept file is cleaned up


def test_a_form_sent_back_with_an_error_keeps_the_image(client, course, student):
    client.force_login(student)
    data = editor_data(title="", image_alt="A sunny square")
    response = write(client, course, **data, image_upload=jpeg_upload("poster.jpg"))
    assert "Image kept: <strong>poster.jpg</strong>" in response.content.decode()
    write(client, course, **{**data, "title": "Now titled", "pending_image": token_in(response)})
    assert Post.objects.get().image


def test_a_new_choice_replaces_the_kept_image(
    client, course, student, django_capture_on_commit_callbacks
):
    client.force_login(student)
    data = editor_data(action="preview", image_alt="Alt")
    first = token_in(write(client, course, **data, image_upload=jpeg_upload("one.jpg")))
    with django_capture_on_commit_callbacks(execute=True):
        response = write(
            client, course, **data, pending_image=first, image_upload=jpeg_upload("two.jpg")
        )
    assert "Image kept: <strong>two.jpg</strong>" in response.content.decode()
    assert pending.read(first, user=student) is None  # the first file is gone


def test_a_file_that_is_not_an_image_is_refused_with_its_reason(client, course, student):
    client.force_login(student)
    bad = jpeg_upload("notes.jpg", data=b"not an image at all")
    response = write(client, course, **editor_data(action="preview"), image_upload=bad)
    html = response.content.decode()
    assert "The featured image was not kept: This file is not an image we can read." in html
    assert token_in(response) is None


def test_someone_elses_or_a_tampered_token_is_ignored(client, course, student, classmate):
    client.force_login(student)
    data = editor_data(action="preview", image_alt="Alt")
    token = token_in(write(client, course, **data, image_upload=jpeg_upload()))
    client.force_login(classmate)
    response = write(client, course, **{**data, "pending_image": token})
    assert response.status_code == 200 and token_in(response) is None
    write(client, course, **{**data, "action": "publish", "pending_image": token[:-3] + "abc"})
    assert not Post.objects.get().image


def test_insert_image_without_javascript_keeps_the_featured_image(client, course, student):
    client.force_login(student)
    data = editor_data(action="insert_image", image_alt="Alt")
    response = write(
        client,
        course,
        **data,
        image_upload=jpeg_upload("featured.jpg"),
        body_image=jpeg_upload("inline.jpg"),
    )
    assert "Image kept: <strong>featured.jpg</strong>" in response.content.decode()


def test_stale_kept_images_are_cleared(client, course, student):
    client.force_login(student)
    data = editor_data(action="preview")
    token = token_in(write(client, course, **data, image_upload=jpeg_upload()))
    kept = pending.read(token, user=student)
    out = io.StringIO()
    call_command("clear_pending_images", stdout=out)
    assert out.getvalue() == "Deleted 0 kept images.\n"
    assert default_storage.exists(kept.name)
    assert pending.clear_stale(older_than=timedelta(seconds=-1)) == 1
    assert not default_storage.exists(kept.name)
