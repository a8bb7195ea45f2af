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


# --- A new email at a later sign-in: allauth's EmailAddress rows follow -------------


def _move_to_an_old_address(user, old="ada.old@example.edu"):
    User.objects.filter(pk=user.pk).update(email=old)
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=old, verified=True, primary=True)


@pytest.mark.parametrize("trusted", [False, True])
def test_later_sign_in_with_a_new_email_makes_it_the_primary_address(
    client, idp, oidc_institution, trusted
):
    oidc_institution.settings["trusted_for_email"] = trusted
    oidc_institution.save()
    sign_in(client, idp, "ada")
    user = User.objects.get(email="ada@example.edu")
    _move_to_an_old_address(user)
    client.post("/accounts/logout/")
    assert sign_in(client, idp, "ada").status_code == 302
    user.refresh_from_db()
    assert user.email == "ada@example.edu"
    primary = EmailAddress.objects.get(user=user, primary=True)
    assert (primary.email, primary.verified) == ("ada@example.edu", trusted)
    old = EmailAddress.objects.get(user=user, email="ada.old@example.edu")
    assert (old.primary, old.verified) == (False, True)


def test_a_new_email_another_account_holds_changes_no_address(client, idp, oidc_institution):
    sign_in(client, idp, "ada")
    user = User.objects.get(email="ada@example.edu")
    _move_to_an_old_address(user)
    other = factories.UserFactory(username="someone", email="someone@example.org")
    EmailAddress.objects.create(user=other, email="ada@example.edu", verified=True, primary=False)
    client.post("/accounts/logout/")
    sign_in(client, idp, "ada")
    user.refresh_from_db()
    assert user.email == "ada.old@example.edu"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "primary")) == [
        ("ada.old@example.edu", True)
    ]


# --- The ID token's signature, against the issuer's JWKS ----------------------------


def _other_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_id_token_signature_is_checked_with_the_issuers_keys_kept_in_the_cache(
    client, idp, oidc_institution, monkeypatch
):
    import jwt
    from django.core.cache import cache

    from accounts import institutions

    checked = []
    decode = jwt.decode
    monkeypatch.setattr(
        jwt, "decode", lambda *a, **kw: checked.append(kw["key"]) or decode(*a, **kw)
    )
    assert sign_in(client, idp, "ada").status_code == 302
    assert checked and isinstance(checked[0], jwt.PyJWK)  # verified, not skipped
    key = institutions.jwks_cache_key(
        requests_get_json(
            f"{oidc_institution.settings['server_url']}/.well-known/openid-configuration"
        )["jwks_uri"]
    )
    kept = cache.get(key)
    assert kept["keys"]  # the issuer's keys, in the shared cache
    cache.set(key, {"keys": [*kept["keys"], {"kty": "oct", "kid": "marker", "k": "AA"}]})
    client.post("/accounts/logout/")
    assert sign_in(client, idp, "ada").status_code == 302
    assert "marker" in str(cache.get(key))  # the second sign-in fetched nothing


def test_an_unknown_kid_fetches_the_issuers_keys_again(client, idp, oidc_institution):
    import json

    import jwt
    from django.core.cache import cache

    from accounts import institutions

    jwks_uri = requests_get_json(
        f"{oidc_institution.settings['server_url']}/.well-known/openid-configuration"
    )["jwks_uri"]
    stale = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(_other_key().public_key()))
    key = institutions.jwks_cache_key(jwks_uri)  # keys kept, since rotated away
    cache.set(key, {"keys": [{**stale, "kid": "rotated-away", "use": "sig"}]})
    assert sign_in(client, idp, "ada").status_code == 302
    assert "rotated-away" not in json.dumps(cache.get(key))


def requests_get_json(url):
    import requests

    return requests.get(url, timeout=10).json()


def test_id_token_signed_with_another_key_is_refused_and_writes_nothing(
    client, idp, oidc_institution, monkeypatch
):
    import jwt

    from accounts.providers.institutions import InstitutionOIDCAdapter

    forger = _other_key()
    original = InstitutionOIDCAdapter.get_access_token_data

    def resigned(self, *args, **kwargs):
        data = original(self, *args, **kwargs)
        header = jwt.get_unverified_header(data["id_token"])
        claims = jwt.decode(data["id_token"], options={"verify_signature": False})
        data["id_token"] = jwt.encode(
            claims, forger, algorithm="RS256", headers={"kid": header["kid"]}
        )
        return data

    monkeypatch.setattr(InstitutionOIDCAdapter, "get_access_token_data", resigned)
    users = User.objects.count()
    response = sign_in(client, idp, "ada")
    assert response.status_code == 400
    assert b"<code>signature</code>" in response.content
    assert response["X-Request-ID"].encode() in response.content
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.exists()
    assert "_auth_user_id" not in client.session


def test_id_token_signed_with_a_shared_secret_is_refused(
    client, idp, oidc_institution, monkeypatch
):
    import jwt

    from accounts.providers.institutions import InstitutionOIDCAdapter

    original = InstitutionOIDCAdapter.get_access_token_data

    def hmac_signed(self, *args, **kwargs):
        data = original(self, *args, **kwargs)
        claims = jwt.decode(data["id_token"], options={"verify_signature": False})
        data["id_token"] = jwt.encode(claims, "x" * 32, algorithm="HS256")
        return data

    monkeypatch.setattr(InstitutionOIDCAdapter, "get_access_token_data", hmac_signed)
    response = sign_in(client, idp, "ada")
    assert response.status_code == 400
    assert b"<code>signature</code>" in response.content
    assert not SocialAccount.objects.exists()


# --- The institution refuses the person ---------------------------------------------


@pytest.mark.parametrize(
    ("error", "reason"), [("access_denied", b"refused"), ("unauthorized_client", b"misconfigured")]
)
def test_an_error_from_the_identity_provider_is_the_failure_page(
    client, oidc_institution, error, reason
):
    # DOT's test client skips the consent screen (skip_authorization), so there is no
    # "deny" to press: the callback is what DOT sends when its user denies.
    state = parse_qs(urlsplit(start_sign_in(client)).query)["state"][0]
    response = client.get(f"/accounts/oidc/{SLUG}/login/callback/?error={error}&state={state}")
    assert response.status_code == 400
    assert b"<code>" + reason + b"</code>" in response.content
    assert response["X-Request-ID"].encode() in response.content
    assert not User.objects.exists()
