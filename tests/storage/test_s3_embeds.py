"""Embeds' thumbnails and images from the web on an S3-compatible bucket: stored like
the course's uploads, public or private with the course, following its changes."""

import pytest
import requests
from django.db import transaction

from blog import embeds, services
from blog.demo import DEMO_IMAGE, DEMO_VIDEO, canned_web
from blog.models import BodyImage, Embed
from blog.rendering import render_post_markdown
from tests.storage.conftest import ENDPOINT

pytestmark = pytest.mark.django_db


def object_status(bucket_name, name):
    return requests.get(f"{ENDPOINT}/{bucket_name}/{name}", timeout=5).status_code


def test_thumbnails_and_web_images_follow_the_course_visibility(
    bucket, course, student, django_capture_on_commit_callbacks
):
    _, name = bucket
    html = render_post_markdown(f"{DEMO_VIDEO}\n\n![Poster]({DEMO_IMAGE})")
    assert embeds.fetch_body_media(course=course, user=student, html=html, fetch=canned_web()) == []
    thumbnail = Embed.objects.get().thumbnail["name"]
    image = BodyImage.objects.get().renditions[0]["name"]
    assert object_status(name, thumbnail) == 200 and object_status(name, image) == 200
    course.visibility = course.Visibility.MEMBERS
    course.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.apply_course_media_access(course=course)
    assert object_status(name, thumbnail) == 403 and object_status(name, image) == 403
