"""The author is emailed (through notifications) once the grant is committed; a mail
failure never breaks the page."""

import logging

from django.core import mail

from awards import services
from tests import factories
from tests.awards.conftest import confirm_grant
from tests.notifications.mail import FailingEmailBackend


def test_author_is_emailed_after_the_grant_commits(
    client, post, award, instructor, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirm_grant(client, post, award, "Every claim has a page number.")
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing is sent before the commit
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == [post.author.email]
    assert message.subject == "Your post “A published post” received the Best Use of Sources award"
    assert f"{instructor.name} gave your post" in message.body
    assert "Every claim has a page number." in message.body
    assert post.get_absolute_url() + "#awards" in message.body


def test_no_email_when_the_grant_is_refused(
    client, post, award, instructor, django_capture_on_commit_callbacks
):
    factories.AwardGrantFactory(award=award, post=post)
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_grant(client, post, award)
    assert mail.outbox == []


def test_a_mail_failure_is_logged_and_the_grant_stands(
    client, post, award, instructor, django_capture_on_commit_callbacks, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.notifications.mail.FailingEmailBackend"
    FailingEmailBackend.reset()
    client.force_login(instructor)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = confirm_grant(client, post, award)
    assert response.status_code == 302
    assert post.award_grants.count() == 1
    assert f"Gave up emailing ['{post.author.email}']" in caplog.text


def test_the_author_gets_exactly_one_email(
    client, post, award, instructor, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_grant(client, post, award)
    assert [m.to for m in mail.outbox] == [[post.author.email]]


def test_author_without_an_email_address_is_not_emailed(
    post, award, instructor, django_capture_on_commit_callbacks
):
    post.author.email = ""
    post.author.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.grant_award(award=award, post=post, granted_by=instructor)
    assert mail.outbox == []
