from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from blog import pending


class Command(BaseCommand):
    help = "Delete featured images kept for editors that were never saved (older than 2 days)."

    def handle(self, *args, **options):
        deleted = pending.clear_stale()
        self.stdout.write(
            ngettext("Deleted %(n)d kept image.", "Deleted %(n)d kept images.", deleted)
            % {"n": deleted}
        )
