"""A course's face (docs/design.md): a header image through the image pipeline with a
focal point, and an accent colour from a palette that keeps WCAG AA contrast in the
light and dark themes, checked against the stylesheet's own colours."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from blog import checks, palette
from blog.models import Course
from tests import factories
from tests.helpers import image_bytes, jpeg_upload, upload

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "main.css"


def settings_data(course, **changes):
    return {
        "title": course.title,
        "visibility": course.visibility,
        "guest_comments": "moderated",
        "thread_depth": 5,
        "time_zone": course.time_zone,
        "header_focus_x": 50,
        "header_focus_y": 50,
        "accent": "",
    } | changes


def save_settings(client, course, **changes):
    return client.post(
        reverse("blog:course_settings", args=[course.slug]), settings_data(course, **changes)
    )


# --- The palette's contrast, computed ---


def test_contrast_ratios_follow_wcag():
    assert palette.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert palette.contrast("#777777", "#777777") == pytest.approx(1)
    assert palette.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_stylesheet_themes_are_read_from_its_custom_properties():
    themes = palette.theme_colours(STYLESHEET.read_text())
    assert themes["light"] == {"paper": "#fbf8f3", "card": "#ffffff", "ink": "#1d2521"}
    assert themes["dark"]["paper"] == "#121815"
    assert set(themes["dark"]) == {"paper", "card", "ink"}


def test_every_palette_colour_keeps_aa_contrast_in_both_themes():
    themes = palette.theme_colours(STYLESHEET.read_text())
    assert palette.contrast_problems(themes) == []
    checked = [
        (accent.key, name)
        for accent in palette.PALETTE
        for name in ("light", "dark")
        for _ in palette.pairs_to_check(getattr(accent, name), themes[name])
    ]
    assert len(checked) == len(palette.PALETTE) * 2 * 9


def test_a_colour_short_of_aa_is_named():
    themes = palette.theme_colours(STYLESHEET.read_text())
    pale = palette.Shades("#9fd3c7", "#164337", "#e3efe9", "#1f5c4d", "#164337")
    bad = palette.Accent("pale", "Pale", pale, palette.PALETTE[0].dark)
    problems = palette.contrast_problems(themes, palette=[bad])
    assert any(p.startswith("Pale, light theme: accent text on the page") for p in problems)


def test_the_system_check_follows_the_stylesheet(monkeypatch):
    assert checks.accent_palette_contrast_check(None) == []
    css = STYLESHEET.read_text().replace("--paper: #121815;", "--paper: #5a5a5a;", 1)
    monkeypatch.setattr(Path, "read_text", lambda self, **kwargs: css)
    errors = checks.accent_palette_contrast_check(None)
    assert errors and {e.id for e in errors} == {"blog.E001"}
    assert all("dark theme" in e.msg for e in errors)


# --- The accent on the course's pages ---


def test_the_accent_is_set_on_the_course_pages_in_a_nonced_style(client, course, post):
    course.accent = "plum"
    course.save()
    plum = palette.BY_KEY["plum"]
    for url in (course.get_absolute_url(), post.get_absolute_url()):
        response = client.get(url)
        html = response.content.decode()
        style = re.search(r'<style nonce="([^"]+)">([^<]*)</style>', html)
        assert style, url
        assert f"'nonce-{style[1]}'" in response["Content-Security-Policy"]
        assert f"--accent:{plum.light.accent}" in style[2]
        assert f"[data-bs-theme=dark]{{--accent:{plum.dark.accent}" in style[2]
    assert "--accent:" not in client.get("/").content.decode()  # not a course page


def test_a_course_without_an_accent_or_header_adds_no_style(client, course):
    assert "<style nonce" not in client.get(course.get_absolute_url()).content.decode()


def test_the_accent_from_a_cached_page_gets_the_readers_nonce(client, course):
    course.accent = "teal"
    course.save()
    client.get(course.get_absolute_url())
    response = client.get(course.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode())[1]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_an_instructor_chooses_the_accent(client, course, instructor):
    client.force_login(instructor)
    html = client.get(reverse("blog:course_settings", args=[course.slug])).content.decode()
    for accent in palette.PALETTE:
        assert f'value="{accent.key}"' in html and f"accent-swatch--{accent.key}" in html
    assert save_settings(client, course, accent="crimson").status_code == 302
    assert Course.objects.get(pk=course.pk).accent == "crimson"
    assert palette.BY_KEY["crimson"].light.accent in client.get(course.get_absolute_url()).text


def test_a_colour_outside_the_palette_is_refused(client, course, instructor):
    client.force_login(instructor)
    response = save_settings(client, course, accent="#ff00ff", title="Kept title")
    assert response.status_code == 400
    assert "Select a valid choice" in response.text and 'value="Kept title"' in response.text
    assert Course.objects.get(pk=course.pk).accent == ""


# --- The header image ---


def test_an_instructor_uploads_a_header_with_a_focal_point(client, course, instructor):
    client.force_login(instructor)
    response = save_settings(
        client, course, header_upload=jpeg_upload(), header_focus_x=20, header_focus_y=70
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert [r["width"] for r in course.header_renditions] == [800, 1600]
    names = [r["name"] for r in course.header_renditions]
    assert all(name.startswith(f"courses/{course.pk}/header/") for name in names)
    assert all(default_storage.exists(name) for name in names)
    html = client.get(course.get_absolute_url()).text
    assert 'class="course-face__image"' in html and "800w" in html and "1600w" in html
    assert ".course-face__image{object-position:20% 70%}" in html
    settings_page = client.get(reverse("blog:course_settings", args=[course.slug])).text
    assert "data-focal" in settings_page and "js/focal.js" in settings_page


def test_a_new_header_replaces_the_old_and_removing_it_deletes_the_files(
    client, course, instructor, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        save_settings(client, course, header_upload=jpeg_upload())
    course.refresh_from_db()
    first = [r["name"] for r in course.header_renditions]
    with django_capture_on_commit_callbacks(execute=True):
        save_settings(client, course, header_upload=jpeg_upload())
    course.refresh_from_db()
    assert not any(default_storage.exists(name) for name in first)
    second = [r["name"] for r in course.header_renditions]
    with django_capture_on_commit_callbacks(execute=True):
        save_settings(client, course, remove_header="on")
    course.refresh_from_db()
    assert course.header_renditions == []
    assert not any(default_storage.exists(name) for name in second)
    assert "course-face__image" not in client.get(course.get_absolute_url()).text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not an image at all", "This file is not an image we can read."),
        (image_bytes(fmt="BMP"), "Only JPEG, PNG, WebP and GIF"),
    ],
    ids=["text", "bmp"],
)
def test_a_bad_upload_is_a_clear_400_that_keeps_the_form(client, course, instructor, data, message):
    client.force_login(instructor)
    response = save_settings(
        client, course, header_upload=upload(data, "header.jpg"), title="Typed title"
    )
    assert response.status_code == 400
    assert message in response.text
    assert 'value="Typed title"' in response.text
    course.refresh_from_db()
    assert course.header_renditions == [] and course.title == "History 101"


@pytest.mark.parametrize("x, y", [(101, 50), (50, -1), ("left", 50)])
def test_a_focal_point_outside_the_picture_is_refused(client, course, instructor, x, y):
    client.force_login(instructor)
    response = save_settings(client, course, header_focus_x=x, header_focus_y=y)
    assert response.status_code == 400
    assert 'id="id_header_focus_x"' in response.text


def test_a_form_from_an_older_page_keeps_the_focal_point(client, course, instructor):
    course.header_focus_x = 30
    course.save()
    client.force_login(instructor)
    data = settings_data(course)
    del data["header_focus_x"], data["header_focus_y"]
    assert client.post(reverse("blog:course_settings", args=[course.slug]), data).status_code == 302
    assert Course.objects.get(pk=course.pk).header_focus_x == 30


def test_a_members_only_courses_header_has_signed_addresses(client, private_course):
    instructor = factories.MembershipFactory(course=private_course, role="instructor").user
    client.force_login(instructor)
    save_settings(client, private_course, header_upload=jpeg_upload())
    html = client.get(private_course.get_absolute_url()).text
    src = re.search(r'class="course-face__image" src="([^"]+)"', html)[1]
    assert "signature=" in src
    client.logout()
    assert client.get(src.split("?")[0]).status_code == 403


def test_students_cannot_change_the_face(client, course, student):
    client.force_login(student)
    assert save_settings(client, course, accent="plum").status_code == 403
    assert Course.objects.get(pk=course.pk).accent == ""
