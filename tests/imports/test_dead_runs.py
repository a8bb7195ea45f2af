"""A run whose worker died (no heartbeat for DEAD_AFTER) is given up: marked failed,
what it wrote undone, and the course may import again."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from blog.models import Post
from imports.models import DEAD_AFTER, ImportRun
from imports.services import import_export
from tests.imports.conftest import BLOG
from tests.imports.test_pages import _upload

pytestmark = pytest.mark.django_db

STARTED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def running_run(course, instructor):
    """A run as a worker leaves it when killed after the import's commit, before it
    could say "done": its rows are there, its status still "running"."""
    run = ImportRun.objects.create(course=course, started_by=instructor, heartbeat=STARTED,
                                   status=ImportRun.Status.RUNNING)  # fmt: skip
    import_export(course=course, source=BLOG, run=run)
    return run


def test_a_silent_run_is_given_up_undone_and_a_new_import_allowed(
    client, course, instructor, django_capture_on_commit_callbacks
):
    with time_machine.travel(STARTED, tick=False):
        run = running_run(course, instructor)
    detail = reverse("imports:import_detail", args=[course.slug, run.pk])
    with time_machine.travel(STARTED + DEAD_AFTER - timedelta(minutes=1), tick=False):
        client.force_login(instructor)  # (sessions expire: sign in at the pinned time)
        assert "Running" in client.get(detail).content.decode()
        refused = _upload(client, course)
        assert refused.status_code == 409
        assert "An import into this course is still running." in refused.content.decode()
        assert ImportRun.objects.count() == 1
    assert Post.objects.filter(course=course).count() == 5
    with time_machine.travel(STARTED + DEAD_AFTER + timedelta(minutes=1), tick=False):
        client.force_login(instructor)
        page = client.get(detail).content.decode()
        run.refresh_from_db()
        assert run.status == "failed" and run.finished is not None
        assert "gave no sign of life for 10 minutes" in page
        assert "The import was refused." not in page and "Undo the whole import" not in page
        assert not Post.objects.filter(course=course).exists()  # what it wrote is undone
        assert not run.items.exists() and not run.old_links.exists()
        with django_capture_on_commit_callbacks(execute=True):
            again = _upload(client, course)
        assert again.status_code == 302
    assert ImportRun.objects.filter(status="done").count() == 1
    assert Post.objects.filter(course=course).count() == 5


def test_the_progress_poll_gives_up_a_dead_run_and_its_uploads(client, course, instructor):
    with time_machine.travel(STARTED, tick=False):
        run = ImportRun(course=course, started_by=instructor, heartbeat=STARTED,
                        status=ImportRun.Status.RUNNING)  # fmt: skip
        run.export_file.save("export.xml", ContentFile(BLOG.read_bytes()), save=False)
        run.save()  # rolled back with the dead worker's connection: nothing but the upload
    name = run.export_file.name
    assert default_storage.exists(name)
    progress = reverse("imports:import_progress", args=[course.slug, run.pk])
    with time_machine.travel(STARTED + timedelta(minutes=9), tick=False):
        client.force_login(instructor)
        assert client.get(progress).json()["status"] == "running"
    with time_machine.travel(STARTED + timedelta(minutes=11), tick=False):
        client.force_login(instructor)
        answer = client.get(progress).json()
    assert answer == {"status": "failed", "label": "Stopped", "done": 0, "total": 0,
                      "finished": True, "waiting": False}  # fmt: skip
    run.refresh_from_db()
    assert not run.export_file


def test_a_run_that_beats_is_not_given_up(client, course, instructor):
    from imports.tasks import give_up_dead_runs

    with time_machine.travel(STARTED, tick=False):
        run = running_run(course, instructor)
    ImportRun.objects.filter(pk=run.pk).update(heartbeat=STARTED + timedelta(minutes=30))
    with time_machine.travel(STARTED + timedelta(minutes=35), tick=False):
        give_up_dead_runs(course)
    run.refresh_from_db()
    assert run.status == "running"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_written_on_a_connection_of_its_own(course):
    """The import's transaction hides its writes until it ends; the beat doesn't wait."""
    from imports.tasks import beat

    run = ImportRun.objects.create(course=course, status=ImportRun.Status.RUNNING)
    with time_machine.travel(STARTED, tick=False):
        beat(run.pk)
    run.refresh_from_db()
    assert run.heartbeat == STARTED


def test_the_task_beats_when_it_starts(
    client, course, instructor, django_capture_on_commit_callbacks
):
    with time_machine.travel(STARTED, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.force_login(instructor)
        _upload(client, course)
    run = ImportRun.objects.get()
    assert run.status == "done" and run.heartbeat == STARTED
