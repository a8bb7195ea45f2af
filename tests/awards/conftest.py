import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def award(course):
    return factories.AwardFactory(
        course=course,
        name="Best Use of Sources",
        emoji="📜",
        colour="#1f5c4d",
        description="For a post that quotes its sources fairly.",
    )


@pytest.fixture
def other_instructor(db):
    """An instructor, but of another course."""
    return factories.MembershipFactory(
        role="instructor", user=factories.UserFactory(username="elsewhere")
    ).user


@pytest.fixture
def grant_url(post):
    return reverse("awards:grant_create", args=[post.course.slug, post.slug])


def confirm_grant(client, post, award, citation=""):
    """POST the grant form's final step ("Confirm")."""
    url = reverse("awards:grant_create", args=[post.course.slug, post.slug])
    return client.post(url, {"award": award.pk, "citation": citation, "confirm": "1"})
