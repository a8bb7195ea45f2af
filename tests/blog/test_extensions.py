"""The page-part registry: other apps add to blog's pages and to its editor."""

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from blog import extensions
from blog.models import BodyImage
from tests.helpers import image_bytes, upload


class NoteForm(forms.Form):
    note = forms.CharField(max_length=20)

    def __init__(self, *args, post, course, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture
def note_section(monkeypatch, tmp_path, settings):
    """An editor section of a pretend app: a required note, kept in `saved`."""
    saved = []
    (tmp_path / "note.html").write_text("<div class=note>{{ section_form.note }}</div>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    monkeypatch.setattr(extensions, "_editor_sections", [])
    extensions.register_editor_section(
        "notes",
        form_class=NoteForm,
        template="note.html",
        save=lambda *, post, cleaned_data: saved.append((post.pk, cleaned_data["note"])),
    )
    return saved


def editor_data(**extra):
    return {"title": "Samizdat", "body": "Typed by hand.", "action": "draft", **extra}


def test_an_editor_section_shows_its_fields(client, course, student, note_section):
    client.force_login(student)
    response = client.get(reverse("blog:post_create", args=[course.slug]))
    assert 'name="notes-note"' in response.content.decode()


def test_an_editor_section_is_saved_with_the_post(client, course, student, note_section):
    client.force_login(student)
    client.post(
        reverse("blog:post_create", args=[course.slug]), editor_data(**{"notes-note": "hi"})
    )
    post = course.posts.get()
    assert note_section == [(post.pk, "hi")]


def test_an_invalid_editor_section_keeps_the_post_unsaved(client, course, student, note_section):
    client.force_login(student)
    response = client.post(reverse("blog:post_create", args=[course.slug]), editor_data())
    assert response.status_code == 200
    assert not course.posts.exists() and note_section == []
    assert "Samizdat" in response.content.decode()  # what was typed stays


def test_a_preview_keeps_what_was_typed_in_a_section(client, course, student, note_section):
    client.force_login(student)
    data = editor_data(action="preview", **{"notes-note": "kept"})
    response = client.post(reverse("blog:post_create", args=[course.slug]), data)
    assert 'value="kept"' in response.content.decode()


def test_a_body_image_sent_with_a_save_is_inserted_into_the_text(client, course, student):
    client.force_login(student)
    data = editor_data(body_image=upload(image_bytes()))
    client.post(reverse("blog:post_create", args=[course.slug]), data)
    post = course.posts.get()
    assert BodyImage.objects.count() == 1
    assert post.body.startswith("Typed by hand.\n\n![Describe this image](")


def test_a_part_in_an_unknown_slot_is_refused():
    with pytest.raises(ValueError):
        extensions.register_part("post_footer", "x.html")


def test_a_slot_the_view_did_not_prepare_is_an_error(rf):
    template = Template('{% load blog_tags %}{% page_parts "post_banners" %}')
    with pytest.raises(LookupError):
        template.render(Context({}))


def test_a_part_whose_context_is_none_is_not_shown(rf, monkeypatch, user):
    monkeypatch.setattr(extensions, "_parts", [])
    extensions.register_part(extensions.COURSE_SIDEBAR, "blog/_liked_by.html", lambda r, o: None)
    request = rf.get("/")
    request.user = user
    assert extensions.page_parts(request, None, extensions.COURSE_SIDEBAR) == {
        "page_parts": {extensions.COURSE_SIDEBAR: []}
    }
