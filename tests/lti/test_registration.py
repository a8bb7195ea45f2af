"""LTI Dynamic Registration against the test LMS (tests/lti/lms.py serves its side)."""

from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from lti.models import Deployment, Platform

pytestmark = pytest.mark.django_db


def register_url():
    out = StringIO()
    call_command("lti_platform", "register-url", "--name", "Moodle", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("registration: ") and "/lti/register/?invite=" in line
    return parse_qs(urlsplit(line.removeprefix("registration: ")).query)["invite"][0]


@pytest.fixture
def lms():
    from tests.lti.lms import Lms

    platform = Lms()
    yield platform
    platform.close()


def test_dynamic_registration_stores_the_platform_and_deployment(client, lms):
    response = client.get(
        reverse("lti:dynamic_registration"),
        {
            "invite": register_url(),
            "openid_configuration": lms.base + "/.well-known/openid-configuration",
            "registration_token": "reg-token-1",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "org.imsglobal.lti.close" in response.content.decode()
    platform = Platform.objects.get(issuer=lms.base)
    assert platform.client_id == "dyn-client-1"
    assert platform.name == "Moodle"
    assert platform.jwks_url == lms.base + "/jwks"
    assert Deployment.objects.get(platform=platform).deployment_id == "dyn-deployment-1"
    (sent,) = lms.registered
    assert sent["initiate_login_uri"] == "http://testserver/lti/login/"
    assert sent["jwks_uri"] == "http://testserver/lti/jwks/"
    assert "http://testserver/lti/deep-link/" in sent["redirect_uris"]


def test_registration_without_an_invitation_is_refused(client, lms):
    response = client.get(
        reverse("lti:dynamic_registration"),
        {"openid_configuration": lms.base + "/.well-known/openid-configuration"},
    )
    assert response.status_code == 403
    assert "lti-bad_invite" in response.content.decode()
    assert not Platform.objects.exists() and not lms.registered


def test_a_refused_registration_stores_nothing(client, lms):
    response = client.get(
        reverse("lti:dynamic_registration"),
        {
            "invite": register_url(),
            "openid_configuration": lms.base + "/.well-known/openid-configuration",
            "registration_token": "wrong",
        },
    )
    assert response.status_code == 502
    assert "lti-registration_failed" in response.content.decode()
    assert not Platform.objects.exists()


def test_dynamic_registration_keeps_the_authorization_server_as_token_audience(
    client, lms, monkeypatch
):
    configuration = lms.openid_configuration()
    configuration["authorization_server"] = "https://auth.example.test/token-audience"
    monkeypatch.setattr(lms, "openid_configuration", lambda: configuration)
    response = client.get(
        reverse("lti:dynamic_registration"),
        {
            "invite": register_url(),
            "openid_configuration": lms.base + "/.well-known/openid-configuration",
            "registration_token": "reg-token-1",
        },
    )
    assert response.status_code == 200
    platform = Platform.objects.get(issuer=lms.base)
    assert platform.token_audience == "https://auth.example.test/token-audience"
