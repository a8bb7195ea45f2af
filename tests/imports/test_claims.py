"""A placeholder's posts and comments become the person's once they sign in with the
same verified email."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from blog.models import Post
from comments.models import Comment
from imports.models import Placeholder
from tests import factories

pytestmark = pytest.mark.django_db


def test_signing_in_with_the_verified_email_claims_the_placeholder(client, course, imported):
    boris = factories.UserFactory(username="boris_new", email="boris@example.edu")
    EmailAddress.objects.create(user=boris, email="BORIS@example.edu", verified=True,
                                primary=True)  # fmt: skip
    response = client.post(reverse("account_login"),
                           {"login": "boris_new", "password": "pass-word-123"})  # fmt: skip
    assert response.status_code == 302
    assert Post.objects.get(title="Classic days").author == boris
    assert Comment.objects.get(body__startswith="Level one").author == boris
    assert course.memberships.filter(user=boris).exists()
    assert not Placeholder.objects.filter(email="boris@example.edu").exists()


def test_an_unverified_address_claims_nothing(client, course, imported):
    boris = factories.UserFactory(username="boris_new", email="boris@example.edu")
    EmailAddress.objects.create(user=boris, email="boris@example.edu", verified=False,
                                primary=True)  # fmt: skip
    client.post(reverse("account_login"), {"login": "boris_new", "password": "pass-word-123"})
    assert Post.objects.get(title="Classic days").author != boris
    assert Placeholder.objects.filter(email="boris@example.edu").exists()


def stand_in_sign_in(client, provider_id):
    response = client.post(
        reverse("accounts:social_stub_login", args=[provider_id]),
        {"name": "Boris Pasternak", "email": "boris@example.edu", "email_verified": "on"},
    )
    assert response.status_code == 302
    return client.get(reverse("home")).wsgi_request.user


def test_a_first_wordpress_com_sign_in_with_the_verified_email_claims(client, course, imported):
    me = stand_in_sign_in(client, "wordpress_com")
    assert me.is_authenticated and me.is_active
    assert Post.objects.get(title="Classic days").author == me
    assert Comment.objects.get(body__startswith="Level five").author == me
    assert not Placeholder.objects.filter(email="boris@example.edu").exists()


def test_facebook_claims_once_the_address_is_confirmed(client, course, imported):
    """allauth takes Facebook's addresses as unverified: the claim waits for the
    confirmation link (allauth's email_confirmed)."""
    from allauth.account.models import EmailConfirmationHMAC

    me = stand_in_sign_in(client, "facebook")
    assert Post.objects.get(title="Classic days").author != me
    address = EmailAddress.objects.get(user=me, email__iexact="boris@example.edu")
    key = EmailConfirmationHMAC(address).key
    client.post(reverse("account_confirm_email", args=[key]))
    assert Post.objects.get(title="Classic days").author == me


def test_someone_with_an_account_claims_at_their_next_verified_sign_in(client, anna, imported):
    EmailAddress.objects.create(user=anna, email=anna.email, verified=True, primary=True)
    assert Post.objects.get(title="Out with the old").author != anna
    client.post(reverse("account_login"), {"login": anna.username, "password": "pass-word-123"})
    assert Post.objects.get(title="Out with the old").author == anna
    assert Comment.objects.get(body__startswith="Level three").author == anna


def test_staff_never_take_over_a_placeholder(client, course, imported):
    admin = factories.UserFactory(username="root", email="boris@example.edu", is_staff=True)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": "root", "password": "pass-word-123"})
    assert client.get(reverse("home")).wsgi_request.user == admin  # signed in
    assert Post.objects.get(title="Classic days").author != admin
    assert not Comment.objects.filter(author=admin).exists()
    assert Placeholder.objects.filter(email="boris@example.edu").exists()
