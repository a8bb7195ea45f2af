"""Roster sync through Names and Role Provisioning, against the lti1p3platform LMS."""

import pytest
from django.urls import reverse

from blog.models import Membership, Role
from lti import keys, roster
from lti.errors import ServiceError
from lti.models import Context, Identity, RosterEntry
from tests import factories
from tests.lti.lms import ROLES

pytestmark = pytest.mark.django_db
ROSTER_BUDGET = 10  # measured 10 at both sizes on 2026-12-07: the page and the LMS panel (2)


def member(n, role="learner", status="Active"):
    return {
        "user_id": f"person-{n}",
        "roles": ROLES[role],
        "status": status,
        "given_name": f"Given{n}",
        "family_name": f"Family{n}",
        "name": f"Given{n} Family{n}",
    }


@pytest.fixture
def linked(package_lms):
    lms = package_lms
    lms.trust_tool_keys(keys.jwks() if keys.current_key() else None)
    teacher = factories.UserFactory()
    course = factories.CourseFactory()
    Membership.objects.create(course=course, user=teacher, role=Role.INSTRUCTOR)
    context = Context.objects.create(
        platform=lms.platform,
        context_id="course-1",
        course=course,
        memberships_url=f"{lms.base}/memberships/course-1",
    )
    return lms, context, course, teacher


def roles_in(course):
    return dict(
        Membership.objects.filter(course=course, user__lti_identities__isnull=False).values_list(
            "user__lti_identities__sub", "role"
        )
    )


def test_a_200_member_roster_with_adds_role_changes_and_departures(linked):
    lms, context, course, teacher = linked
    lms.members = [member(n) for n in range(197)] + [
        member(197, "instructor"),
        member(198, "assistant"),
        member(199, "learner", status="Inactive"),
    ]
    counts = roster.sync_roster(context=context)
    assert counts == {"added": 199, "changed": 0, "left": 0}
    assert len(roles_in(course)) == 199
    assert roles_in(course)["person-198"] == Role.ASSISTANT
    assert "person-199" not in roles_in(course)
    assert ("GET", "/memberships/course-1") in lms.requests_seen  # 4 pages of 50

    someone = Identity.objects.get(sub="person-5").user
    factories.PostFactory(course=course, author=someone)
    lms.members = [member(n) for n in range(10, 197)] + [
        member(197, "learner"),  # instructor -> student
        member(198, "assistant"),
        member(3, "instructor"),  # back... as instructor (was a student)
        member(200),  # new
    ]
    counts = roster.sync_roster(context=context)
    assert counts == {"added": 1, "changed": 2, "left": 9}
    now = roles_in(course)
    assert now["person-197"] == Role.STUDENT
    assert now["person-3"] == Role.INSTRUCTOR
    assert "person-5" not in now  # left: no membership, so no role
    assert course.role_of(someone) is None
    assert course.posts.filter(author=someone).exists()  # their post stays
    entry = RosterEntry.objects.get(context=context, user=someone)
    assert not entry.is_active
    assert Membership.objects.filter(course=course, user=teacher).exists()  # added by hand


def test_a_1000_member_roster_follows_every_page(linked):
    lms, context, course, _ = linked
    lms.page_size = 100
    lms.members = [member(n) for n in range(1000)]
    counts = roster.sync_roster(context=context)
    assert counts["added"] == 1000
    assert Membership.objects.filter(course=course, role=Role.STUDENT).count() == 1000
    pages = [path for method, path in lms.requests_seen if path.startswith("/memberships/")]
    assert len(pages) == 10
    assert lms.token_requests == 1  # the token is cached between pages


def test_sync_is_idempotent(linked):
    lms, context, course, _ = linked
    lms.members = [member(n) for n in range(20)]
    roster.sync_roster(context=context)
    assert roster.sync_roster(context=context) == {"added": 0, "changed": 0, "left": 0}


