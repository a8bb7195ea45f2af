"""The archive as a background task (django-tasks, as the importer runs: imports/tasks.py):
the instructor's page enqueues it and shows its progress; the database backend runs it
in the worker (``make worker``)."""

import logging
import tempfile

from django.core.cache import cache
from django.core.files import File
from django.utils import timezone
from django_tasks import task

from terms.models import ArchiveRun

logger = logging.getLogger(__name__)


def progress_key(run_id):
    return f"terms:archive-progress:{run_id}"


def progress_of(run):
    """(done, total): live from the cache while the run builds (a members' archive is
    drawn in a transaction that is rolled back, so the run's row can't show it)."""
    if run.is_finished:
        return run.done, run.total
    return cache.get(progress_key(run.pk)) or (run.done, run.total)


@task()
def build_archive(run_id):
    run = ArchiveRun.objects.select_related("course").get(pk=run_id)
    if run.status != ArchiveRun.Status.QUEUED:
        return
    run.status = ArchiveRun.Status.RUNNING
    run.save(update_fields=["status"])

    def progress(done, total):
        run.done, run.total = done, total
        cache.set(progress_key(run.pk), (done, total), 60 * 60)

    from terms.archive import Build  # lxml and the builder load with the first archive
    from terms.wacz import write_wacz

    try:
        build = Build(run.course, members=run.members, progress=progress)
        files = build.build()
        with tempfile.TemporaryFile() as zipped, tempfile.TemporaryFile() as wacz:
            build.write(zipped, files)
            write_wacz(build, files, wacz)
            run.size = zipped.tell()
            for field, name, data in ((run.file, "archive.zip", zipped),
                                      (run.wacz, "archive.wacz", wacz)):  # fmt: skip
                data.seek(0)
                field.save(name, File(data), save=False)
    except Exception:
        logger.exception("Archive %s failed", run.pk)
        run.status = ArchiveRun.Status.FAILED
        run.error = "The archive stopped on an unexpected error; try again, or ask an operator."
    else:
        run.status = ArchiveRun.Status.DONE
    run.finished = timezone.now()
    run.save(update_fields=["status", "error", "file", "wacz", "size", "done", "total", "finished"])
    cache.delete(progress_key(run.pk))
