from django.core.management.base import BaseCommand

from blog import scheduling


class Command(BaseCommand):
    help = (
        "Publish the scheduled posts (and whatever else is scheduled) whose time has come. "
        "Every task worker (manage.py db_worker) already does this every 30 seconds; this "
        "runs it once, for a host without a worker (cron) or by hand. Safe beside them."
    )

    def handle(self, *args, **options):
        for key, published in scheduling.publish_due().items():
            self.stdout.write(f"{key}: published {len(published)}.")
