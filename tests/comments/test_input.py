"""Flood and duplicate control, the honeypot, bad input and sanitisation."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.comments.conftest import create_url, post_comment
from tests.factories import CommentFactory, PostFactory


def test_posting_again_within_the_flood_interval_is_refused_and_keeps_the_text(
    client, post, student
):
    client.force_login(student)
    post_comment(client, post, body="First thought.")
    response = post_comment(client, post, body="Second thought, typed quickly.")
    html = response.content.decode()
    assert response.status_code == 400
    assert "You are commenting too quickly" in html
    assert "Second thought, typed quickly." in html
    assert Comment.objects.count() == 1


def test_flood_interval_comes_from_settings(client, post, student, settings):
    settings.COMMENT_FLOOD_INTERVAL = 0
    client.force_login(student)
    post_comment(client, post, body="One.")
    post_comment(client, post, body="Two.")
    assert Comment.objects.count() == 2


def test_guests_are_flood_controlled_by_address_and_email(client, post, guest_data):
    client.post(create_url(post), guest_data)
    again = client.post(create_url(post), {**guest_data, "body": "More."})
    other_email = client.post(
        create_url(post), {**guest_data, "guest_email": "other@example.org", "body": "Hi."}
    )
    other_address = client.post(
        create_url(post), {**guest_data, "body": "Hello."}, REMOTE_ADDR="10.9.8.7"
    )
    assert again.status_code == 400
    assert other_email.status_code == 302
    assert other_address.status_code == 302


def test_guest_flood_control_counts_each_client_behind_the_proxy(settings, post, guest_data):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert first.post(create_url(post), guest_data).status_code == 302
    assert first.post(create_url(post), {**guest_data, "body": "More."}).status_code == 400
    # Another reader behind the same nginx (the same shared-computer details) is not held up.
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert other.post(create_url(post), {**guest_data, "body": "Mine."}).status_code == 302


def test_the_address_is_not_stored_with_the_comment(client, post, guest_data):
    client.post(create_url(post), guest_data, REMOTE_ADDR="203.0.113.9")
    comment = Comment.objects.values().get()
    assert "203.0.113.9" not in str(comment)


def test_saying_the_same_thing_twice_is_refused(client, post, student, settings):
    settings.COMMENT_FLOOD_INTERVAL = 0
    client.force_login(student)
    post_comment(client, post, body="Great post!")
    response = post_comment(client, post, body="Great post!")
    assert "It looks as though you’ve already said that." in response.content.decode()
    assert Comment.objects.count() == 1


def test_someone_else_may_say_the_same_thing(client, post, student, classmate):
    CommentFactory(post=post, author=classmate, body="Great post!")
    client.force_login(student)
    assert post_comment(client, post, body="Great post!").status_code == 302


def test_honeypot_stops_naive_bots(client, post, guest_data):
    response = client.post(create_url(post), {**guest_data, "homepage": "http://spam.example"})
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body": "   \n "}, "Please write something before posting."),
        ({"body": "x" * 10_001}, "Comments can be up to 10,000 characters long"),
        ({"guest_website": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"guest_website": "ftp://files.example.org"}, "starting with http:// or https://"),
        ({"guest_name": "N" * 101}, "at most 100 characters"),
        ({"guest_name": "Evil\x07Bell"}, "characters that can"),
        ({"guest_name": "Admin\u202etxt.exe"}, "characters that can"),
        ({"guest_email": "not-an-email"}, "Enter a valid email address."),
        ({"guest_name": ""}, "This field is required."),
    ],
)
def test_bad_guest_input_gets_a_clear_message_and_keeps_the_text(
    client, post, guest_data, changes, message
):
    data = {**guest_data, "body": "Text I want to keep.", **changes}
    response = client.post(create_url(post), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert not Comment.objects.exists()
    if "body" not in changes:
        assert "Text I want to keep." in html


def test_a_parent_from_another_post_is_refused(client, post, student):
    elsewhere = CommentFactory(post=PostFactory(course=post.course))
    client.force_login(student)
    response = post_comment(client, post, parent=elsewhere.pk)
    assert response.status_code == 400
    assert "not part of this discussion" in response.content.decode()


@pytest.mark.parametrize("parent", ["abc", "99999", "-1"])
def test_a_nonsense_parent_is_refused_without_error(client, post, student, parent):
    client.force_login(student)
    assert post_comment(client, post, parent=parent).status_code == 400


def test_a_like_by_a_guest_is_forbidden(client, post):
    comment = CommentFactory(post=post)
    response = client.post(
        reverse("comments:comment_like", args=[comment.pk]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403


def test_missing_comments_are_not_found(client, student):
    client.force_login(student)
    for name in ("comment_reply", "comment_edit", "comment_delete"):
        assert client.get(reverse(f"comments:{name}", args=[424242])).status_code == 404


def test_unknown_moderation_action_is_a_bad_request(client, post, instructor):
    comment = CommentFactory(post=post)
    client.force_login(instructor)
    response = client.post(
        reverse("comments:comment_moderate", args=[comment.pk]), {"action": "delete-all"}
    )
    assert response.status_code == 400


XSS_BODIES = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="position:fixed" onclick="alert(1)">x</p>',
    "# A heading\n\n![image](https://evil.example/pixel.png)",
]


@pytest.mark.parametrize("body", XSS_BODIES)
def test_comment_bodies_are_sanitised(client, post, student, body):
    client.force_login(student)
    post_comment(client, post, body=body)
    stored = Comment.objects.get().body_html
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "data:",
        "<iframe",
        "style=",
        "<img",
        "<h1",
    ):
        assert bad not in stored
    html = client.get(post.get_absolute_url()).content.decode()
    assert "alert(1)</script>" not in html


def test_markdown_subset_renders_emphasis_links_quotes_lists_and_code(client, post, student):
    client.force_login(student)
    post_comment(
        client,
        post,
        body="*em* **strong** `code`\n\n> quote\n\n- one\n- two\n\n[a link](https://example.org)",
    )
    html = Comment.objects.get().body_html
    for tag in (
        "<em>em</em>",
        "<strong>strong</strong>",
        "<code>code</code>",
        "<blockquote>",
        "<li>one</li>",
        'href="https://example.org"',
    ):
        assert tag in html


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_guest_names_and_websites_are_escaped(client, post, instructor, name):
    CommentFactory(
        post=post, author=None, guest_name=name, guest_website='https://x.example/"onmouseover="a'
    )
    client.force_login(instructor)
    html = client.get(post.get_absolute_url()).content.decode()
    assert name not in html
    assert '"onmouseover="a' not in html
    assert "&lt;" in html
