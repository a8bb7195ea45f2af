"""Fill the database with a believable demo course. Safe to run again."""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

DEMO_PASSWORD = "commonplace-demo"  # noqa: S105  (demo accounts only; DEBUG or --force)
# The demo's events are history: the tasks they queue (notification emails) are kept
# in memory and dropped, so seeding emails nobody and prints no email to the console.
NO_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class Command(BaseCommand):
    help = (
        "Create demo users, a course with posts, discussions and awards. Idempotent. "
        "Each installed app may contribute through a `demo.seed(ctx)` function, "
        "called in INSTALLED_APPS order."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (creates accounts with known passwords!).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known passwords, so it only runs with "
                "DJANGO_DEBUG=1. Pass --force to run it anyway."
            )
        ctx = {"password": DEMO_PASSWORD, "stdout": self.stdout, "logins": []}
        with override_settings(TASKS=NO_TASKS), transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(ctx)
        self.print_logins(ctx["logins"])

    def print_logins(self, logins):
        scheme = "http" if settings.DEBUG else "https"
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data is ready. Sign in at {scheme}://{settings.SITE_DOMAIN}/")
        )
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        for username, role in logins:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write("")
