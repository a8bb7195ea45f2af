"""manage.py badge_keys list | rotate: the issuer's signing keys (docs/badges.md)."""

from django.core.management.base import BaseCommand

from badges import services
from badges.credentials import key_id
from badges.models import SigningKey


class Command(BaseCommand):
    help = "List the Open Badges signing keys, or rotate them (old keys stay published)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "rotate"])

    def handle(self, *args, action, **options):
        if action == "rotate":
            key = services.rotate_key()
            self.stdout.write(self.style.SUCCESS(f"New signing key: {key_id(key)}"))
        for key in SigningKey.objects.all():
            state = f"retired {key.retired_at:%Y-%m-%d %H:%M}" if key.retired_at else "signing"
            self.stdout.write(f"{key_id(key)}  {key.public_key_multibase}  {state}")
