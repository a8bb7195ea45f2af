"""One avatar markup (accounts.avatars) and one drawing of each icon (blog.icons), used
by the templates and by the comment cards alike."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.avatars import avatar_html, initials_of
from blog.icons import PATHS
from comments.models import Comment


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Vera Ilyina", "VI"),
        ("anna_k", "AK"),
        ("j.smith", "JS"),
        ("Cher", "C"),
        ("  ", "?"),
        # Letters only (issue 27): punctuation, notes in brackets, emoji, other scripts.
        ("Jonas (guest)", "J"),
        ("(guest)", "G"),
        ('"Ana" O\'Neil', "AO"),
        ("- Mia -- Park", "MP"),
        ("🦊 Fox Mulder", "FM"),
        ("🦊🎉", "?"),
        ("Вера Ильина", "ВИ"),
        ("王小明", "王"),
        ("E\u0301mile Zola", "ÉZ"),
        ("3rd Person", "RP"),
    ],
)
def test_initials_come_from_letters_only(name, initials):
    assert initials_of(name) == initials


def test_avatar_escapes_what_it_is_given():
    html = avatar_html("", "<b>", "sm")
    assert (
        html
        == '<span class="avatar avatar--sm avatar--initials" aria-hidden="true">&lt;b&gt;</span>'
    )
    html = avatar_html('/m/a".png', "VI", "lg")
    assert 'src="/m/a&quot;.png"' in html
    assert 'width="80" height="80"' in html


@pytest.mark.django_db
def test_pages_and_comment_cards_draw_the_same_avatar(client, post, student, classmate):
    Comment.objects.create(post=post, author=classmate, body="A first thought.")
    page = client.get(post.get_absolute_url()).content.decode()
    # The byline (template tag) draws the markup; a comment card (comments.markup) the
    # initials alone, which the stylesheet draws the same as .avatar--sm (issue 34).
    assert avatar_html("", student.initials) in page
    assert f'<header><span aria-hidden="true">{classmate.initials}</span>' in page
    profile = client.get(reverse("accounts:profile", args=[student.username])).content.decode()
    assert avatar_html("", student.initials, "lg") in profile


@pytest.mark.django_db
def test_an_uploaded_picture_replaces_the_initials(client, student):

    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "teal").save(buffer, "PNG")
    client.force_login(student)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": student.name,
            "avatar": SimpleUploadedFile("me.png", buffer.getvalue(), "image/png"),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    student.refresh_from_db()
    profile = client.get(reverse("accounts:profile", args=[student.username])).content.decode()
    assert avatar_html(student.avatar.url, student.initials, "lg") in profile


@pytest.mark.django_db
def test_a_thread_draws_the_heart_once(client, post, classmate):
    for n in range(5):
        Comment.objects.create(post=post, author=classmate, body=f"Comment {n}.")
    client.force_login(classmate)
    page = client.get(post.get_absolute_url()).content.decode()
    # One inline heart on the post's own button; the comments' five small buttons get
    # theirs from the stylesheet, which masks the same path (liked and not).
    assert page.count(PATHS["heart"]) == 1
    assert page.count('<button form="comment-actions"') == 5
    assert page.count('class="like-button"') == 6  # the post's, and five small by where they stand
    assert "<use" not in page
    css = (settings.BASE_DIR / "static/css/main.css").read_text()
    assert css.count(f"%3Cpath d='{PATHS['heart']}'/%3E") == 2
