from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from assignments import services


class Command(BaseCommand):
    help = (
        "Remind students of assignments due within 24 hours that they haven't submitted. "
        "Each student is reminded once per assignment, so run it as often as you like "
        "(cron or a systemd timer, every 15 minutes)."
    )

    def handle(self, *args, **options):
        sent = services.send_due_reminders()
        self.stdout.write(
            ngettext("Sent %(n)d reminder.", "Sent %(n)d reminders.", len(sent)) % {"n": len(sent)}
        )
