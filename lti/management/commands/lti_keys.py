from django.conf import settings
from django.core.management.base import BaseCommand

from lti import keys
from lti.models import ToolKey


class Command(BaseCommand):
    help = (
        "The tool's signing keys: 'rotate' makes a new key; the old public key stays in "
        "the JWKS for LTI_KEY_GRACE_DAYS. 'list' shows them."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rotate", "list"])

    def handle(self, *args, action, **options):
        if action == "rotate":
            key = keys.rotate()
            self.stdout.write(
                f"New key {key.kid}; retired keys stay published for "
                f"{settings.LTI_KEY_GRACE_DAYS} days."
            )
            return
        published = set(ToolKey.objects.published().values_list("pk", flat=True))
        for key in ToolKey.objects.all():
            state = "current" if key.retired_at is None else f"retired {key.retired_at:%Y-%m-%d}"
            shown = "published" if key.pk in published else "not published"
            self.stdout.write(f"{key.kid} {state}, {shown}")
