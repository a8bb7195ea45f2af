"""manage.py import_wordpress EXPORT.xml --course SLUG [--media DIR_OR_ZIP] [--dry-run]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from blog.models import Course
from imports.models import ImportRun
from imports.report import as_text
from imports.services import import_export
from imports.tasks import heartbeat_progress
from imports.wxr import WxrError


class Command(BaseCommand):
    help = "Import a WordPress export (WXR) into a course: posts, comments, people, images."

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file from WordPress's Tools → Export.")
        parser.add_argument("--course", required=True, help="The course's slug.")
        parser.add_argument("--media", help="The wp-content/uploads folder, or a zip of it.")
        parser.add_argument(
            "--award-category",
            default="",
            help="A category whose posts receive an award of that name.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; change nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options):
        try:
            course = Course.objects.get(slug=options["course"])
        except Course.DoesNotExist:
            raise CommandError(f"No course with the slug “{options['course']}”.") from None
        dry_run = options["dry_run"]
        run = None
        if not dry_run:
            run = ImportRun.objects.create(course=course, source_name=options["export"],
                                           award_category=options["award_category"],
                                           status=ImportRun.Status.RUNNING,
                                           heartbeat=timezone.now())  # fmt: skip
        try:
            report = import_export(
                course=course, source=options["export"], media=options["media"],
                award_category=options["award_category"], run=run, dry_run=dry_run,
                progress=heartbeat_progress(run.pk) if run else None,
            )  # fmt: skip
        except (WxrError, ValueError, OSError) as error:
            if run is not None:
                run.delete()
            raise CommandError(str(error)) from None
        except BaseException:  # nothing was imported (one transaction): say so on the run
            if run is not None:
                run.status = ImportRun.Status.FAILED
                run.error = "The import stopped on an unexpected error; nothing was imported."
                run.finished = timezone.now()
                run.save(update_fields=["status", "error", "finished"])
            raise
        if run is not None:
            run.status, run.report, run.finished = ImportRun.Status.DONE, report, timezone.now()
            run.save(update_fields=["status", "report", "finished"])
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, default=str))
            return
        self.stdout.write(format_report(report, run))


def format_report(report, run):
    first = "Dry run: nothing was changed." if report["dry_run"] else f"Import {run.pk} done."
    return f"{first}\n{as_text(report)}"
