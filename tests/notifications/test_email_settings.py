"""Email per kind, as each user chooses, with a signed one-click unsubscribe link."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.models import (
    GuestSubscription,
    Notification,
    NotificationPreference,
)
from tests import factories
from tests.notifications.conftest import comment_on, recipients, unsubscribe_path


@pytest.fixture
def emailed(client, post, classmate, django_capture_on_commit_callbacks):
    """The post's author is emailed about a classmate's comment; returns the email."""
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Emailed comment.")
    client.logout()
    [message] = mail.outbox
    return message


def test_every_kind_is_emailed_by_default(student):
    preference = NotificationPreference.objects.for_user(student)
    assert all(preference.wants_email(kind) for kind in Notification.Kind.values)


def test_the_settings_page_saves_the_switches(client, student):
    client.force_login(student)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "<h1" in page and page.count("<h1") == 1
    assert "Replies to my comments" in page
    response = client.post(url, {"email_reply_to_comment": "on", "email_award_received": "on"})
    assert response["Location"] == url
    preference = NotificationPreference.objects.get(user=student)
    assert not preference.email_comment_on_post
    assert preference.email_reply_to_comment
    assert not preference.email_comment_pending


def test_the_settings_page_needs_sign_in(client):
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_kind_switched_off_is_not_emailed_but_still_shown(
    client, post, student, classmate, django_capture_on_commit_callbacks
):
    factories.CommentFactory(post=post, author=student)  # so a reply goes to the author
    NotificationPreference.objects.create(user=student, email_comment_on_post=False)
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Top-level: no email wanted.")
        comment_on(client, post, "A reply: emailed.", parent=post.comments.first())
    assert Notification.objects.filter(recipient=student).count() == 2
    [message] = mail.outbox
    assert message.to == [student.email]
    assert "replied to your comment" in message.subject


def test_every_email_carries_its_unsubscribe_link_and_header(emailed):
    path = unsubscribe_path(emailed)
    assert emailed.extra_headers["List-Unsubscribe"] == f"<https://{settings.SITE_DOMAIN}{path}>"
    assert emailed.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/settings/" in emailed.body


def test_the_link_turns_that_kind_off_without_sign_in(client, student, emailed):
    path = unsubscribe_path(emailed)
    page = client.get(path)
    assert page.status_code == 200
    assert "new comment on your post" in page.content.decode()
    assert NotificationPreference.objects.for_user(student).email_comment_on_post  # just asked
    done = client.post(path)
    assert done.status_code == 200
    assert "You’re unsubscribed" in done.content.decode()
    preference = NotificationPreference.objects.get(user=student)
    assert not preference.email_comment_on_post
    assert preference.email_reply_to_comment  # only that kind


def test_mail_clients_unsubscribe_with_one_post_and_no_csrf_token(student, emailed):
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(emailed), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not NotificationPreference.objects.get(user=student).email_comment_on_post


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-3] + "abc",  # signature
        lambda token: "eyJ1c2VyIjoxLCJraW5kIjoiYXdhcmRfcmVjZWl2ZWQifQ" + token[token.index(":") :],
        lambda token: token.split(":")[0],  # signature cut off
    ],
    ids=["signature", "payload", "cut"],
)
def test_a_tampered_link_is_refused_and_changes_nothing(client, student, change):
    token = NotificationPreference.unsubscribe_token(student, "comment_on_post")
    for method in (client.get, client.post):
        response = method(reverse("notifications:unsubscribe", args=[change(token)]))
        assert response.status_code == 400
        assert "This unsubscribe link isn’t valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_guests_token_is_no_good_for_a_users_link(client, post, student):
    subscription = factories.GuestSubscriptionFactory(comment__post=post)
    url = reverse("notifications:unsubscribe", args=[subscription.unsubscribe_token])
    assert client.post(url).status_code == 400
    assert GuestSubscription.objects.exists()


def test_instructors_can_turn_off_moderation_emails(
    client, post, instructor, guest, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=instructor, email_comment_pending=False)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Held.", **guest)
    assert Notification.objects.filter(recipient=instructor, kind="comment_pending").exists()
    assert recipients() == []