def test_a_platform_that_is_down_changes_nothing(linked):
    lms, context, course, _ = linked
    lms.members = [member(n) for n in range(5)]
    lms.close()
    with pytest.raises(ServiceError):
        roster.sync_roster(context=context)
    context.refresh_from_db()
    assert "did not answer" in context.roster_error
    assert not Identity.objects.exists()


def test_instructor_syncs_from_the_lms_page(linked, client):
    lms, context, course, teacher = linked
    lms.members = [member(n) for n in range(3)]
    client.force_login(teacher)
    page = client.get(reverse("lti:course_lms", args=[course.slug]))
    assert "Sync roster now" in page.content.decode()
    response = client.post(reverse("lti:roster_sync", args=[course.slug, context.pk]), follow=True)
    assert "3 added" in response.content.decode()
    assert "Given1 Family1" in response.content.decode()


def test_students_and_assistants_cannot_sync(linked, client):
    lms, context, course, _ = linked
    for role in (Role.STUDENT, Role.ASSISTANT):
        person = factories.UserFactory()
        Membership.objects.create(course=course, user=person, role=role)
        client.force_login(person)
        url = reverse("lti:roster_sync", args=[course.slug, context.pk])
        assert client.post(url).status_code == 403
        assert client.get(reverse("lti:course_lms", args=[course.slug])).status_code == 403


def test_instructor_launch_syncs_the_roster_at_most_hourly(
    linked, client, django_capture_on_commit_callbacks
):
    from tests.lti.conftest import launch_through

    lms, context, course, _ = linked
    lms.members = [member(n) for n in range(4)] + [
        {"user_id": "teacher-9", "roles": ROLES["instructor"]}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        launch_through(client, lms, user_id="teacher-9", role="instructor")
    assert len(roles_in(course)) == 5  # four from the roster, and the instructor
    lms.members.append(member(4))
    with django_capture_on_commit_callbacks(execute=True):
        launch_through(client, lms, user_id="teacher-9", role="instructor")
    assert len(roles_in(course)) == 5  # not again within the hour


def test_instructor_syncs_from_the_roster_page_and_sees_who_left(linked, client):
    lms, context, course, teacher = linked
    lms.members = [member(n) for n in range(3)]
    client.force_login(teacher)
    roster_url = reverse("blog:course_roster", args=[course.slug])
    page = client.get(roster_url).content.decode()
    assert "Sync with the LMS" in page and "never synced" in page
    sync = reverse("lti:roster_sync", args=[course.slug, context.pk])
    response = client.post(sync, {"next": roster_url})
    assert response.status_code == 302 and response.url == roster_url
    lms.members = [member(0), member(1)]
    page = client.post(sync, {"next": roster_url}, follow=True).content.decode()
    assert "1 left the LMS course" in page
    assert "Left the LMS course" in page and "Given2 Family2" in page
    assert "last synced" in page


def test_the_roster_page_offers_no_sync_without_an_lms_link(client):
    teacher = factories.UserFactory()
    course = factories.CourseFactory()
    Membership.objects.create(course=course, user=teacher, role=Role.INSTRUCTOR)
    client.force_login(teacher)
    page = client.get(reverse("blog:course_roster", args=[course.slug])).content.decode()
    assert "Sync with the LMS" not in page


@pytest.mark.parametrize("size", [1, 10])
def test_roster_page_with_the_lms_panel_queries_do_not_grow(
    linked, client, size, django_assert_max_num_queries
):
    lms, context, course, teacher = linked
    for _ in range(size):
        person = factories.UserFactory()
        Membership.objects.create(course=course, user=person, role=Role.STUDENT)
        RosterEntry.objects.create(context=context, user=factories.UserFactory(), is_active=False)
    client.force_login(teacher)
    with django_assert_max_num_queries(ROSTER_BUDGET):
        page = client.get(reverse("blog:course_roster", args=[course.slug])).content.decode()
    assert page.count("roster__member") >= size
    assert "Left the LMS course" in page
