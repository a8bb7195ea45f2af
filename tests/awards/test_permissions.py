"""docs/design.md's access table, "define awards, grant and revoke them": instructors of the
course and staff only (not its teaching assistants). Anonymous people are sent to log in;
other signed-in people get 403; a members-only course is 404 to people outside it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from awards.models import Award, AwardGrant
from tests import factories

ACTORS = [
    "anonymous",
    "outsider",
    "student",
    "author",
    "assistant",  # moderates and grades; awards are not theirs
    "instructor",
    "other_instructor",
    "staff",
]
ALLOWED = {"instructor", "staff"}


@pytest.fixture
def actor(request, course, post, instructor, classmate, outsider, other_instructor, staff):
    """The user playing each role in the table (None for anonymous)."""
    return {
        "anonymous": None,
        "outsider": outsider,
        "student": classmate,
        "author": post.author,
        "assistant": factories.MembershipFactory(
            course=course, role="assistant", user=factories.UserFactory(username="ta")
        ).user,
        "instructor": instructor,
        "other_instructor": other_instructor,
        "staff": staff,
    }[request.param]


def login(client, user):
    if user is not None:
        client.force_login(user)


def expected_status(name, allowed_status):
    if name in ALLOWED:
        return allowed_status
    return 302 if name == "anonymous" else 403


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_can_grant_awards_predicate_follows_the_table(request, course, actor):
    name = request.node.callspec.params["actor"]
    user = actor or AnonymousUser()
    assert course.can_grant_awards(user) is (name in ALLOWED)


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_only_instructors_and_staff_define_awards(request, client, course, actor):
    name = request.node.callspec.params["actor"]
    login(client, actor)
    url = reverse("awards:award_create", args=[course.slug])
    assert client.get(url).status_code == expected_status(name, 200)
    response = client.post(url, {"name": "Sharpest Question", "emoji": "❓", "colour": "#336699"})
    assert response.status_code == expected_status(name, 302)
    assert Award.objects.filter(name="Sharpest Question").exists() is (name in ALLOWED)


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_only_instructors_and_staff_manage_edit_and_retire_awards(
    request, client, course, award, actor
):
    name = request.node.callspec.params["actor"]
    login(client, actor)
    args = [course.slug, award.slug]
    manage = client.get(reverse("awards:award_manage", args=[course.slug]))
    assert manage.status_code == expected_status(name, 200)
    edit = client.get(reverse("awards:award_edit", args=args))
    assert edit.status_code == expected_status(name, 200)
    retire = client.post(reverse("awards:award_retire", args=args))
    assert retire.status_code == expected_status(name, 302)
    award.refresh_from_db()
    assert award.is_retired is (name in ALLOWED)


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_only_instructors_and_staff_grant_awards(request, client, post, award, grant_url, actor):
    name = request.node.callspec.params["actor"]
    login(client, actor)
    assert client.get(grant_url).status_code == expected_status(name, 200)
    response = client.post(grant_url, {"award": award.pk, "citation": "", "confirm": "1"})
    assert response.status_code == expected_status(name, 302)
    assert AwardGrant.objects.filter(post=post, award=award).exists() is (name in ALLOWED)


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_only_instructors_and_staff_revoke_awards(request, client, post, award, actor):
    name = request.node.callspec.params["actor"]
    grant = factories.AwardGrantFactory(award=award, post=post)
    login(client, actor)
    url = reverse("awards:grant_revoke", args=[post.course.slug, grant.pk])
    assert client.get(url).status_code == expected_status(name, 200)
    assert client.post(url).status_code == expected_status(name, 302)
    assert AwardGrant.objects.filter(pk=grant.pk).exists() is (name not in ALLOWED)


@pytest.fixture
def private_setup(private_course):
    award = factories.AwardFactory(course=private_course)
    post = factories.PostFactory(course=private_course)
    grant = factories.AwardGrantFactory(award=award, post=post)
    return private_course, award, post, grant


def test_members_only_course_awards_are_404_to_non_members(client, outsider, private_setup):
    course, award, post, grant = private_setup
    client.force_login(outsider)
    for url in [
        reverse("awards:award_list", args=[course.slug]),
        reverse("awards:award_detail", args=[course.slug, award.slug]),
        reverse("awards:award_manage", args=[course.slug]),
        reverse("awards:award_create", args=[course.slug]),
        reverse("awards:grant_create", args=[course.slug, post.slug]),
        reverse("awards:grant_revoke", args=[course.slug, grant.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_members_only_course_awards_are_404_to_anonymous_readers(client, private_setup):
    course, award, _, _ = private_setup
    assert client.get(reverse("awards:award_list", args=[course.slug])).status_code == 404
    url = reverse("awards:award_detail", args=[course.slug, award.slug])
    assert client.get(url).status_code == 404


def test_members_of_a_members_only_course_read_its_awards(client, private_setup):
    course, award, post, _ = private_setup
    client.force_login(post.author)
    assert client.get(reverse("awards:award_list", args=[course.slug])).status_code == 200
    url = reverse("awards:award_detail", args=[course.slug, award.slug])
    assert client.get(url).status_code == 200


def test_instructor_of_another_course_cannot_revoke_through_their_own_course(
    client, post, award, other_instructor
):
    """A grant is only found through its own course's URL."""
    grant = factories.AwardGrantFactory(award=award, post=post)
    their_course = other_instructor.memberships.get().course
    client.force_login(other_instructor)
    url = reverse("awards:grant_revoke", args=[their_course.slug, grant.pk])
    assert client.post(url).status_code == 404
    assert AwardGrant.objects.filter(pk=grant.pk).exists()


def test_retire_and_restore_only_accept_post(client, course, award, instructor):
    client.force_login(instructor)
    assert (
        client.get(reverse("awards:award_retire", args=[course.slug, award.slug])).status_code
        == 405
    )
    assert (
        client.get(reverse("awards:award_restore", args=[course.slug, award.slug])).status_code
        == 405
    )
