"""Stand-in ("stub") social login: a real allauth social login for a typed identity."""

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from accounts.checks import social_credentials_check, social_stub_login_check
from accounts.social import provider_of, stand_in_uid
from tests.helpers import sign_in, stand_in_url

ROOT = Path(__file__).resolve().parents[2]
PROVIDERS = [("wordpress_com", "WordPress.com"), ("facebook", "Facebook")]


def current_user(client):
    return client.get(reverse("home")).wsgi_request.user


@pytest.mark.django_db
@pytest.mark.parametrize(("provider_id", "provider_name"), PROVIDERS)
def test_stand_in_page_completes_a_real_social_login(client, provider_id, provider_name):
    page = client.get(stand_in_url(provider_id, next="/u/ann/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<title>Sign in to {provider_name} — stand-in for development" in html
    assert html.count("<h1") == 1
    assert 'name="csrfmiddlewaretoken"' in html

    response = sign_in(client, provider_id, next="/u/ann/")

    assert response.status_code == 302
    assert response["Location"] == "/u/ann/"
    account = SocialAccount.objects.get(provider=provider_id)
    assert account.uid == str(stand_in_uid("ann@example.com"))
    assert account.user == current_user(client)
    assert account.user.get_full_name() == "Ann Lee"
    assert not SocialApp.objects.exists()  # no admin step, nothing stored


@pytest.mark.django_db
@pytest.mark.parametrize(("provider_id", "provider_name"), PROVIDERS)
def test_same_email_is_the_same_provider_identity(client, provider_id, provider_name):
    sign_in(client, provider_id)
    client.post(reverse("account_logout"))
    sign_in(client, provider_id, name="Ann L.", email="ANN@example.com ")

    assert SocialAccount.objects.filter(provider=provider_id).count() == 1
    assert get_user_model().objects.count() == 1
    assert current_user(client).is_authenticated


@pytest.mark.django_db
@pytest.mark.parametrize(("provider_id", "provider_name"), PROVIDERS)
def test_session_remembers_the_provider_for_the_comment_form(client, provider_id, provider_name):
    sign_in(client, provider_id)
    request = client.get(reverse("home")).wsgi_request
    assert provider_of(request) == provider_name


@pytest.mark.django_db
def test_local_login_has_no_provider(client, user):
    sign_in(client, "facebook")
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": user.username, "password": "pass-word-123"})
    request = client.get(reverse("home")).wsgi_request
    assert request.user == user
    assert provider_of(request) is None


@pytest.mark.django_db
def test_anonymous_visitor_has_no_provider(client):
    assert provider_of(client.get(reverse("home")).wsgi_request) is None


@pytest.mark.django_db
def test_stand_in_requires_name_and_a_valid_email(client):
    response = client.post(stand_in_url("wordpress_com"), {"name": "", "email": "not-an-email"})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert b"Enter a valid email address" in response.content
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_stand_in_next_goes_only_to_this_site(client):
    response = sign_in(client, "wordpress_com", next="https://evil.example/")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("provider_id", ["wordpress_com", "facebook"])
def test_stand_in_is_404_when_stub_login_is_off(client, settings, provider_id):
    settings.SOCIAL_STUB_LOGIN = False
    assert client.get(stand_in_url(provider_id)).status_code == 404
    assert sign_in(client, provider_id).status_code == 404
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("provider_id", ["wordpress_com", "facebook"])
def test_provider_without_credentials_or_stand_in_is_404(client, settings, provider_id):
    settings.DEBUG = False
    settings.SOCIAL_STUB_LOGIN = False
    client.raise_request_exception = False
    for method in (client.get, client.post):
        assert method(f"/accounts/{provider_id}/login/").status_code == 404
    assert client.get(f"/accounts/{provider_id}/login/callback/").status_code == 404
    assert "provider-button" not in client.get(reverse("account_signup")).content.decode()


@pytest.mark.django_db
def test_stand_in_is_404_for_an_unknown_provider(client):
    assert client.get(stand_in_url("github")).status_code == 404


@pytest.mark.django_db
def test_buttons_are_hidden_without_credentials_or_stub_mode(client, settings):
    settings.SOCIAL_STUB_LOGIN = False
    html = client.get(reverse("account_login")).content.decode()
    assert "provider-button" not in html
    assert "Sign in with" not in html


@pytest.mark.django_db
def test_login_page_shows_both_provider_buttons_in_stub_mode(client):
    html = client.get(reverse("account_login")).content.decode()
    for provider_id, provider_name in PROVIDERS:
        assert f'href="{stand_in_url(provider_id)}?process=login"' in html
        assert f"Sign in with {provider_name}" in html
        assert f"img/providers/{provider_id}.svg" in html


@pytest.mark.django_db
def test_provider_login_url_in_stub_mode_leads_to_the_stand_in(client):
    confirm = client.get(reverse("facebook_login"), {"next": "/u/ann/"})
    assert confirm.status_code == 200
    assert confirm.content.decode().count("<h1") == 1

    response = client.post(reverse("facebook_login") + "?next=/u/ann/")

    assert response.status_code == 302
    assert response["Location"].startswith(stand_in_url("facebook"))
    assert "next=%2Fu%2Fann%2F" in response["Location"]


@pytest.mark.django_db
def test_icons_include_links_each_provider_and_comes_back_to_next(client, rf_request):
    html = render_to_string(
        "accounts/_social_login_icons.html",
        {"next": "/courses/history/thaw/#reply", "compact": True},
        request=rf_request,
    )
    hrefs = [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]
    assert len(hrefs) == 2
    assert html.count('class="provider-button__label visually-hidden"') == 2
    for provider_id, provider_name in PROVIDERS:
        assert f"Sign in with {provider_name}</span>" in html
        href = next(h for h in hrefs if h.startswith(stand_in_url(provider_id)))
        assert "next=%2Fcourses%2Fhistory%2Fthaw%2F%23reply" in href
        assert client.get(href).status_code == 200
        response = client.post(
            href, {"name": "Ann Lee", "email": f"ann@{provider_id.replace('_', '-')}.example"}
        )
        assert response["Location"] == "/courses/history/thaw/#reply"
        client.post(reverse("account_logout"))


@pytest.fixture
def rf_request(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = {}
    return request


@pytest.mark.django_db
def test_connect_and_disconnect_a_provider_from_account_settings(client, user):
    client.force_login(user)
    connections = client.get(reverse("socialaccount_connections")).content.decode()
    assert "Connect WordPress.com" in connections
    assert f"{stand_in_url('wordpress_com')}?process=connect" in connections

    response = sign_in(client, "wordpress_com", email="ann.wp@example.com", process="connect")

    assert response.status_code == 302
    account = SocialAccount.objects.get(provider="wordpress_com")
    assert account.user == user
    assert current_user(client) == user

    client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_unverified_stand_in_email_does_not_log_into_existing_account(client, user):
    response = client.post(stand_in_url("wordpress_com"), {"name": "Mallory", "email": user.email})
    assert response["Location"] == reverse("socialaccount_signup")
    assert current_user(client) != user


def test_system_check_warns_when_stub_login_is_on_without_debug(settings):
    settings.DEBUG = False
    settings.SOCIAL_STUB_LOGIN = True
    assert [w.id for w in social_stub_login_check(None)] == ["accounts.W001"]
    settings.SOCIAL_STUB_LOGIN = False
    assert social_stub_login_check(None) == []


def test_system_check_warns_about_a_client_id_without_secret(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "wordpress_com": {"APPS": [{"client_id": "wp-client", "secret": ""}]},
        "facebook": {"APPS": [{"client_id": "fb-client", "secret": "fb-secret"}]},
    }
    assert [w.msg for w in social_credentials_check(None)] == [
        "The wordpress_com login has a client id but no secret."
    ]


def _stub_setting(**env):
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SOCIAL_STUB_LOGIN"}}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "s" * 50, **env})
    code = "from django.conf import settings; print(settings.SOCIAL_STUB_LOGIN)"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_stub_login_follows_debug_unless_set_explicitly():
    assert _stub_setting(DJANGO_DEBUG="1") == "True"
    assert _stub_setting(DJANGO_DEBUG="0", ALLOWED_HOSTS="x.test") == "False"
    assert _stub_setting(DJANGO_DEBUG="0", ALLOWED_HOSTS="x.test", SOCIAL_STUB_LOGIN="1") == "True"
