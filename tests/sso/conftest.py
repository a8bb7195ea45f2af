"""Institutional sign-in against a real OpenID provider: django-oauth-toolkit run as
its own process (tests/sso/oidc_idp) on this project's test port 8151."""

import re
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
    from tests.sso.oidc_idp import run

    log_path = tmp_path_factory.mktemp("idp") / "idp.log"
    process, issuer = run.start(
        port=IDP_PORT,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=REDIRECT_URIS,
        log_path=log_path,
    )
    yield issuer
    process.terminate()
    process.wait(timeout=10)


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


# --- SAML: SimpleSAMLphp (Debian) under php-fpm behind nginx, on port 8153 -----------

SAML_PORT = 8153
SAML_SLUG = "state-u"
OTHER_SLUG = "other-u"  # another service provider the IdP knows (its responses aren't ours)
WRONG_AUDIENCE = "https://sp.elsewhere.example/shibboleth"  # answers sent to our ACS


def saml_urls(base, slug):
    return (
        f"{base}/accounts/saml/{slug}/metadata/",
        f"{base}/accounts/saml/{slug}/acs/",
        f"{base}/accounts/saml/{slug}/sls/",
    )


@pytest.fixture(scope="session")
def sp_keys():
    from tests.sso.saml_idp.run import make_key_and_cert

    return make_key_and_cert("commonplace.example.edu")


@pytest.fixture(scope="session")
def saml_idp(tmp_path_factory, sp_keys):
    from tests.sso.saml_idp import run

    if not (Path(run.PHP_FPM).exists() and Path("/usr/share/simplesamlphp").exists()):
        pytest.skip("needs Debian's simplesamlphp and php-fpm (.ci/run installs them)")
    providers = []
    for base in ("http://testserver", f"http://127.0.0.1:{LIVE_PORT}"):
        for slug in (SAML_SLUG, OTHER_SLUG):
            providers.append(run.ServiceProvider(*saml_urls(base, slug), sp_keys[1]))
        _, acs, sls = saml_urls(base, SAML_SLUG)
        providers.append(run.ServiceProvider(f"{WRONG_AUDIENCE}{base[-5:]}", acs, sls, sp_keys[1]))
    idp = run.start(
        port=SAML_PORT, run_dir=tmp_path_factory.mktemp("saml-idp"), service_providers=providers
    )
    yield idp
    idp.stop()


def saml_settings(idp, sp_keys, *, idp_cert=None, **extra):
    from accounts.institutions import DEFAULT_ATTRIBUTE_MAPPING
    from tests.sso.saml_idp.run import cert_body

    return {
        "idp": {
            "entity_id": idp.entity_id,
            "sso_url": idp.sso_url,
            "slo_url": idp.slo_url,
            "x509cert": cert_body(idp_cert or idp.cert_pem),
        },
        "advanced": {
            "authn_request_signed": True,
            "logout_request_signed": True,
            "logout_response_signed": True,
            "want_assertion_encrypted": True,
            "want_assertion_signed": True,
            "x509cert": cert_body(sp_keys[1]),
            "private_key": sp_keys[0],
            "reject_idp_initiated_sso": True,
            "allow_single_label_domains": True,  # "testserver"
        },
        "attribute_mapping": DEFAULT_ATTRIBUTE_MAPPING,
        "trusted_for_email": False,
        "email_domains": [],
        **extra,
    }


def make_saml_institution(slug, name, settings):
    app = SocialApp.objects.create(
        provider="saml", provider_id=slug, client_id=slug, name=name, settings=settings
    )
    app.sites.add(Site.objects.get_current())
    return app


@pytest.fixture
def saml_institution(db, saml_idp, sp_keys):
    return make_saml_institution(SAML_SLUG, "State University", saml_settings(saml_idp, sp_keys))


class SAMLBrowser:
    """A browser at the SAML IdP: signs in and hands back the form it posts to the SP."""

    def __init__(self):
        self.session = requests.Session()

    @staticmethod
    def form(html, base_url):
        import lxml.html

        forms = lxml.html.fromstring(html).forms
        if not forms:
            return base_url, {}
        form = forms[0]
        fields = {
            i.name: i.value or ""
            for i in form.inputs
            if i.name and getattr(i, "type", None) != "submit"  # a <textarea> has no type
        }
        return urljoin(base_url, form.action or base_url), fields

    def sign_in(self, url, username, *, password=PASSWORD):
        """The (ACS URL, fields) SimpleSAMLphp posts back after signing in. SimpleSAMLphp
        under a loaded machine now and then answers its own error page (its form has a
        textarea for a report) instead of the login form: that page is asked for once more,
        and only once."""
        for _ in range(2):
            action, fields = self._sign_in_once(url, username, password)
            if "SAMLResponse" in fields:
                break
        return action, fields

    def _sign_in_once(self, url, username, password):
        page = self.session.get(url)
        assert page.status_code == 200, page.text[-2000:]
        action, fields = self.form(page.text, page.url)
        if "password" in fields:
            fields.update(username=username, password=password)
            page = self.session.post(action, data=fields)
            assert page.status_code == 200, page.text[-2000:]
            action, fields = self.form(page.text, page.url)
        if "SAMLResponse" not in fields:
            print("SimpleSAMLphp answered without a SAMLResponse:", page.text[-2000:])
        return action, fields


@pytest.fixture
def saml_browser():
    return SAMLBrowser()


def post_to_sp(client, action, fields):
    """The browser's auto-posted form, to our ACS; then allauth's finishing redirect."""
    response = client.post(urlsplit(action).path, fields)
    if response.status_code == 302 and "/acs/finish/" in response["Location"]:
        response = client.get(response["Location"])
    return response


@pytest.fixture
def client():
    """Django's test client with the Host header a browser always sends (python3-saml
    builds its URLs from it)."""
    from django.test import Client

    return Client(HTTP_HOST="testserver")
