"""Query budgets: a launch, the assignment page with its LMS column, and Manage > LMS
ask the database a fixed number of times, whatever the size of the course."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments import services as assignment_services
from assignments.models import Submission
from blog.models import Membership, Role
from lti.models import Context, Identity, LineItem, RosterEntry, ScoreSend
from tests import factories
from tests.lti.conftest import LEARNER

pytestmark = pytest.mark.django_db

LAUNCH_BUDGET = 36  # measured 36 on 2026-12-07 (SQLite; savepoints and session included)


def course_of_size(platform, size, context_id="ctx-1"):
    course = factories.CourseFactory()
    context = Context.objects.create(
        platform=platform, context_id=context_id, course=course, lineitems_url="https://x/li"
    )
    teacher = factories.UserFactory()
    Membership.objects.create(course=course, user=teacher, role=Role.INSTRUCTOR)
    now = timezone.now()
    assignment = assignment_services.create_assignment(
        course=course,
        title="Essay",
        prompt="Write.",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=3),
        points=10,
    )
    line_item = LineItem.objects.create(assignment=assignment, context=context, url="https://x/1")
    for n in range(size):
        student = factories.UserFactory()
        Membership.objects.create(course=course, user=student, role=Role.STUDENT)
        Identity.objects.create(platform=platform, sub=f"{context_id}-s{n}", user=student)
        RosterEntry.objects.create(context=context, user=student, role=Role.STUDENT)
        post = factories.PostFactory(course=course, author=student)
        submission = Submission.objects.create(
            assignment=assignment, post=post, student=student, submitted_at=now
        )
        assignment_services.grade(submission=submission, grader=teacher, points=5)
        ScoreSend.objects.update_or_create(
            line_item=line_item,
            user=student,
            defaults={"status": ScoreSend.Status.FAILED, "reason": "The LMS answered HTTP 503."},
        )
    return course, teacher, assignment


def test_launch_queries_do_not_grow(client, lms):
    counts = []  # a first launch warms what a process keeps, then two sizes
    for size, context_id in ((1, "warm"), (1, "small"), (12, "large")):
        course_of_size(lms.platform, size, context_id)
        state, nonce = lms.login(client)
        claims = lms.claims(
            nonce, roles=LEARNER, sub=f"newcomer-{context_id}", context_id=context_id
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                reverse("lti:launch"), {"id_token": lms.token(claims), "state": state}
            )
        assert response.status_code == 302
        counts.append(len(queries))
    assert counts[1] == counts[2] <= LAUNCH_BUDGET, counts


@pytest.mark.parametrize("size", [1, 8])
def test_assignment_page_with_lms_status_queries_do_not_grow(
    client, platform, size, django_assert_max_num_queries
):
    course, teacher, assignment = course_of_size(platform, size)
    client.force_login(teacher)
    # assignments' own budget for the page (14) and the LMS column's one query
    with django_assert_max_num_queries(15):
        response = client.get(assignment.get_absolute_url())
    assert "LMS grade" in response.content.decode()
    assert response.content.decode().count("failed: The LMS answered HTTP 503.") == size


@pytest.mark.parametrize("size", [1, 8])
def test_manage_lms_page_queries_do_not_grow(client, platform, size, django_assert_max_num_queries):
    course, teacher, assignment = course_of_size(platform, size)
    client.force_login(teacher)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("lti:course_lms", args=[course.slug]))
    assert response.content.decode().count("Send again") == size


@pytest.mark.parametrize("size", [1, 8])
def test_gradebook_with_lms_marks_queries_do_not_grow(
    client, platform, size, django_assert_max_num_queries
):
    course, teacher, assignment = course_of_size(platform, size)
    client.force_login(teacher)
    # assignments' own budget for the gradebook (12) and the LMS marks' one query
    with django_assert_max_num_queries(13):
        response = client.get(reverse("assignments:course_gradebook", args=[course.slug]))
    page = response.content.decode()
    assert page.count("LMS: <strong>Failed</strong>") == size
    assert page.count("The LMS answered HTTP 503.") == size
    assert page.count("Send again") == size
