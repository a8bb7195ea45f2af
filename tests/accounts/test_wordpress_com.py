"""The live WordPress.com OAuth2 flow, with WordPress.com's HTTP API mocked by `responses`."""

from urllib.parse import parse_qs, urlparse

import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory

TOKEN_URL = "https://public-api.wordpress.com/oauth2/token"
AUTHORIZE_URL = "https://public-api.wordpress.com/oauth2/authorize"
ME_URL = "https://public-api.wordpress.com/rest/v1.1/me"


def me(**overrides):
    return {
        "ID": 4242,
        "username": "annlee",
        "display_name": "Ann Lee",
        "email": "ann@example.com",
        "email_verified": True,
        "avatar_URL": "https://0.gravatar.com/avatar/abc",
        "profile_URL": "https://gravatar.com/annlee",
        **overrides,
    }


@pytest.fixture
def wordpress_credentials(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "wordpress_com": {
            "APPS": [{"client_id": "wp-client", "secret": "wp-secret"}],
            "SCOPE": ["auth"],
        },
    }


def start_login(client, next_url="/u/someone/"):
    response = client.post(reverse("wordpress_com_login") + f"?next={next_url}")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == AUTHORIZE_URL
    return parse_qs(location.query)


def mock_wordpress_com(profile):
    responses.add(
        responses.POST, TOKEN_URL, json={"access_token": "wp-token", "token_type": "bearer"}
    )
    responses.add(responses.GET, ME_URL, json=profile)


@pytest.mark.django_db
def test_authorize_redirect_carries_client_callback_scope_and_state(client, wordpress_credentials):
    query = start_login(client)
    assert query["client_id"] == ["wp-client"]
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["auth"]
    assert query["redirect_uri"] == ["http://testserver/accounts/wordpress_com/login/callback/"]
    assert len(query["state"][0]) >= 16


@pytest.mark.django_db
def test_login_button_runs_live_flow_when_credentials_are_configured(client, wordpress_credentials):
    page = client.get(reverse("account_login")).content.decode()
    assert 'href="/accounts/wordpress_com/login/?process=login"' in page
    assert reverse("accounts:social_stub_login", args=["wordpress_com"]) not in page
    response = client.get(reverse("accounts:social_stub_login", args=["wordpress_com"]))
    assert response.status_code == 404


@pytest.mark.django_db
@responses.activate
def test_callback_exchanges_code_fetches_profile_and_signs_up(client, wordpress_credentials):
    state = start_login(client)["state"][0]
    mock_wordpress_com(me())

    response = client.get(reverse("wordpress_com_callback"), {"code": "the-code", "state": state})

    assert response.status_code == 302
    assert response["Location"] == "/u/someone/"
    token_call, me_call = responses.calls
    token_form = parse_qs(token_call.request.body)
    assert token_form["code"] == ["the-code"]
    assert token_form["client_id"] == ["wp-client"]
    assert token_form["client_secret"] == ["wp-secret"]
    assert token_form["grant_type"] == ["authorization_code"]
    assert me_call.request.headers["Authorization"] == "Bearer wp-token"

    account = SocialAccount.objects.get(provider="wordpress_com")
    assert account.uid == "4242"
    assert account.get_avatar_url() == "https://0.gravatar.com/avatar/abc"
    user = account.user
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "annlee",
        "ann@example.com",
        "Ann",
        "Lee",
    )
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("home")).wsgi_request.user == user


@pytest.mark.django_db
@responses.activate
def test_returning_wordpress_com_user_logs_into_the_same_account(client, wordpress_credentials):
    mock_wordpress_com(me())
    state = start_login(client)["state"][0]
    client.get(reverse("wordpress_com_callback"), {"code": "c1", "state": state})
    client.post(reverse("account_logout"))

    state = start_login(client)["state"][0]
    client.get(reverse("wordpress_com_callback"), {"code": "c2", "state": state})

    assert get_user_model().objects.count() == 1
    assert client.get(reverse("home")).wsgi_request.user.username == "annlee"


@pytest.mark.django_db
@responses.activate
def test_tampered_state_is_refused(client, wordpress_credentials):
    state = start_login(client)["state"][0]
    mock_wordpress_com(me())

    response = client.get(
        reverse("wordpress_com_callback"), {"code": "the-code", "state": state + "x"}
    )

    assert response.status_code == 401
    assert len(responses.calls) == 0
    assert not SocialAccount.objects.exists()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
@responses.activate
def test_state_cannot_be_replayed(client, wordpress_credentials):
    state = start_login(client)["state"][0]
    mock_wordpress_com(me())
    client.get(reverse("wordpress_com_callback"), {"code": "c", "state": state})
    client.post(reverse("account_logout"))

    response = client.get(reverse("wordpress_com_callback"), {"code": "c", "state": state})

    assert response.status_code == 401


@pytest.mark.django_db
@responses.activate
def test_failed_token_exchange_shows_an_error_not_a_crash(client, wordpress_credentials):
    state = start_login(client)["state"][0]
    responses.add(responses.POST, TOKEN_URL, json={"error": "invalid_grant"}, status=400)

    response = client.get(reverse("wordpress_com_callback"), {"code": "bad", "state": state})

    assert response.status_code == 401
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
@responses.activate
@pytest.mark.parametrize("verified", [False, True])
def test_provider_email_never_logs_into_an_existing_local_account(
    client, wordpress_credentials, verified
):
    local = UserFactory(username="ann", email="ann@example.com")
    EmailAddress.objects.create(user=local, email=local.email, verified=True, primary=True)
    state = start_login(client)["state"][0]
    mock_wordpress_com(me(email_verified=verified))

    response = client.get(reverse("wordpress_com_callback"), {"code": "c", "state": state})

    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_signup")
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    assert not SocialAccount.objects.filter(user=local).exists()


@pytest.mark.django_db
@responses.activate
def test_social_signup_with_taken_email_asks_for_another_and_keeps_the_provider_link(
    client, wordpress_credentials
):
    UserFactory(username="annlee", email="ann@example.com")
    state = start_login(client)["state"][0]
    mock_wordpress_com(me())
    client.get(reverse("wordpress_com_callback"), {"code": "c", "state": state})

    form_page = client.get(reverse("socialaccount_signup"))
    assert form_page.status_code == 200
    assert b"WordPress.com" in form_page.content
    taken = client.post(
        reverse("socialaccount_signup"), {"email": "ann@example.com", "username": "annlee"}
    )
    assert taken.status_code == 200
    assert b"already" in taken.content

    done = client.post(
        reverse("socialaccount_signup"), {"email": "ann.lee@example.org", "username": "ann_wp"}
    )

    assert done.status_code == 302
    account = SocialAccount.objects.get(provider="wordpress_com", uid="4242")
    assert account.user.username == "ann_wp"
    assert account.user.email == "ann.lee@example.org"
