"""A failing mail server is logged and retried, never shown to the person acting."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from notifications import tasks
from notifications.models import Notification
from tests import factories
from tests.notifications.conftest import comment_on


def test_a_refusing_mail_server_is_logged_retried_and_never_shown(
    client, post, classmate, failing_mail, settings, caplog, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_EMAIL_ATTEMPTS = 3
    client.force_login(classmate)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = comment_on(client, post, "The server is down, the comment is not.")
    assert response.status_code == 302
    assert Comment.objects.get().body == "The server is down, the comment is not."
    assert Notification.objects.filter(recipient=post.author).exists()
    assert failing_mail.attempts == 3
    # config.mail.deliver sends and retries for every email task.
    warnings = [r for r in caplog.records if r.name == "config.mail"]
    assert [r.levelname for r in warnings] == ["WARNING", "WARNING", "ERROR"]
    assert "will retry" in warnings[0].getMessage()
    assert "SMTPException" in warnings[0].getMessage()
    assert f"Gave up emailing ['{post.author.email}'] after 3 attempts" in caplog.text


def test_a_retry_delivers_once_the_server_is_back(
    client, post, classmate, failing_mail, django_capture_on_commit_callbacks
):
    failing_mail.reset(failures=1)
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post)
    assert failing_mail.attempts == 2
    assert [m.to for m in mail.outbox] == [[post.author.email]]


def test_a_guest_email_is_retried_too(
    client, post, classmate, failing_mail, django_capture_on_commit_callbacks
):
    subscription = factories.GuestSubscriptionFactory(comment__post=post)
    failing_mail.reset(failures=2)  # the post author's email fails twice
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, parent=subscription.comment)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([post.author.email, "gwen@example.org"])


def test_on_the_database_queue_a_retry_waits(post, failing_mail, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NOTIFICATION_EMAIL_RETRY_DELAY = 300
    notification = factories.NotificationFactory(post=post)
    assert tasks.send_notification_email.call(notification_id=notification.pk) == "retrying"
    retry = DBTaskResult.objects.get()
    assert retry.task_path == "notifications.tasks.send_notification_email"
    assert retry.args_kwargs["kwargs"] == {"notification_id": notification.pk, "attempt": 2}
    assert retry.run_after > timezone.now() + timedelta(seconds=290)


@pytest.mark.django_db(transaction=True)  # the worker opens and closes connections
def test_on_the_database_queue_the_email_waits_for_the_worker(client, post, classmate, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(classmate)
    comment_on(client, post)
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "notifications.tasks.send_notification_email"
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mail.outbox] == [[post.author.email]]
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
