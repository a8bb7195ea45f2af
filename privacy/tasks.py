"""Building a "Download my data" zip in the background (django-tasks): the account page
or the admin enqueues it; the database backend runs it in the worker (``make worker``)."""

import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from privacy.models import EXPORT_LIFETIME, DataExport

logger = logging.getLogger(__name__)


@task()
def build_export(export_id):
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.QUEUED:
        return
    export.status = DataExport.Status.RUNNING
    export.save(update_fields=["status"])
    from privacy.export import write_export  # loads with the first export, not per request

    try:
        with tempfile.TemporaryFile() as target:
            write_export(export.user, target)
            target.seek(0)
            export.file.save("export.zip", File(target), save=False)
            export.size = export.file.size
    except Exception as error:
        logger.exception("Data export %s failed", export.pk)
        export.status, export.error = DataExport.Status.FAILED, repr(error)[:2000]
        export.finished = timezone.now()
        export.save(update_fields=["status", "error", "finished"])
        return
    export.status = DataExport.Status.READY
    export.finished = timezone.now()
    export.expires = export.finished + EXPORT_LIFETIME
    with transaction.atomic():
        export.save(update_fields=["status", "finished", "expires", "file", "size"])
        from privacy.emails import queue_export_ready

        queue_export_ready(export)
