"""Sign-in with an institution over SAML 2.0, against SimpleSAMLphp (Debian's package,
under php-fpm behind nginx, started by the tests): signed requests, signed and
encrypted assertions, Single Logout, and the answers that must be refused."""

from urllib.parse import parse_qs, urlsplit

import time_machine
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.sso.conftest import (
    OTHER_SLUG,
    SAML_SLUG,
    WRONG_AUDIENCE,
    make_saml_institution,
    post_to_sp,
    saml_settings,
)
from tests.sso.saml_idp.run import make_key_and_cert

User = get_user_model()


def start(client, slug=SAML_SLUG, next_url="/"):
    response = client.post(f"/accounts/saml/{slug}/login/", {"next": next_url})
    assert response.status_code == 302, response.content[:1000]
    return response["Location"]


def sign_in(client, browser, username, slug=SAML_SLUG, next_url="/"):
    return post_to_sp(client, *browser.sign_in(start(client, slug, next_url), username))


def test_sp_metadata_is_served_at_a_stable_url(client, saml_institution):
    response = client.get(f"/accounts/saml/{SAML_SLUG}/metadata/")
    assert response.status_code == 200
    xml = response.content.decode()
    assert 'entityID="http://testserver/accounts/saml/state-u/metadata/"' in xml
    assert 'AuthnRequestsSigned="true"' in xml
    assert 'WantAssertionsSigned="true"' in xml
    assert 'Location="http://testserver/accounts/saml/state-u/acs/"' in xml
    assert 'use="encryption"' in xml


def test_the_request_to_the_idp_is_signed(client, saml_institution):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    assert query["Signature"][0]


def test_first_sign_in_creates_the_account_from_the_attributes(
    client, saml_browser, saml_institution
):
    response = sign_in(client, saml_browser, "ada", next_url="/?from=saml")
    assert response.status_code == 302, response.content[:3000]
    assert response["Location"] == "/?from=saml"
    user = User.objects.get(email="ada@example.edu")
    assert (user.first_name, user.last_name, user.display_name) == (
        "Ada",
        "Lovelace",
        "Ada Lovelace",
    )
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == (SAML_SLUG, "ada@example.edu")
    assert account.extra_data["urn:oid:1.3.6.1.4.1.5923.1.1.1.1"] == ["student", "member"]


def test_signing_in_again_is_the_same_account(client, saml_browser, saml_institution):
    sign_in(client, saml_browser, "grace")
    client.post("/accounts/logout/")
    client.cookies.clear()
    response = sign_in(client, saml_browser, "grace")
    assert response.status_code == 302
    assert User.objects.filter(email="grace@example.edu").count() == 1
    assert SocialAccount.objects.count() == 1


def test_replayed_assertion_is_refused(client, saml_browser, saml_institution):
    action, fields = saml_browser.sign_in(start(client), "ada")
    assert post_to_sp(client, action, fields).status_code == 302
    client.post("/accounts/logout/")
    accounts = SocialAccount.objects.count()
    again = post_to_sp(client, action, fields)
    assert again.status_code == 400, again.content.decode()[-1500:]
    assert b"<code>replayed</code>" in again.content
    assert SocialAccount.objects.count() == accounts
    assert "_auth_user_id" not in client.session


def test_assertion_signed_with_another_key_is_refused_and_writes_nothing(
    client, saml_browser, saml_idp, sp_keys, db
):
    _, stranger = make_key_and_cert("not-the-idp.example")
    make_saml_institution(
        SAML_SLUG, "State University", saml_settings(saml_idp, sp_keys, idp_cert=stranger)
    )
    response = sign_in(client, saml_browser, "ada")
    assert response.status_code == 400
    assert b"<code>signature</code>" in response.content
    assert not User.objects.filter(email="ada@example.edu").exists()


def test_expired_assertion_is_refused_and_writes_nothing(client, saml_browser, saml_institution):
    action, fields = saml_browser.sign_in(start(client), "ada")
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=2)):
        response = post_to_sp(client, action, fields)
    assert response.status_code == 400
    assert b"<code>expired</code>" in response.content
    assert not User.objects.filter(email="ada@example.edu").exists()


def test_response_for_another_sp_is_refused_and_writes_nothing(
    client, saml_browser, saml_idp, sp_keys, saml_institution
):
    make_saml_institution(OTHER_SLUG, "Other SP", saml_settings(saml_idp, sp_keys))
    action, fields = saml_browser.sign_in(start(client, OTHER_SLUG), "ada")
    response = post_to_sp(client, f"/accounts/saml/{SAML_SLUG}/acs/", fields)
    assert response.status_code == 400
    assert b"<code>audience</code>" in response.content
    assert not User.objects.filter(email="ada@example.edu").exists()


