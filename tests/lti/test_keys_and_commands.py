from datetime import timedelta
from io import StringIO

import jwt
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lti import keys
from lti.models import Deployment, Platform, ToolKey

pytestmark = pytest.mark.django_db


def test_platform_add_registers_and_prints_the_four_urls(settings):
    settings.SITE_DOMAIN = "cp.example.edu"
    out = StringIO()
    call_command(
        "lti_platform",
        "add",
        "--issuer",
        "https://canvas.example.edu",
        "--client-id",
        "1000",
        "--deployment",
        "d1",
        "--deployment",
        "d2",
        "--auth-url",
        "https://canvas.example.edu/a",
        "--token-url",
        "https://canvas.example.edu/t",
        "--jwks-url",
        "https://canvas.example.edu/k",
        "--name",
        "Canvas",
        stdout=out,
    )
    scheme = "http" if settings.DEBUG else "https"
    assert out.getvalue().splitlines() == [
        f"login: {scheme}://cp.example.edu/lti/login/",
        f"launch: {scheme}://cp.example.edu/lti/launch/",
        f"jwks: {scheme}://cp.example.edu/lti/jwks/",
        f"deep linking: {scheme}://cp.example.edu/lti/deep-link/",
    ]
    platform = Platform.objects.get(name="Canvas")
    assert sorted(
        Deployment.objects.filter(platform=platform).values_list("deployment_id", flat=True)
    ) == ["d1", "d2"]


def test_platform_add_refuses_a_bad_url():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "lti_platform",
            "add",
            "--issuer",
            "not a url",
            "--client-id",
            "1",
            "--deployment",
            "d",
            "--auth-url",
            "x",
            "--token-url",
            "y",
            "--jwks-url",
            "z",
            stdout=StringIO(),
        )
    assert not Platform.objects.exists()


def test_jwks_publishes_the_current_key_and_verifies_its_signatures(client):
    token = keys.sign({"iss": "commonplace"})
    published = client.get(reverse("lti:jwks")).json()["keys"]
    assert len(published) == 1
    key = jwt.PyJWK(published[0])
    assert jwt.decode(token, key, algorithms=["RS256"])["iss"] == "commonplace"
    assert "d" not in published[0]  # never the private half


def test_rotation_keeps_the_old_key_for_the_grace_period(client, settings):
    old = keys.current_key()
    call_command("lti_keys", "rotate", stdout=StringIO())
    new = keys.current_key()
    assert new != old
    kids = {k["kid"] for k in client.get(reverse("lti:jwks")).json()["keys"]}
    assert kids == {old.kid, new.kid}
    ToolKey.objects.filter(pk=old.pk).update(
        retired_at=timezone.now() - timedelta(days=settings.LTI_KEY_GRACE_DAYS + 1)
    )
    kids = {k["kid"] for k in client.get(reverse("lti:jwks")).json()["keys"]}
    assert kids == {new.kid}


def test_platform_add_takes_a_token_audience():
    call_command(
        "lti_platform",
        "add",
        "--issuer",
        "https://school.brightspace.example",
        "--client-id",
        "b-1",
        "--deployment",
        "d1",
        "--auth-url",
        "https://school.brightspace.example/d2l/lti/authenticate",
        "--token-url",
        "https://auth.brightspace.com/core/connect/token",
        "--jwks-url",
        "https://school.brightspace.example/d2l/.well-known/jwks",
        "--token-audience",
        "https://api.brightspace.com/auth/token",
        stdout=StringIO(),
    )
    platform = Platform.objects.get(client_id="b-1")
    assert platform.token_audience == "https://api.brightspace.com/auth/token"
