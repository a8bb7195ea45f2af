"""Guests: the form, the remember-me cookie, held comments and who sees them."""

import json

from comments.models import Comment
from comments.views import BLANK_FIELDS, GUEST_COOKIE, GUEST_COOKIE_SALT
from tests.comments.conftest import create_url
from tests.factories import CommentFactory

REMEMBER = "Save my name, email, and website in this browser for the next time I comment."


def test_signed_out_visitor_sees_the_guest_form_and_provider_icons(client, post):
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Leave a reply" in html
    assert "Fill in your details below or click an icon to sign in" in html
    for field in ("guest_name", "guest_email", "guest_website", "remember"):
        assert f'name="{field}"' in html
    assert REMEMBER in html


def test_signed_in_member_writes_as_themself(client, post, classmate):
    client.force_login(classmate)
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'Signed in as <a href="{classmate.get_absolute_url()}">{classmate.name}</a>' in html
    assert "Sign out?" in html
    assert 'name="guest_email"' not in html


def test_after_a_provider_sign_in_the_form_names_the_provider(client, post, outsider):
    client.force_login(outsider)
    session = client.session
    session["accounts_signed_in_with"] = "wordpress_com"
    session.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert "You are commenting using your WordPress.com account." in html
    assert ">Sign out</button>" in html and ">Change</button>" in html


def test_guest_comment_is_held_and_only_the_guest_and_moderators_see_it(
    client, post, guest_data, instructor, classmate
):
    response = client.post(create_url(post), guest_data)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.status == "pending"
    assert comment.author is None
    html = client.get(post.get_absolute_url()).content.decode()
    assert guest_data["body"] in html
    assert "Your comment is awaiting moderation." in html
    assert "No comments yet" in html and "0 thoughts" not in html

    client.logout()
    assert guest_data["body"] not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(classmate)
    assert guest_data["body"] not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(instructor)
    html = client.get(post.get_absolute_url()).content.decode()
    assert guest_data["body"] in html
    assert "Awaiting moderation." in html


def test_guest_details_are_remembered_only_when_asked(client, post, guest_data):
    client.post(create_url(post), guest_data)
    assert GUEST_COOKIE not in client.cookies
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'value="Vera Visitor"' not in html


def test_ticking_the_box_sets_a_signed_cookie_that_fills_the_form(client, post, guest_data):
    response = client.post(create_url(post), {**guest_data, "remember": "on"})
    cookie = response.cookies[GUEST_COOKIE]
    assert cookie["httponly"]
    raw = client.get(post.get_absolute_url()).wsgi_request.get_signed_cookie(
        GUEST_COOKIE, salt=GUEST_COOKIE_SALT
    )
    assert json.loads(raw)["guest_email"] == "vera@example.org"
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'value="Vera Visitor"' in html
    assert 'value="vera@example.org"' in html
    assert 'value="https://vera.example.org"' in html


def test_a_tampered_cookie_is_ignored(client, post):
    client.cookies[GUEST_COOKIE] = '{"guest_name": "Mallory"}:forged:signature'
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Mallory" not in html


def test_unticking_the_box_forgets_the_details(client, post, guest_data, settings):
    settings.COMMENT_FLOOD_INTERVAL = 0
    client.post(create_url(post), {**guest_data, "remember": "on"})
    response = client.post(create_url(post), {**guest_data, "body": "Another thought."})
    assert response.cookies[GUEST_COOKIE].value == ""


def test_guest_cannot_post_in_a_course_without_guest_comments(client, post, guest_data):
    post.course.guest_comments = "off"
    post.course.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'name="guest_email"' not in html
    assert client.post(create_url(post), guest_data).status_code == 403


def test_a_moderator_approving_makes_the_guest_comment_public(client, post, guest_data):
    client.post(create_url(post), guest_data)
    Comment.objects.update(status="approved")
    client.logout()
    html = client.get(post.get_absolute_url()).content.decode()
    assert guest_data["body"] in html
    assert f"One thought on “{post.title}”" in html


def test_another_guests_pending_comment_stays_hidden(client, post):
    CommentFactory(post=post, author=None, guest_name="Other", status="pending", body="Hidden")
    assert "Hidden" not in client.get(post.get_absolute_url()).content.decode()


def test_the_blank_reply_fields_are_drawn_once_but_never_for_a_remembered_guest(
    client, post, guest_data, settings
):
    """A blank "Leave a reply" is the same for every reader: its fields are drawn once
    per process (comments.views.BLANK_FIELDS); a guest's remembered details are not."""
    settings.PAGE_CACHE_SECONDS = 0  # every GET draws the page
    BLANK_FIELDS.clear()
    fields = "comments/_comment_fields.html"

    def drawn(response):
        return [t.name for t in response.templates].count(fields)

    first, second = client.get(post.get_absolute_url()), client.get(post.get_absolute_url())
    assert (drawn(first), drawn(second)) == (1, 0)
    assert 'name="guest_name"' in second.content.decode()
    # Without crispy's blank lines and indentation; the empty textarea as drawn.
    (blank,) = BLANK_FIELDS.values()
    assert "\n\n" not in blank and "\n " not in blank
    assert 'id="id_body">\n</textarea>' in blank
    client.post(create_url(post), {**guest_data, "remember": "on"})
    remembered = client.get(post.get_absolute_url())
    assert drawn(remembered) == 1
    assert 'value="Vera Visitor"' in remembered.content.decode()