def test_wrong_audience_is_refused_and_writes_nothing(
    client, saml_browser, saml_idp, saml_institution
):
    """An IdP-initiated answer for another SP's entity id, sent to our ACS."""
    saml_browser.sign_in(start(client), "ada")  # the IdP session
    url = f"{saml_idp.sso_url}?spentityid={WRONG_AUDIENCE}erver"
    action, fields = saml_browser.sign_in(url, "ada")
    assert urlsplit(action).path == f"/accounts/saml/{SAML_SLUG}/acs/"
    response = post_to_sp(client, action, fields)
    assert response.status_code == 400
    assert b"<code>audience</code>" in response.content
    assert not User.objects.filter(email="ada@example.edu").exists()


def test_domain_limit_refuses_another_domain(client, saml_browser, saml_idp, sp_keys, db):
    make_saml_institution(
        SAML_SLUG,
        "State University",
        saml_settings(saml_idp, sp_keys, email_domains=["example.edu"]),
    )
    response = sign_in(client, saml_browser, "mallory")
    assert response.status_code == 400
    assert not User.objects.filter(email="mallory@elsewhere.example").exists()


def test_sign_out_sends_a_signed_logout_request_to_the_idp(client, saml_browser, saml_institution):
    sign_in(client, saml_browser, "ada")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(
        "http://127.0.0.1:8153/simplesaml/saml2/idp/SingleLogoutService.php?"
    )
    assert "Signature=" in location
    assert "_auth_user_id" not in client.session
    # The IdP ends its session and answers our SLS with a signed LogoutResponse.
    idp_answer = saml_browser.session.get(location, allow_redirects=False)
    while idp_answer.headers.get("Location", "").startswith("http://127.0.0.1:8153/"):
        idp_answer = saml_browser.session.get(idp_answer.headers["Location"], allow_redirects=False)
    assert idp_answer.status_code in (302, 303), idp_answer.text[-1500:]
    back = urlsplit(idp_answer.headers["Location"])
    assert back.path == f"/accounts/saml/{SAML_SLUG}/sls/"
    finished = client.get(f"{back.path}?{back.query}")
    assert finished.status_code == 302


def test_behind_a_tls_proxy_the_acs_and_metadata_urls_are_https(client, saml_institution, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(f"/accounts/saml/{SAML_SLUG}/metadata/", HTTP_X_FORWARDED_PROTO="https")
    xml = response.content.decode()
    assert 'entityID="https://testserver/accounts/saml/state-u/metadata/"' in xml
    assert 'Location="https://testserver/accounts/saml/state-u/acs/"' in xml
    assert "http://testserver" not in xml


def test_answer_without_a_subject_attribute_is_refused_and_writes_nothing(
    client, saml_browser, saml_institution
):
    response = sign_in(client, saml_browser, "nemo")
    assert response.status_code == 400
    assert b"<code>missing_attribute</code>" in response.content
    assert not User.objects.filter(email="nemo@example.edu").exists()


def test_garbage_posted_to_the_acs_is_a_failure_page_not_a_500(client, saml_institution):
    response = post_to_sp(
        client, f"/accounts/saml/{SAML_SLUG}/acs/", {"SAMLResponse": "not base64 at all!"}
    )
    assert response.status_code == 400
    assert response["X-Request-ID"].encode() in response.content
    assert not SocialAccount.objects.exists()


def test_logout_started_at_the_idp_ends_the_session_here(
    client, saml_browser, saml_idp, saml_institution
):
    sign_in(client, saml_browser, "ada")
    assert "_auth_user_id" in client.session
    answer = saml_browser.session.get(
        f"{saml_idp.slo_url}?ReturnTo={saml_idp.base}/", allow_redirects=False
    )
    while answer.headers.get("Location", "").startswith(saml_idp.base):
        answer = saml_browser.session.get(answer.headers["Location"], allow_redirects=False)
    to_us = urlsplit(answer.headers["Location"])
    assert to_us.path == f"/accounts/saml/{SAML_SLUG}/sls/"
    assert "SAMLRequest" in parse_qs(to_us.query)
    response = client.get(f"{to_us.path}?{to_us.query}")
    assert response.status_code == 302
    assert response["Location"].startswith(saml_idp.slo_url)
    assert "SAMLResponse=" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_a_saml_sign_in_leaves_only_keys_the_page_cache_may_serve(
    client, saml_browser, saml_institution
):
    from pagecache.readers import sign_in_session_keys

    sign_in(client, saml_browser, "ada")
    client.get("/")
    assert set(client.session.keys()) <= sign_in_session_keys()
