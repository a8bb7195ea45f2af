"""docs/design.md's access table, the LTI rows, cell by cell: link an LMS course to a
course, sync its roster, send a grade to the LMS again. Each cell is checked by what
happens (the link made, the sync run, the grade queued again), not by a status code
alone."""

import contextlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services as assignment_services
from assignments.models import Submission
from lti import services
from lti.errors import LaunchRefused
from lti.models import Context, LineItem, ScoreSend
from tests import factories

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "outsider",
    "student",
    "author",
    "assistant",
    "instructor",
    "other_instructor",
    "staff",
]
ALLOWED = {
    "link": {"instructor", "staff"},
    "sync": {"instructor", "staff"},
    "send_again": {"assistant", "instructor", "staff"},
}
TABLE = [
    pytest.param(actor, action, actor in allowed, id=f"{action}-{actor}")
    for action, allowed in ALLOWED.items()
    for actor in ACTORS
]


@pytest.fixture
def actors(course, student, instructor, staff, outsider):
    other_course = factories.CourseFactory(slug="other")
    return {
        "anonymous": None,
        "outsider": outsider,
        "student": student,
        "author": factories.MembershipFactory(course=course).user,
        "assistant": factories.MembershipFactory(course=course, role="assistant").user,
        "instructor": instructor,
        "other_instructor": factories.MembershipFactory(
            course=other_course, role="instructor"
        ).user,
        "staff": staff,
    }


@pytest.fixture
def linked(platform, course, instructor, actors):
    context = Context.objects.create(
        platform=platform,
        context_id="ctx",
        course=course,
        memberships_url="https://lms.example/m",
        lineitems_url="https://lms.example/li",
    )
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
    author = actors["author"]
    post = factories.PostFactory(course=course, author=author)
    Submission.objects.create(assignment=assignment, post=post, student=author, submitted_at=now)
    send = ScoreSend.objects.create(
        line_item=line_item, user=author, status=ScoreSend.Status.FAILED, reason="HTTP 503"
    )
    return context, send


def test_every_cell_is_checked():
    assert len(TABLE) == len(ALLOWED) * len(ACTORS)


def try_link(client, actor, platform, course):
    """The "link a course you teach" step of a first instructor launch."""
    context = Context.objects.create(platform=platform, context_id="new-ctx")
    with contextlib.suppress(LaunchRefused):
        services.link_course(context=context, course=course, instructor=actor)
    context.refresh_from_db()
    return context.course_id == course.pk


def try_sync(client, actor, course, context, monkeypatch):
    from lti import views

    runs = []

    def fake_sync(*, context):
        runs.append(context.pk)
        return {"added": 0, "changed": 0, "left": 0}

    monkeypatch.setattr(views.roster, "sync_roster", fake_sync)
    response = client.post(reverse("lti:roster_sync", args=[course.slug, context.pk]))
    assert response.status_code in (302, 403, 404)
    return runs == [context.pk]


def try_send_again(client, course, send):
    response = client.post(reverse("lti:score_send_again", args=[course.slug, send.pk]))
    assert response.status_code in (302, 403, 404)
    send.refresh_from_db()
    return send.status == ScoreSend.Status.WAITING


@pytest.mark.parametrize(("actor", "action", "allowed"), TABLE)
def test_lti_access_table(
    client, actors, linked, platform, course, actor, action, allowed, monkeypatch
):
    user = actors[actor]
    if user is not None:
        client.force_login(user)
    context, send = linked
    done = {
        "link": lambda: try_link(client, user, platform, course),
        "sync": lambda: try_sync(client, user, course, context, monkeypatch),
        "send_again": lambda: try_send_again(client, course, send),
    }[action]()
    assert done is allowed
