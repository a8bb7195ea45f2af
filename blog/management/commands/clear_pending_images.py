from django.core.management.base import BaseCommand

from blog import pending


class Command(BaseCommand):
    help = "Delete featured images kept for editors that were never saved (older than 2 days)."

    def handle(self, *args, **options):
        deleted = pending.clear_stale()
        self.stdout.write(f"Deleted {deleted} kept image{'s' if deleted != 1 else ''}.")
