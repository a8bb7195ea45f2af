"""Journey: signing in with an institution, in Chromium, against real identity
providers (django-oauth-toolkit for OpenID Connect, SimpleSAMLphp for SAML), as a
student and as an instructor: comment, sign out (the IdP's logout too), sign in again
and be the same account. And the sign-in page with two institutions, local sign-in and
the two social providers: axe and the keyboard."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.sites.models import Site
from playwright.sync_api import expect

from accounts.institutions import DEFAULT_ATTRIBUTE_MAPPING, DEFAULT_CLAIM_MAPPING
from comments.models import Comment
from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OIDC_PORT, SAML_PORT = 8154, 8155
PASSWORD = "correct horse"


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    settings.COMMENT_FLOOD_INTERVAL = 0


@pytest.fixture(scope="module")
def oidc_idp(live_server, tmp_path_factory):
    from tests.sso.oidc_idp import run

    process, issuer = run.start(
        port=OIDC_PORT,
        client_id="cp-e2e",
        client_secret="e2e-only-not-a-secret",
        redirect_uris=[
            f"{live_server.url}/accounts/oidc/example-u/login/callback/",
            f"{live_server.url}/",
        ],
        log_path=tmp_path_factory.mktemp("oidc") / "idp.log",
    )
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def sp_keys():
    from tests.sso.saml_idp.run import make_key_and_cert

    return make_key_and_cert("commonplace.example.edu")


@pytest.fixture(scope="module")
def saml_idp(live_server, tmp_path_factory, sp_keys):
    from tests.sso.saml_idp import run

    if not Path("/usr/share/simplesamlphp").exists():
        pytest.skip("needs Debian's simplesamlphp (.ci/run installs it)")
    base = f"{live_server.url}/accounts/saml/state-u"
    sp = run.ServiceProvider(f"{base}/metadata/", f"{base}/acs/", f"{base}/sls/", sp_keys[1])
    idp = run.start(port=SAML_PORT, run_dir=tmp_path_factory.mktemp("saml"), service_providers=[sp])
    yield idp
    idp.stop()


def add_institutions(oidc_issuer, saml, sp_keys):
    from tests.sso.saml_idp.run import cert_body

    site = Site.objects.get_current()
    oidc = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="example-u",
        name="Example University",
        client_id="cp-e2e",
        secret="e2e-only-not-a-secret",
        settings={
            "server_url": oidc_issuer,
            "oauth_pkce_enabled": True,
            "claim_mapping": DEFAULT_CLAIM_MAPPING,
            "trusted_for_email": True,
        },
    )
    oidc.sites.add(site)
    if saml is not None:
        app = SocialApp.objects.create(
            provider="saml",
            provider_id="state-u",
            client_id="state-u",
            name="State University",
            settings={
                "idp": {"entity_id": saml.entity_id, "metadata_url": saml.entity_id},
                "advanced": {
                    "authn_request_signed": True,
                    "logout_request_signed": True,
                    "logout_response_signed": True,
                    "want_assertion_encrypted": True,
                    "want_assertion_signed": True,
                    "x509cert": cert_body(sp_keys[1]),
                    "private_key": sp_keys[0],
                    "allow_single_label_domains": True,
                },
                "attribute_mapping": DEFAULT_ATTRIBUTE_MAPPING,
                "trusted_for_email": True,
                "verified_email": True,
            },
        )
        app.sites.add(site)


@pytest.fixture
def course_with_people():
    """A course whose student and instructor already have local accounts with the
    addresses their institution vouches for: the first sign-in links them."""
    course = factories.CourseFactory(title="PHIL 110", slug="phil-110")
    people = {}
    for username, role in (("ada", "student"), ("grace", "instructor")):
        user = factories.UserFactory(
            username=f"{username}_local",
            email=f"{username}@example.edu",
            display_name=username.title(),
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        factories.MembershipFactory(course=course, user=user, role=role)
        people[username] = user
    author = factories.MembershipFactory(course=course).user
    post = factories.PostFactory(course=course, author=author, title="On method")
    return post, people


def institution_sign_in(page, institution, username):
    page.goto("/accounts/login/")
    page.get_by_role("link", name=f"Sign in with {institution}").click()
    page.get_by_role("button", name=re.compile("Continue")).click()
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    try:
        page.wait_for_url(re.compile(r"^http://localhost:\d+/"))
    except Exception:
        print("STUCK AT", page.url, page.locator("body").inner_text()[:1500])
        raise


def sign_out(page, live_server):
    page.get_by_role("button", name=re.compile("^Sign out")).first.click()
    page.wait_for_load_state()
    if not page.url.startswith(live_server.url):
        # django-oauth-toolkit asks its user to confirm the logout.
        page.get_by_role("button", name="Logout").click()
    page.wait_for_url(re.compile(r"^http://localhost:\d+/"))


@pytest.mark.parametrize("institution", ["Example University", "State University"])
@pytest.mark.parametrize("username", ["ada", "grace"])
def test_sign_in_comment_sign_out_and_back_as_the_same_account(
    new_page, live_server, oidc_idp, saml_idp, sp_keys, course_with_people, institution, username
):
    add_institutions(oidc_idp, saml_idp, sp_keys)
    post, people = course_with_people
    page = new_page()
    institution_sign_in(page, institution, username)
    page.goto(post.get_absolute_url())
    expect(page.locator("#respond")).to_contain_text(
        "Example University" if institution == "Example University" else "State University"
    )
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill(f"{username} via {institution}")
    page.get_by_role("button", name=re.compile(r"^Post comment")).click()
    expect(
        page.locator(".comment").filter(has_text=f"{username} via {institution}")
    ).to_be_visible()
    comment = Comment.objects.get(body=f"{username} via {institution}")
    assert comment.author == people[username]

    sign_out(page, live_server)
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    ).to_be_visible()
    institution_sign_in(page, institution, username)
    page.goto(post.get_absolute_url())
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill(f"{username} again")
    page.get_by_role("button", name=re.compile(r"^Post comment")).click()
    expect(page.locator(".comment").filter(has_text=f"{username} again")).to_be_visible()
    assert Comment.objects.get(body=f"{username} again").author == people[username]
    assert SocialAccount.objects.filter(user=people[username]).count() == 1
    screenshot(page, f"sso-journey-{username}-{institution.split()[0].lower()}")


def test_sign_in_page_with_institutions_and_providers_is_accessible_by_keyboard(
    new_page, oidc_idp, saml_idp, sp_keys, db
):
    add_institutions(oidc_idp, saml_idp, sp_keys)
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        page.goto("/accounts/login/")
        for name in ("Example University", "State University", "WordPress.com", "Facebook"):
            expect(page.get_by_role("link", name=f"Sign in with {name}")).to_be_visible()
        assert_accessible(page, label=f"sign-in with institutions ({scheme})")
        screenshot(page, f"sso-sign-in-{scheme}")
    # By keyboard: Tab reaches each institution's button, Enter follows it.
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement.textContent")
            .strip()
            .endswith("Example University")
        ):
            break
    else:
        pytest.fail("Tab never reached the Example University button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/oidc/example-u/login/"))


def test_failure_page_names_the_request_id_and_is_accessible(new_page, db):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="example-u",
        name="Example University",
        client_id="cp-e2e",
        settings={"server_url": "http://127.0.0.1:8159/o"},
    )  # nothing listens on 8159: the IdP is down
    app.sites.add(Site.objects.get_current())
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Example University").click()
    with page.expect_response(re.compile(r"/accounts/oidc/example-u/login/")) as answer:
        page.get_by_role("button", name=re.compile("Continue")).click()
    assert answer.value.status == 502
    request_id = answer.value.headers["x-request-id"]
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Signing in with Example University did not work"
    )
    expect(page.locator(".institution-failure")).to_contain_text(request_id)
    assert_accessible(page, label="institution failure page")
    screenshot(page, "sso-failure")
