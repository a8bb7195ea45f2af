from django.core.management.base import BaseCommand

from privacy.services import delete_expired_exports


class Command(BaseCommand):
    help = (
        "Delete the zip files of data exports past their time (the rows stay, as the log "
        "of who asked). Run it daily, like clear_pending_images."
    )

    def handle(self, *args, **options):
        deleted = delete_expired_exports()
        self.stdout.write(f"Deleted {deleted} expired export file(s).")
