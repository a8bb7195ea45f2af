"""Institutions without an identity provider: configuration from the environment,
affiliation on the roster, institution-only mode."""

import json

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.institutions import DEFAULT_ATTRIBUTE_MAPPING, apps_from_env
from tests import factories

EXAMPLE = [
    {
        "slug": "example-u",
        "name": "Example University",
        "protocol": "oidc",
        "issuer": "https://login.example.edu",
        "client_id": "abc",
        "secret": "s3",
        "trusted_for_email": True,
        "email_domains": ["example.edu"],
    },
    {
        "slug": "state-u",
        "name": "State University",
        "protocol": "saml",
        "entity_id": "https://idp.state.example/idp/shibboleth",
        "metadata_url": "https://idp.state.example/idp/shibboleth/metadata",
    },
]


def test_environment_institutions_become_allauth_apps_with_defaults():
    apps = apps_from_env(json.dumps(EXAMPLE))
    (oidc,) = apps["openid_connect"]
    assert oidc["provider_id"] == "example-u"
    assert oidc["settings"]["server_url"] == "https://login.example.edu"
    assert oidc["settings"]["oauth_pkce_enabled"] is True
    assert oidc["settings"]["trusted_for_email"] is True
    (saml,) = apps["saml"]
    assert saml["client_id"] == "state-u"
    assert saml["settings"]["advanced"]["authn_request_signed"] is True
    assert saml["settings"]["advanced"]["want_assertion_encrypted"] is True
    assert saml["settings"]["attribute_mapping"] == DEFAULT_ATTRIBUTE_MAPPING
    assert saml["settings"]["trusted_for_email"] is False


@pytest.mark.parametrize(
    "value",
    [
        "{not json",
        '{"slug": "x"}',
        '[{"slug": "x", "name": "X", "protocol": "cas"}]',
        '[{"slug": "x", "name": "X", "protocol": "saml", "entity_id": "e"}]',
    ],
)
def test_a_broken_institution_list_is_a_clear_configuration_error(value):
    with pytest.raises(ImproperlyConfigured, match="SSO_INSTITUTIONS"):
        apps_from_env(value)


def _saml_account(user, affiliation):
    app = SocialApp.objects.create(
        provider="saml",
        provider_id="state-u",
        client_id="state-u",
        name="State University",
        settings={"attribute_mapping": DEFAULT_ATTRIBUTE_MAPPING, "idp": {}},
    )
    SocialAccount.objects.create(
        user=user,
        provider="state-u",
        uid=f"{user.username}@state.example",
        extra_data={"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": affiliation},
    )
    return app


def test_roster_shows_the_institutions_affiliation_to_instructors(
    client, course, instructor, student, django_assert_max_num_queries
):
    _saml_account(student, ["member", "student"])
    for _ in range(10):
        member = factories.MembershipFactory(course=course).user
        SocialAccount.objects.create(
            user=member,
            provider="state-u",
            uid=member.username,
            extra_data={"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["faculty"]},
        )
    client.force_login(instructor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("blog:course_roster", args=[course.slug]))
    content = response.content.decode()
    assert content.count('roster__affiliation" title="As their institution says">Student<') == 1
    assert content.count(">Faculty</span>") == 10


def test_roster_without_institutions_shows_no_affiliation(client, course, instructor, student):
    client.force_login(instructor)
    response = client.get(reverse("blog:course_roster", args=[course.slug]))
    assert "roster__affiliation" not in response.content.decode()


@pytest.fixture
def institution_only(settings, db):
    settings.INSTITUTION_ONLY = True


def test_institution_only_closes_local_sign_up(client, institution_only):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "username": "newbie",
            "password1": "a long pass phrase 9",
            "password2": "a long pass phrase 9",
        },
    )
    assert "closed" in response.content.decode().lower()
    assert not factories.UserFactory._meta.model.objects.filter(username="newbie").exists()


def test_institution_only_refuses_local_sign_in_to_a_student(client, institution_only):
    factories.UserFactory(username="stu", password="pass phrase 12")
    response = client.post(reverse("account_login"), {"login": "stu", "password": "pass phrase 12"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_institution_only_keeps_local_sign_in_for_staff(client, institution_only):
    factories.UserFactory(username="admin1", password="pass phrase 12", is_staff=True)
    response = client.post(
        reverse("account_login"), {"login": "admin1", "password": "pass phrase 12"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_institution_only_still_takes_guest_comments_where_the_course_allows(
    client, post, institution_only
):
    from comments.models import Comment

    response = client.post(
        reverse("comments:comment_create", args=[post.course.slug, post.slug]),
        {"body": "A visitor's remark.", "guest_name": "Vera", "guest_email": "vera@example.org"},
    )
    assert response.status_code == 302
    assert Comment.objects.get().author is None


def test_admin_adds_an_oidc_institution_by_named_fields(client, staff):
    from django.contrib.auth.models import Permission
    from django.contrib.sites.models import Site

    staff.user_permissions.set(Permission.objects.filter(codename__endswith="institution"))
    client.force_login(staff)
    url = reverse("admin:accounts_institution_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Example University",
            "slug": "example-u",
            "protocol": "oidc",
            "sites": [Site.objects.get_current().pk],
            "trusted_for_email": "on",
            "email_domains": "example.edu, med.example.edu",
            "issuer": "https://login.example.edu",
            "oidc_client_id": "abc",
            "oidc_secret": "xyz",
            "scopes": "openid email profile",
            "sign_requests": "on",
            "encrypt_assertions": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    app = SocialApp.objects.get(provider="openid_connect")
    assert (app.provider_id, app.client_id, app.secret) == ("example-u", "abc", "xyz")
    assert app.settings["server_url"] == "https://login.example.edu"
    assert app.settings["email_domains"] == ["example.edu", "med.example.edu"]
    assert app.settings["trusted_for_email"] is True
    assert (
        client.get(reverse("admin:accounts_institution_change", args=[app.pk])).status_code == 200
    )


def test_admin_refuses_a_saml_institution_without_its_idp_and_keeps_what_was_typed(client, staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(codename__endswith="institution"))
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_institution_add"),
        {
            "name": "State University",
            "slug": "state-u",
            "protocol": "saml",
            "entity_id": "https://idp.state.example/idp",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "needs metadata_url, or sso_url and x509cert" in html
    assert 'value="https://idp.state.example/idp"' in html
    assert not SocialApp.objects.exists()


def test_institution_only_sign_in_page_puts_institutions_first_and_folds_the_password_form(
    client, institution_only
):
    app = SocialApp.objects.create(
        provider="saml",
        provider_id="state-u",
        client_id="state-u",
        name="State University",
        settings={"idp": {}},
    )
    app.sites.add(1)
    html = client.get(reverse("account_login")).content.decode()
    assert html.index("Sign in with State University") < html.index("<details")
    assert "Staff sign-in with a password" in html
    assert 'name="password"' in html
    assert "sign up" not in html.split('id="main"')[-1].lower().split("<footer")[0]


def test_the_usual_sign_in_page_is_unchanged_without_institution_only(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "Staff sign-in" not in html
    assert "sign up" in html
