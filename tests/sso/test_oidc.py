"""Sign-in with an institution over OpenID Connect, against a real OpenID provider
(django-oauth-toolkit in its own process): discovery, RS256, PKCE and a nonce."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from tests import factories
from tests.sso.conftest import SLUG, local_path, start_sign_in

User = get_user_model()


def sign_in(client, idp, username, next_url="/"):
    authorize = start_sign_in(client, next_url)
    callback = idp.sign_in(authorize, username)
    return client.get(local_path(callback))


def test_button_sends_pkce_and_nonce_to_the_identity_provider(client, oidc_institution):
    params = parse_qs(urlsplit(start_sign_in(client)).query)
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["nonce"][0]) >= 20
    assert sorted(params["scope"][0].split()) == ["email", "openid", "profile"]


def test_first_sign_in_creates_the_account_from_the_claims(client, idp, oidc_institution):
    response = sign_in(client, idp, "ada", next_url="/?from=sso")
    assert response.status_code == 302
    assert response["Location"] == "/?from=sso"
    user = User.objects.get(email="ada@example.edu")
    assert (user.first_name, user.last_name, user.display_name) == (
        "Ada",
        "Lovelace",
        "Ada Lovelace",
    )
    account = SocialAccount.objects.get(user=user)
    assert account.provider == SLUG
    assert account.uid  # the IdP's stable subject, not a name
    assert not user.has_usable_password()
    assert client.get("/").context["user"] == user


def test_later_sign_in_is_the_same_account_with_the_new_name(client, idp, oidc_institution):
    sign_in(client, idp, "ada")
    user = User.objects.get(email="ada@example.edu")
    user.first_name, user.last_name = "Old", "Name"
    user.save()
    client.post("/accounts/logout/")
    sign_in(client, idp, "ada")
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert User.objects.filter(email="ada@example.edu").count() == 1
    assert SocialAccount.objects.count() == 1


def test_untrusted_institution_does_not_link_an_existing_local_account(
    client, idp, oidc_institution
):
    local = factories.UserFactory(username="ada_local", email="ada@example.edu")
    EmailAddress.objects.create(user=local, email="ada@example.edu", verified=True, primary=True)
    sign_in(client, idp, "ada")
    assert not SocialAccount.objects.filter(user=local).exists()


def test_trusted_institution_links_an_existing_account_by_verified_email(
    client, idp, oidc_institution
):
    oidc_institution.settings["trusted_for_email"] = True
    oidc_institution.save()
    local = factories.UserFactory(username="ada_local", email="ada@example.edu")
    EmailAddress.objects.create(user=local, email="ada@example.edu", verified=True, primary=True)
    response = sign_in(client, idp, "ada")
    assert response.status_code == 302
    assert SocialAccount.objects.get(provider=SLUG).user == local
    assert User.objects.filter(email__iexact="ada@example.edu").count() == 1


def test_email_domain_limit_refuses_another_domain_and_writes_nothing(
    client, idp, oidc_institution
):
    oidc_institution.settings["email_domains"] = ["example.edu"]
    oidc_institution.save()
    users = User.objects.count()
    response = sign_in(client, idp, "mallory")
    assert response.status_code == 400
    assert b"own email addresses" in response.content
    assert response["X-Request-ID"].encode() in response.content
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()


def test_id_token_with_a_wrong_nonce_is_refused_and_writes_nothing(client, idp, oidc_institution):
    authorize = start_sign_in(client)
    tampered = authorize.replace("nonce=", "nonce=forged")
    response = client.get(local_path(idp.sign_in(tampered, "ada")))
    assert response.status_code == 400
    assert b"does not belong to this sign-in" in response.content
    assert not User.objects.filter(email="ada@example.edu").exists()
    assert not SocialAccount.objects.exists()


def test_id_token_from_a_wrong_issuer_is_refused_and_writes_nothing(client, idp, oidc_institution):
    oidc_institution.settings["openid_configuration_overrides"] = {
        "issuer": "https://idp.elsewhere.example/o"
    }
    oidc_institution.save()
    response = sign_in(client, idp, "ada")
    assert response.status_code == 400
    assert b"<code>misconfigured</code>" in response.content
    assert not User.objects.filter(email="ada@example.edu").exists()
    assert not SocialAccount.objects.exists()


def test_replayed_callback_is_refused(client, idp, oidc_institution):
    callback = local_path(idp.sign_in(start_sign_in(client), "ada"))
    assert client.get(callback).status_code == 302
    client.post("/accounts/logout/")
    replay = client.get(callback)
    assert replay.status_code == 400
    assert SocialAccount.objects.count() == 1


def test_unreachable_identity_provider_gives_a_failure_page_not_a_500(client, oidc_institution):
    oidc_institution.settings["server_url"] = "http://127.0.0.1:8159/o"
    oidc_institution.save()
    response = client.post(f"/accounts/oidc/{SLUG}/login/")
    assert response.status_code == 502
    assert b"did not answer" in response.content
    assert response["X-Request-ID"].encode() in response.content


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_institution_button_with_its_name(client, oidc_institution, path):
    response = client.get(path)
    assert b"Sign in with Example University" in response.content


def test_sign_out_goes_on_to_the_identity_providers_logout(client, idp, oidc_institution):
    sign_in(client, idp, "ada")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    assert parts.netloc == "127.0.0.1:8151"
    assert parts.path == "/o/logout/"
    query = parse_qs(parts.query)
    assert query["client_id"] == [oidc_institution.client_id]
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert "_auth_user_id" not in client.session
    # The IdP accepts it: it asks its user to confirm, then ends its own session.
    confirm = idp.session.get(response["Location"])
    assert confirm.status_code == 200


def test_local_sign_out_stays_on_the_site(client, oidc_institution):
    client.force_login(factories.UserFactory())
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/"


@pytest.fixture
def institution_only(settings):
    settings.INSTITUTION_ONLY = True


def test_institution_only_site_still_makes_accounts_from_the_institution(
    client, idp, oidc_institution, institution_only
):
    response = sign_in(client, idp, "grace")
    assert response.status_code == 302
    assert User.objects.filter(email="grace@example.edu").exists()


def test_comment_form_names_the_institution_after_its_sign_in(client, idp, oidc_institution, post):
    sign_in(client, idp, "ada")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "You are commenting using your Example University account." in html


def test_behind_a_tls_proxy_the_redirect_uri_is_https(client, oidc_institution, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.post(f"/accounts/oidc/{SLUG}/login/", HTTP_X_FORWARDED_PROTO="https")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["redirect_uri"] == [f"https://testserver/accounts/oidc/{SLUG}/login/callback/"]


def test_an_institution_sign_in_leaves_only_keys_the_page_cache_may_serve(
    client, idp, oidc_institution
):
    from pagecache.readers import sign_in_session_keys

    sign_in(client, idp, "ada")
    client.get("/")  # the flash message shown
    assert set(client.session.keys()) <= sign_in_session_keys()
