"""Account email (verification, password reset) leaves through the task queue after the
commit: a mail server that refuses connections never turns a page into a 500."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

DEAD_SMTP_PORT = 8109  # nothing listens here


@pytest.fixture
def dead_mail_server(settings):
    """The production mail settings, pointed at a port where nothing listens."""
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = DEAD_SMTP_PORT
    settings.EMAIL_TIMEOUT = 2
    settings.NOTIFICATION_EMAIL_ATTEMPTS = 2


def sign_up(client, username="newstudent", email="new@example.edu"):
    password = "a-Long-passphrase-42"
    return client.post(
        reverse("account_signup"),
        {"username": username, "email": email, "password1": password, "password2": password},
    )


@pytest.mark.django_db
def test_password_reset_with_a_dead_mail_server_answers_the_same_for_everyone(
    client, user, dead_mail_server, caplog, django_capture_on_commit_callbacks
):
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": user.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.edu"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert f"Gave up emailing ['{user.email}'] after 2 attempts" in caplog.text
    assert "Gave up emailing ['nobody@example.edu'] after 2 attempts" in caplog.text


@pytest.mark.django_db
def test_sign_up_with_a_dead_mail_server_still_signs_up(
    client, dead_mail_server, caplog, django_capture_on_commit_callbacks
):
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="newstudent").exists()
    assert "Could not email ['new@example.edu'] (attempt 1 of 2), will retry" in caplog.text


@pytest.mark.django_db
def test_account_email_waits_for_the_commit(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[user.email]]


@pytest.fixture
def named_site(settings):
    """The Site row as migration accounts/0002 names it. Transactional tests end by
    flushing every table, and the sites app then recreates its row as "example.com";
    a transactional test that runs after one of those would see that name."""
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"name": "Commonplace"})
    Site.objects.clear_cache()


@pytest.mark.django_db(transaction=True)  # the worker opens and closes connections
def test_account_email_is_rendered_in_the_request_and_sent_by_the_worker(
    client, user, settings, named_site
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "config.mail.send_email"
    message = queued.args_kwargs["kwargs"]["message"]
    assert message["to"] == [user.email]
    assert re.search(r"https?://testserver/accounts/password/reset/key/\S+/", message["body"])
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject.startswith("[Commonplace]")
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
