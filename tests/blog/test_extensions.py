"""The page slots and the editor's sections: other apps add to blog's pages and editor
(config/hooks.py)."""

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from blog import extensions
from blog.models import BodyImage
from config import hooks
from tests.helpers import image_bytes, upload


class NoteForm(forms.Form):
    note = forms.CharField(max_length=20)

    def __init__(self, *args, post, course, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture
def note_section(tmp_path, settings):
    """An editor section of a pretend app, the only one: a required note, kept in `saved`."""
    saved = []
    (tmp_path / "note.html").write_text("<div class=note>{{ section_form.note }}</div>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    section = hooks.EditorSection(
        "notes",
        form_class=NoteForm,
        template="note.html",
        save=lambda *, post, cleaned_data: saved.append((post.pk, cleaned_data["note"])),
    )
    with hooks.EDITOR_SECTIONS.override(section, keep=False):
        yield saved


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
    """Slots are hooks: a template can name only a declared one."""
    template = Template('{% load blog_tags %}{% page_parts "post_footer" %}')
    with pytest.raises(LookupError):
        template.render(Context({"page_parts": {}}))
    assert "post_footer" not in hooks.SLOTS


def test_every_slot_is_declared_with_its_name():
    assert set(hooks.SLOTS) == {
        "site_nav", "site_bar", "home", "post_banners", "post_body_end", "post_after_body",
        "page_after_body",
        "post_card_badges", "post_card_stats", "course_sidebar", "course_instructor_links",
        "manage_tabs", "course_header", "search_results", "roster_panels",
    }  # fmt: skip
    assert all(name == slot.name for name, slot in hooks.SLOTS.items())


def test_a_part_registered_twice_in_a_slot_is_refused():
    part = hooks.Part("blog/_liked_by.html")
    with hooks.COURSE_SIDEBAR.override(part), pytest.raises(hooks.AlreadyRegistered):
        hooks.COURSE_SIDEBAR.register(hooks.Part("blog/_liked_by.html", lambda r, o: {}))


def test_a_slot_the_view_did_not_prepare_is_an_error(rf):
    template = Template('{% load blog_tags %}{% page_parts "post_banners" %}')
    with pytest.raises(LookupError):
        template.render(Context({}))


def test_a_part_whose_context_is_none_is_not_shown(rf, user):
    hidden = hooks.Part("blog/_liked_by.html", lambda r, o: None)
    request = rf.get("/")
    request.user = user
    with hooks.COURSE_SIDEBAR.override(hidden, keep=False):
        assert extensions.page_parts(request, None, hooks.COURSE_SIDEBAR) == {
            "page_parts": {"course_sidebar": []}
        }
