"""The import as a background task (django-tasks): the instructor's page enqueues it and
polls its progress; the database backend runs it in the worker (``make worker``)."""

import logging
import shutil
import tempfile
from pathlib import Path

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from imports.models import ImportRun

logger = logging.getLogger(__name__)


def progress_key(run_id):
    return f"imports:progress:{run_id}"


def progress_of(run):
    """(done, total): live from the cache while the run's transaction is open."""
    if run.is_finished:
        return run.done, run.total
    live = cache.get(progress_key(run.pk))
    return live if live else (run.done, run.total)


@task()
def run_import(run_id):
    run = ImportRun.objects.select_related("course", "started_by").get(pk=run_id)
    if run.status != ImportRun.Status.QUEUED:
        return
    run.status = ImportRun.Status.RUNNING
    run.save(update_fields=["status"])

    def progress(done, total):
        cache.set(progress_key(run.pk), (done, total), 60 * 60)

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
