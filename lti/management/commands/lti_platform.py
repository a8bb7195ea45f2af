from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from lti import registration
from lti.models import Deployment, Platform


def tool_urls():
    """The tool's URLs an LMS admin pastes into the LMS (docs/lti.md)."""
    scheme = "http" if settings.DEBUG else "https"
    base = f"{scheme}://{settings.SITE_DOMAIN}"
    return {
        "login": base + reverse("lti:login"),
        "launch": base + reverse("lti:launch"),
        "jwks": base + reverse("lti:jwks"),
        "deep linking": base + reverse("lti:deep_link"),
    }


class Command(BaseCommand):
    help = "Register an LMS (LTI 1.3 platform) and print the URLs to paste into it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a platform")
        add.add_argument("--issuer", required=True)
        add.add_argument("--client-id", required=True)
        add.add_argument("--deployment", action="append", required=True)
        add.add_argument("--auth-url", required=True)
        add.add_argument("--token-url", required=True)
        add.add_argument("--jwks-url", required=True)
        add.add_argument(
            "--token-audience",
            default="",
            help="the aud of token requests when not the token URL (Brightspace: "
            "https://api.brightspace.com/auth/token)",
        )
        add.add_argument("--name", default="")
        add.add_argument("--trust-email", action="store_true")
        invite = sub.add_parser(
            "register-url", help="print a Dynamic Registration URL (valid for seven days)"
        )
        invite.add_argument("--name", default="")

    def handle(self, *args, action, **options):
        if action == "register-url":
            url = tool_urls()["login"].replace("/lti/login/", "/lti/register/")
            self.stdout.write(f"registration: {url}?invite={registration.invite(options['name'])}")
            return
        self.add_platform(options)

    @transaction.atomic
    def add_platform(self, options):
        fields = {
            "name": options["name"],
            "auth_url": options["auth_url"],
            "token_url": options["token_url"],
            "jwks_url": options["jwks_url"],
            "token_audience": options["token_audience"],
            "trusts_email": options["trust_email"],
        }
        platform = Platform(issuer=options["issuer"], client_id=options["client_id"], **fields)
        try:
            platform.full_clean(validate_unique=False)
        except Exception as error:
            raise CommandError(str(error)) from error
        platform, _ = Platform.objects.update_or_create(
            issuer=options["issuer"], client_id=options["client_id"], defaults=fields
        )
        for deployment_id in options["deployment"]:
            Deployment.objects.get_or_create(platform=platform, deployment_id=deployment_id)
        for label, url in tool_urls().items():
            self.stdout.write(f"{label}: {url}")
