"""Institutional sign-in against a real OpenID provider: django-oauth-toolkit run as
its own process (tests/sso/oidc_idp) on this project's test port 8151."""

import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site

from accounts.institutions import DEFAULT_CLAIM_MAPPING
from tests.sso.oidc_idp.users import PASSWORD

IDP_PORT = 8151
LIVE_PORT = 8152
CLIENT_ID = "commonplace-test"
CLIENT_SECRET = "not-a-secret-test-only"  # noqa: S105
SLUG = "example-u"
CALLBACK_PATH = f"/accounts/oidc/{SLUG}/login/callback/"
REDIRECT_URIS = [
    f"http://testserver{CALLBACK_PATH}",
    "http://testserver/",
    f"http://127.0.0.1:{LIVE_PORT}{CALLBACK_PATH}",
    f"http://127.0.0.1:{LIVE_PORT}/",
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def oidc_idp(tmp_path_factory):
    """The identity provider's issuer URL; the process lives for the test session."""
    log = (tmp_path_factory.mktemp("idp") / "idp.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.sso.oidc_idp.run",
            str(IDP_PORT),
            CLIENT_ID,
            CLIENT_SECRET,
            *REDIRECT_URIS,
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{IDP_PORT}/o"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the test OpenID provider did not start; see {log.name}")
            time.sleep(0.3)
    yield issuer
    process.terminate()
    process.wait(timeout=10)
    log.close()


def institution_settings(issuer, **extra):
    return {
        "server_url": issuer,
        "oauth_pkce_enabled": True,
        "claim_mapping": DEFAULT_CLAIM_MAPPING,
        "trusted_for_email": False,
        "email_domains": [],
        **extra,
    }


@pytest.fixture
def oidc_institution(db, oidc_idp):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=SLUG,
        name="Example University",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings=institution_settings(oidc_idp),
    )
    app.sites.add(Site.objects.get_current())
    return app


class IdentityProvider:
    """A browser at the identity provider: signs in, answers with the callback URL."""

    def __init__(self):
        self.session = requests.Session()

    def sign_in(self, authorize_url, username, *, password=PASSWORD):
        response = self.session.get(authorize_url, allow_redirects=False)
        if response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login/":
            login_url = urljoin(authorize_url, response.headers["Location"])
            page = self.session.get(login_url)
            next_url = re.search(r'name="next" value="([^"]*)"', page.text).group(1)
            response = self.session.post(
                login_url,
                data={
                    "username": username,
                    "password": password,
                    "next": next_url.replace("&amp;", "&"),
                    "csrfmiddlewaretoken": self.session.cookies["idp_csrftoken"],
                },
                headers={"Referer": login_url},
                allow_redirects=False,
            )
            assert response.status_code == 302, response.text[:500]
            response = self.session.get(
                urljoin(authorize_url, response.headers["Location"]), allow_redirects=False
            )
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


@pytest.fixture
def idp():
    return IdentityProvider()


def start_sign_in(client, next_url="/"):
    """Press the institution's button: the authorize URL at the IdP."""
    response = client.post(f"/accounts/oidc/{SLUG}/login/", {"next": next_url})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def local_path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"
