"""The task worker (manage.py db_worker, blog/management/commands/db_worker.py) keeps
going when the database goes away: it waits, reconnects and runs what was queued
meanwhile, where django-tasks-db's own worker exits."""

import threading
import time

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django_tasks_db.models import DBTaskResult

from blog.management.commands import db_worker
from config.mail import message_values, send_email

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the worker opens and closes connections
    pytest.mark.skipif(connection.vendor != "postgresql", reason="closes PostgreSQL connections"),
]


def queue(subject):
    return send_email.enqueue(message=message_values(EmailMessage(subject, "Body", to=["a@b.c"])))


def wait_until(predicate, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def database_open(open_):
    """Refuse (or allow again) connections to the test database and drop the others
    (the worker's): what a PostgreSQL restart looks like to the worker, for this
    database only. This test's own connection stays."""
    import psycopg

    connection.ensure_connection()
    mine = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    name = params.pop("dbname")
    params = {k: v for k, v in params.items() if k in {"host", "port", "user", "password"}}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(open_).lower()}')
        if not open_:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> %s",
                [name, mine],
            )


def test_the_worker_survives_a_database_restart_and_runs_what_was_queued_after(
    settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "FIRST_WAIT", 0.2)
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    errors = []

    def run():
        try:
            worker.run()
        except BaseException as error:  # the library's worker dies here
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        queue("Before")
        assert wait_until(lambda: len(mail.outbox) == 1)

        database_open(False)
        time.sleep(1)  # the worker polls meanwhile, and can't connect
        database_open(True)
        assert thread.is_alive(), errors

        queue("After")
        assert wait_until(lambda: len(mail.outbox) == 2), errors
        assert [m.subject for m in mail.outbox] == ["Before", "After"]
        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    finally:
        database_open(True)
        worker.running = False
        thread.join(timeout=10)
