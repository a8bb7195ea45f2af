"""manage.py archive_course SLUG --out DIR [--members] [--wacz]"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blog.models import Course
from terms.archive import Build, can_be_archived, has_public_archive


class Command(BaseCommand):
    help = (
        "Write a course's static archive (a zip of plain HTML, CSS, fonts and images that "
        "opens from a disk) into a folder: what an anonymous reader sees, or with "
        "--members what a student of the course sees."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The course's slug.")
        parser.add_argument("--out", required=True, help="The folder to write the zip into.")
        parser.add_argument(
            "--members", action="store_true", help="The members' archive, not the public one."
        )
        parser.add_argument(
            "--wacz", action="store_true", help="Also write it as a WACZ web archive (.wacz)."
        )

    def handle(self, *args, slug, out, members, wacz, **options):
        try:
            course = Course.objects.get(slug=slug)
        except Course.DoesNotExist:
            raise CommandError(f"No course with the slug “{slug}”.") from None
        if not can_be_archived(course):
            raise CommandError("Only a closed course is archived: close it first.")
        if not members and not has_public_archive(course):
            raise CommandError(
                "A members-only course has no public archive: add --members for the members' one."
            )
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        kind = "members" if members else "public"
        path = folder / f"{course.slug}-{kind}-archive.zip"
        started = time.monotonic()
        build = Build(course, members=members)
        files = build.build()
        with path.open("wb") as zipped:
            count = build.write(zipped, files)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Wrote {path} ({count} files, {path.stat().st_size} bytes) in {seconds:.1f} s."
        )
        if wacz:
            from terms.wacz import write_wacz

            path = path.with_suffix(".wacz")
            with path.open("wb") as archive:
                write_wacz(build, files, archive)
            self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes).")
