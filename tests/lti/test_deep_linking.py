"""Deep Linking against the lti1p3platform LMS: its deep linking launch, our picker, and
the signed LtiDeepLinkingResponse the package checks with the tool's keyset."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services as assignment_services
from blog.models import Membership, Role
from lti import keys
from lti.models import Context, Identity, LineItem
from tests import factories
from tests.lti.conftest import launch_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(package_lms):
    lms = package_lms
    course = factories.CourseFactory(title="History 210")
    Context.objects.create(platform=lms.platform, context_id="course-1", course=course)
    teacher = factories.UserFactory()
    Identity.objects.create(platform=lms.platform, sub="teacher-1", user=teacher)
    Membership.objects.create(course=course, user=teacher, role=Role.INSTRUCTOR)
    now = timezone.now()
    assignment = assignment_services.create_assignment(
        course=course,
        title="Essay one",
        prompt="Write.",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=7),
        points=25,
    )
    post = factories.PostFactory(course=course, title="A first post")
    return lms, course, assignment, post


def test_instructor_places_course_assignment_and_post(linked, client):
    lms, course, assignment, post = linked
    picker = launch_through(
        client,
        lms,
        user_id="teacher-1",
        role="instructor",
        deep_link=True,
        target="http://testserver/lti/deep-link/",
    )
    assert picker.status_code == 200, picker.content.decode()[:2000]
    assert "frame-ancestors 'none'" not in picker.get("Content-Security-Policy", "")
    keys_offered = [key for key, _, _ in picker.context["choices"]]
    assert keys_offered[:2] == ["course", f"assignment:{assignment.pk}"]
    answer = client.post(
        reverse("lti:deep_link_respond"),
        {
            "token": picker.context["token"],
            "item": ["course", f"assignment:{assignment.pk}", f"post:{post.pk}"],
        },
    )
    assert answer.context["return_url"] == f"{lms.base}/deep-link-return"
    lms.trust_tool_keys(keys.jwks())
    items = lms.conf.validate_deeplinking_resp({"JWT": answer.context["jwt"]})
    assert [item["url"] for item in items] == [
        "http://testserver" + course.get_absolute_url(),
        "http://testserver" + assignment.get_absolute_url(),
        "http://testserver" + post.get_absolute_url(),
    ]
    assert items[1]["lineItem"]["scoreMaximum"] == 25
    assert "lineItem" not in items[0]


def test_launch_of_a_placed_assignment_ties_the_lms_line_item(linked, client):
    lms, course, assignment, post = linked
    target = "http://testserver" + assignment.get_absolute_url()
    column = f"{lms.base}/lineitem/42"  # the LMS made it from the content item's lineItem
    response = launch_through(
        client, lms, user_id="student-7", role="learner", target=target, lineitem=column
    )
    assert response["Location"] == assignment.get_absolute_url()
    assert LineItem.objects.get(assignment=assignment).url == column


def test_launch_naming_no_line_item_ties_nothing(linked, client):
    lms, course, assignment, post = linked
    target = "http://testserver" + assignment.get_absolute_url()
    launch_through(client, lms, user_id="student-7", role="learner", target=target)
    assert not LineItem.objects.exists()


def test_learner_cannot_open_the_picker(linked, client):
    lms, *_ = linked
    response = launch_through(
        client,
        lms,
        user_id="student-1",
        role="learner",
        deep_link=True,
        target="http://testserver/lti/deep-link/",
    )
    assert response.status_code == 403
    assert "lti-picker_not_instructor" in response.content.decode()


def test_a_forged_picker_token_is_refused(linked, client):
    response = client.post(reverse("lti:deep_link_respond"), {"token": "forged", "item": "course"})
    assert response.status_code == 400
    assert "lti-picker_expired" in response.content.decode()
