"""Instructors define, edit, retire and restore their course's awards."""

import io
import os
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from awards.models import Award
from tests import factories


def png(size=(300, 200), colour="gold"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile("emblem.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def create_url(course):
    return reverse("awards:award_create", args=[course.slug])


def test_instructor_creates_an_award(client, course, instructor, create_url):
    client.force_login(instructor)
    response = client.post(
        create_url,
        {
            "name": "  Sharpest   Question ",
            "description": "For the question that changed the discussion.",
            "emoji": "❓",
            "colour": "#3366CC",
        },
    )
    assert response["Location"] == reverse("awards:award_manage", args=[course.slug])
    award = Award.objects.get()
    assert (award.course, award.name, award.slug) == (
        course,
        "Sharpest Question",
        "sharpest-question",
    )
    assert award.colour == "#3366cc"


@pytest.mark.parametrize(
    "colour", ["red", "#12345", "#1234567", "#12g456", "#fff;background:url(x)", "expression()"]
)
def test_colour_must_be_hash_and_six_hex_digits(client, instructor, create_url, colour):
    client.force_login(instructor)
    response = client.post(create_url, {"name": "Prize", "emoji": "🏅", "colour": colour})
    assert response.status_code == 200
    assert "colour" in response.context["form"].errors
    assert not Award.objects.exists()


def test_colour_input_carries_no_attribute_html_forbids_on_it(client, instructor, create_url):
    """type=color allows neither maxlength nor required (the Nu HTML Checker)."""
    client.force_login(instructor)
    content = client.get(create_url).content.decode()
    tag = re.search(r'<input type="color"[^>]*>', content).group()
    assert 'name="colour"' in tag
    assert "maxlength" not in tag
    assert "required" not in tag


def test_model_validation_rejects_a_bad_colour_too(course):
    award = Award(course=course, name="Prize", colour="#fff;}body{display:none")
    with pytest.raises(ValidationError) as error:
        award.full_clean()
    assert "colour" in error.value.message_dict


@pytest.mark.parametrize("emoji", ["abc", "<b>", "🏅🏅🏅🏅🏅🏅🏅🏅🏅"])
def test_emblem_emoji_must_be_a_short_symbol(client, instructor, create_url, emoji):
    client.force_login(instructor)
    response = client.post(create_url, {"name": "Prize", "emoji": emoji, "colour": "#123456"})
    assert "emoji" in response.context["form"].errors


def test_award_names_are_unique_in_a_course_ignoring_case(client, award, instructor, create_url):
    client.force_login(instructor)
    response = client.post(
        create_url, {"name": "best use of SOURCES", "emoji": "📜", "colour": "#123456"}
    )
    assert response.context["form"].errors["name"] == [
        "This course already has an award with this name."
    ]
    factories.AwardFactory(name="Best Use of Sources")  # another course may reuse it


def test_an_award_named_like_a_page_gets_another_slug(client, course, instructor, create_url):
    client.force_login(instructor)
    client.post(create_url, {"name": "Manage", "emoji": "🏅", "colour": "#123456"})
    award = Award.objects.get()
    assert award.slug == "manage-2"
    detail = client.get(reverse("awards:award_detail", args=[course.slug, award.slug]))
    assert detail.status_code == 200


def test_an_uploaded_emblem_is_cropped_square_and_shown(
    client, course, post, instructor, create_url
):
    client.force_login(instructor)
    client.post(create_url, {"name": "Gold", "image": png(), "colour": "#123456"})
    award = Award.objects.get()
    with Image.open(award.image.path) as stored:
        assert stored.size == (160, 160) and stored.format == "WEBP"
    factories.AwardGrantFactory(award=award, post=post)
    assert award.image.url in client.get(post.get_absolute_url()).content.decode()


def test_an_emblem_that_is_not_an_image_is_refused(client, instructor, create_url):
    client.force_login(instructor)
    fake = SimpleUploadedFile("emblem.png", b"not an image", content_type="image/png")
    response = client.post(create_url, {"name": "Gold", "image": fake, "colour": "#123456"})
    assert "image" in response.context["form"].errors
    assert not Award.objects.exists()


def test_replacing_an_emblem_deletes_the_old_file(
    client, course, instructor, create_url, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    client.post(create_url, {"name": "Gold", "image": png(), "colour": "#123456"})
    award = Award.objects.get()
    old_path = award.image.path
    edit_url = reverse("awards:award_edit", args=[course.slug, award.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url, {"name": "Gold", "image": png(colour="red"), "colour": "#123456"})
    award.refresh_from_db()
    assert award.image.path != old_path
    assert not os.path.exists(old_path)


def test_instructor_edits_an_award_keeping_its_slug(client, course, award, instructor):
    client.force_login(instructor)
    url = reverse("awards:award_edit", args=[course.slug, award.slug])
    response = client.post(
        url, {"name": "Best Use of Evidence", "emoji": "🔎", "colour": "#445566"}
    )
    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.name, award.slug, award.emoji) == (
        "Best Use of Evidence",
        "best-use-of-sources",
        "🔎",
    )


def test_retire_then_restore(client, course, award, post, instructor):
    client.force_login(instructor)
    client.post(reverse("awards:award_retire", args=[course.slug, award.slug]))
    award.refresh_from_db()
    assert award.is_retired
    manage = client.get(reverse("awards:award_manage", args=[course.slug])).content.decode()
    assert "Retired" in manage and "Grant it again" in manage
    client.post(reverse("awards:award_restore", args=[course.slug, award.slug]))
    award.refresh_from_db()
    assert not award.is_retired


def test_post_counts_count_only_published_holders(course, award):
    factories.AwardGrantFactory(award=award)
    factories.AwardGrantFactory(
        award=award, post=factories.PostFactory(course=course, status="draft")
    )
    assert Award.objects.with_post_counts().get(pk=award.pk).post_count == 1


def test_demo_awards_are_seeded_once(db):
    from accounts import demo as accounts_demo
    from awards import demo as awards_demo
    from blog import demo as blog_demo

    ctx = {"password": "x", "logins": []}
    accounts_demo.seed(ctx)
    blog_demo.seed(ctx)
    awards_demo.seed(ctx)
    awards_demo.seed(ctx)
    course = ctx["course"]
    assert set(course.awards.values_list("name", flat=True)) == {
        "Comrade's Corner",
        "Best Use of Sources",
    }
    grants = list(Award.objects.filter(course=course).values_list("grants__citation", flat=True))
    assert len(grants) == 2
    assert sum(bool(citation) for citation in grants) == 1


def test_save_award_from_plain_values(course):
    from awards.models import Award
    from awards.services import save_award

    award = save_award(award=Award(course=course), name="Best Close Reading", emoji="🔍")
    assert award.pk and award.slug and award.emoji == "🔍"
    save_award(award=award, name="Closest Reading")
    award.refresh_from_db()
    assert award.name == "Closest Reading" and award.emoji == "🔍"


def test_instructor_writes_the_awards_criteria(client, course, instructor, create_url):
    client.force_login(instructor)
    client.get(create_url)
    response = client.post(
        create_url,
        {
            "name": "Close Reader",
            "criteria": "Quotes the source and says what it leaves out.",
            "emoji": "📜",
            "colour": "#123456",
        },
    )
    assert response.status_code == 302
    assert Award.objects.get().criteria == "Quotes the source and says what it leaves out."
    page = client.get(reverse("awards:award_create", args=[course.slug])).content.decode()
    assert 'name="criteria"' in page
