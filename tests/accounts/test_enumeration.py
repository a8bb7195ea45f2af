"""Sign-up does not tell whether an email address is registered (verification on)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-Long-passphrase-42"


def sign_up(client, username, email):
    return client.post(
        reverse("account_signup"),
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.fixture
def verification_on(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


@pytest.mark.django_db
@pytest.mark.parametrize("with_address_row", [True, False], ids=["signed-up", "made-in-admin"])
def test_signing_up_with_a_registered_email_answers_as_for_a_new_one(
    client, verification_on, django_capture_on_commit_callbacks, with_address_row
):
    owner = UserFactory(email="owner@example.edu")
    if with_address_row:
        EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        new = sign_up(client, "newcomer", "newcomer@example.edu")
        client.logout()
        taken = sign_up(client, "someone", "Owner@Example.edu")
    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"] == reverse("account_email_verification_sent")
    page = client.get(taken["Location"])
    assert "verification" in page.content.decode().lower()
    # No second account for the address; its owner is told someone tried.
    assert not get_user_model().objects.filter(username="someone").exists()
    to_owner = [m for m in mail.outbox if m.to == ["owner@example.edu"]]
    assert len(to_owner) == 1
    assert "already" in to_owner[0].body.lower()
    assert [m.to for m in mail.outbox if m is not to_owner[0]] == [["newcomer@example.edu"]]


class CountingHasher(MD5PasswordHasher):
    """The fast test hasher, counting what it hashes."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.mark.django_db
def test_signing_up_with_a_registered_email_hashes_the_password_as_for_a_new_one(
    client, settings, verification_on, django_capture_on_commit_callbacks
):
    """The expensive step (hashing) runs on both paths, so timing can't tell them apart."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(email="owner@example.edu")
    counts = []
    for username, email in [("newcomer", "newcomer@example.edu"), ("someone", "owner@example.edu")]:
        CountingHasher.hashed = 0
        with django_capture_on_commit_callbacks(execute=True):
            assert sign_up(client, username, email).status_code == 302
        client.logout()
        counts.append((CountingHasher.hashed, len(mail.outbox)))
        mail.outbox.clear()
    assert counts == [(1, 1), (1, 1)]


def _verification_setting(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_DEBUG", "ACCOUNT_EMAIL_VERIFICATION"}
    }
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "s" * 50, **env})
    code = "from django.conf import settings; print(settings.ACCOUNT_EMAIL_VERIFICATION)"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_verification_is_on_in_production_unless_set_otherwise():
    """Without it allauth must say "already registered" to keep addresses unique."""
    production = {"DJANGO_DEBUG": "0", "ALLOWED_HOSTS": "x.test"}
    assert _verification_setting(**production) == "mandatory"
    assert _verification_setting(**production, ACCOUNT_EMAIL_VERIFICATION="optional") == "optional"
    assert _verification_setting(DJANGO_DEBUG="1") == "optional"
