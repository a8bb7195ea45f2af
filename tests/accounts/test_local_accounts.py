"""Local accounts through allauth: sign-up, login, logout, reset, rate limits, redirects."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "pass-word-123"


def current_user(client):
    return client.get(reverse("home")).wsgi_request.user


@pytest.mark.django_db
def test_sign_up_creates_and_logs_in_the_user(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "username": "newstudent",
                "email": "new@example.edu",
                "password1": "a-Long-passphrase-42",
                "password2": "a-Long-passphrase-42",
            },
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newstudent")
    assert current_user(client) == user
    assert EmailAddress.objects.get(user=user).email == "new@example.edu"
    assert len(mail.outbox) == 1  # the verification email


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["username", "email"])
def test_log_in_by_username_or_email(client, user, field):
    response = client.post(
        reverse("account_login"), {"login": getattr(user, field), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert current_user(client) == user


@pytest.mark.django_db
def test_wrong_password_is_refused(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    assert not current_user(client).is_authenticated


@pytest.mark.django_db
def test_logout_by_get_is_refused(client, user):
    client.force_login(user)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert b'method="post"' in page.content
    assert current_user(client) == user
    client.post(reverse("account_logout"))
    assert not current_user(client).is_authenticated


@pytest.mark.django_db
def test_repeated_failed_logins_hit_the_rate_limit(client, user):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.username, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Too many failed login attempts" in response.content
    assert not current_user(client).is_authenticated


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_known_and_unknown_emails(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": user.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.edu"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 2
    assert [m.to for m in mail.outbox] == [[user.email], ["nobody@example.edu"]]


@pytest.mark.django_db
def test_password_reset_link_sets_a_new_password(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    form_url = client.get(link.group(1))["Location"]

    response = client.post(
        form_url, {"password1": "a-New-passphrase-77", "password2": "a-New-passphrase-77"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-New-passphrase-77")


@pytest.mark.django_db
def test_password_change(client, user):
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-New-pass-99", "password2": "a-New-pass-99"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-New-pass-99")


@pytest.mark.django_db
def test_add_and_verify_another_email(client, user, django_capture_on_commit_callbacks):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_add": "", "email": "second@example.edu"})
    address = EmailAddress.objects.get(email="second@example.edu")
    assert not address.verified
    link = re.search(r"https?://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)

    client.post(link.group(1))

    address.refresh_from_db()
    assert address.verified


@pytest.mark.django_db
@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/"]
)
def test_login_next_never_leaves_the_site(client, user, evil):
    response = client.post(
        reverse("account_login") + f"?next={evil}", {"login": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_login_next_on_this_site_is_followed(client, user):
    response = client.post(
        reverse("account_login") + "?next=/u/someone/",
        {"login": user.username, "password": PASSWORD},
    )
    assert response["Location"] == "/u/someone/"


ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
    "account_inactive",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "wordpress_com_login",
    "facebook_login",
]
SIGNED_IN_PAGES = [
    "account_logout",
    "account_email",
    "account_change_password",
    "socialaccount_connections",
    "account_reauthenticate",
]


def assert_site_page_with_one_h1(response):
    html = response.content.decode()
    assert html.count("<h1") == 1
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    words = " ".join(title.split())
    assert words.endswith("· Commonplace")
    assert len(words) > len("· Commonplace") + 2
    assert "css/main.css" in html and 'class="site-header"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_allauth_pages_use_the_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == (401 if name == "socialaccount_login_error" else 200)
    assert_site_page_with_one_h1(response)


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_account_settings_pages_use_the_site_layout(client, user, name):
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_site_page_with_one_h1(response)
    if name not in ("account_logout", "account_reauthenticate"):
        assert b'aria-label="Account settings"' in response.content


@pytest.mark.django_db
def test_password_reset_with_a_bad_key_is_a_styled_page(client, user):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"})
    )
    assert response.status_code == 200
    assert_site_page_with_one_h1(response)


@pytest.mark.django_db
def test_social_signup_page_is_styled(client):
    UserFactory(email="ann@example.com")
    client.post(
        reverse("accounts:social_stub_login", args=["facebook"]),
        {"name": "Ann Lee", "email": "ann@example.com"},
    )
    response = client.get(reverse("socialaccount_signup"))
    assert response.status_code == 200
    assert_site_page_with_one_h1(response)
    assert b"form-control" in response.content


@pytest.mark.django_db
def test_set_password_page_for_a_social_only_user(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.get(reverse("account_set_password"))
    assert response.status_code == 200
    assert_site_page_with_one_h1(response)


@pytest.mark.django_db
def test_emails_name_the_site_not_example_com(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert mail.outbox[0].subject.startswith("[Commonplace]")
