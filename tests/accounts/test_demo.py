"""seed_demo for a first run: accounts that can sign in, a quiet seed, the logins last."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.test_foundation import run_python


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.django_db
def test_demo_accounts_sign_in_when_verification_is_mandatory(seeded, client, settings):
    """make serve runs with DEBUG off, where allauth asks for a verified address."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    settings.DEBUG = False
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    for user in User.objects.all():
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists(), user.username
    response = client.post(
        reverse("account_login"), {"login": "anya", "password": "commonplace-demo"}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user.username == "anya"


@pytest.mark.django_db(transaction=True)  # the seed's own commit runs its on_commit work
def test_seeding_sends_no_email_and_prints_the_logins_last(settings, capsys):
    """The console backend of `make run` would print every notification email."""
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = capsys.readouterr()
    assert "Subject:" not in printed.out + printed.err + out.getvalue()
    lines = out.getvalue().strip().splitlines()
    assert lines[-1].split() == ["farid", "student"]


@pytest.mark.django_db
def test_seed_message_names_the_sites_address(settings):
    settings.DEBUG = True
    settings.SITE_DOMAIN = "127.0.0.1:8400"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Sign in at http://127.0.0.1:8400/" in out.getvalue()


def test_development_site_domain_follows_port():
    """make run passes PORT; emails' and calendars' links then name that port."""
    code = "from django.conf import settings; print(settings.SITE_DOMAIN)"
    run = run_python(f"import django; django.setup(); {code}", DJANGO_DEBUG="1", PORT="8400")
    assert run.stdout.strip() == "127.0.0.1:8400", run.stderr
    run = run_python(f"import django; django.setup(); {code}", DJANGO_DEBUG="1")
    assert run.stdout.strip() == "127.0.0.1:8000", run.stderr
