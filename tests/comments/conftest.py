import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def other_instructor(db):
    """An instructor, but of another course: nobody special here."""
    member = factories.MembershipFactory(
        role="instructor", user=factories.UserFactory(username="elsewhere")
    )
    return member.user


@pytest.fixture
def guest_data():
    return {
        "body": "A thoughtful remark from a visitor.",
        "guest_name": "Vera Visitor",
        "guest_email": "vera@example.org",
        "guest_website": "https://vera.example.org",
    }


def create_url(post):
    return reverse("comments:comment_create", args=[post.course.slug, post.slug])


def post_comment(client, post, body="A reply worth reading.", **extra):
    return client.post(create_url(post), {"body": body, **extra})
