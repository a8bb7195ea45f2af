"""The import as a background task (django-tasks): the instructor's page enqueues it and
polls its progress; the database backend runs it in the worker (``make worker``)."""

import logging
import shutil
import tempfile
import time
from pathlib import Path

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections
from django.utils import timezone
from django_tasks import task

from imports.models import HEARTBEAT_EVERY, ImportRun

logger = logging.getLogger(__name__)


def progress_key(run_id):
    return f"imports:progress:{run_id}"


def progress_of(run):
    """(done, total): live from the cache while the run's transaction is open."""
    if run.is_finished:
        return run.done, run.total
    live = cache.get(progress_key(run.pk))
    return live if live else (run.done, run.total)


def beat(run_id):
    """Write the run's heartbeat now, on a database connection of its own: the import
    runs in one transaction, whose writes other connections don't see until it ends.
    Best effort: SQLite allows one writer, held by the import's own transaction, so
    there (development) a run beats only when it starts and ends."""
    ours = connections[DEFAULT_DB_ALIAS]
    if ours.vendor == "sqlite" and ours.in_atomic_block:
        return  # our own open transaction holds SQLite's one write lock
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    table = connection.ops.quote_name(ImportRun._meta.db_table)
    column = connection.ops.quote_name(ImportRun._meta.get_field("heartbeat").column)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {column} = %s WHERE id = %s",  # noqa: S608 (our names)
                [connection.ops.adapt_datetimefield_value(timezone.now()), run_id],
            )
    except DatabaseError:
        logger.info("Import %s: heartbeat not written (database busy)", run_id)
    finally:
        connection.close()


def heartbeat_progress(run_id):
    """A progress callback for import_export that keeps done/total in the cache (the
    page's bar) and beats at most every HEARTBEAT_EVERY."""
    last = [time.monotonic()]

    def progress(done, total):
        cache.set(progress_key(run_id), (done, total), 60 * 60)
        if time.monotonic() - last[0] >= HEARTBEAT_EVERY.total_seconds():
            last[0] = time.monotonic()
            beat(run_id)

    return progress


@task()
def run_import(run_id):
    run = ImportRun.objects.select_related("course", "started_by").get(pk=run_id)
    if run.status != ImportRun.Status.QUEUED:
        return
    run.status, run.heartbeat = ImportRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "heartbeat"])
    progress = heartbeat_progress(run.pk)

    # The importer (its WXR parser, defusedxml, media handling) loads with the first
    # import, not in every web worker that enqueues or shows one (docs/decisions.md).
    from imports.services import import_export
    from imports.wxr import WxrError

    with tempfile.TemporaryDirectory() as folder:
        media = None
        if run.media_file:
            media = Path(folder, "media.zip")
            with run.media_file.open("rb") as src, media.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        try:
            with run.export_file.open("rb") as export:
                report = import_export(
                    course=run.course, source=export, media=media,
                    award_category=run.award_category, started_by=run.started_by,
                    run=run, progress=progress,
                )  # fmt: skip
        except WxrError as error:
            run.status, run.error = ImportRun.Status.FAILED, str(error)
        except Exception:
            logger.exception("Import %s failed", run.pk)
            run.status = ImportRun.Status.FAILED
            run.error = "The import stopped on an unexpected error; nothing was imported."
        else:
            run.status, run.report = ImportRun.Status.DONE, report
    done, total = cache.get(progress_key(run.pk)) or (0, 0)
    run.done, run.total = done, total
    run.finished = timezone.now()
    run.save(update_fields=["status", "error", "report", "done", "total", "finished"])
    cache.delete(progress_key(run.pk))
    for field in (run.export_file, run.media_file):
        if field:
            field.delete(save=False)  # the upload is not kept once imported
    run.save(update_fields=["export_file", "media_file"])


def give_up_dead_runs(course):
    """Give up the course's runs whose worker died (imports.models.DEAD_AFTER without a
    heartbeat): marked failed, what they wrote undone. One query when there are none."""
    dead = list(course.import_runs.dead())
    if not dead:
        return
    from imports.services import give_up_dead_run  # the importer loads when it is used

    for run in dead:
        try:
            give_up_dead_run(run=run)
        except OperationalError:  # SQLite: a live import's transaction holds the lock
            logger.info("Import %s: silent but still writing; left running", run.pk)
