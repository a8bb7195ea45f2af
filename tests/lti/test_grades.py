"""Grades back to the LMS through Assignment and Grade Services (lti1p3platform LMS)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services as assignment_services
from assignments.models import Submission
from blog.models import Membership, Role
from lti import grades, keys
from lti.models import Context, Identity, LineItem, ScoreSend
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(package_lms):
    lms = package_lms
    keys.current_key()
    lms.trust_tool_keys(keys.jwks())
    teacher = factories.UserFactory()
    course = factories.CourseFactory()
    Membership.objects.create(course=course, user=teacher, role=Role.INSTRUCTOR)
    context = Context.objects.create(
        platform=lms.platform,
        context_id="course-1",
        course=course,
        lineitems_url=f"{lms.base}/lineitems/course-1",
    )
    now = timezone.now()
    assignment = assignment_services.create_assignment(
        course=course,
        title="Essay one",
        prompt="Write.",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=7),
        points=20,
    )
    student = factories.UserFactory()
    Membership.objects.create(course=course, user=student, role=Role.STUDENT)
    Identity.objects.create(platform=lms.platform, sub="student-sub-1", user=student)
    post = factories.PostFactory(course=course, author=student)
    submission = Submission.objects.create(assignment=assignment, post=post, student=student)
    return lms, context, course, teacher, assignment, student, submission


def grade(submission, teacher, points, capture):
    with capture(execute=True):
        assignment_services.grade(submission=submission, grader=teacher, points=points)


def test_instructor_creates_the_line_item_with_the_assignments_points(setup, client):
    lms, context, course, teacher, assignment, *_ = setup
    client.force_login(teacher)
    page = client.get(reverse("lti:course_lms", args=[course.slug]))
    assert "Create its LMS grade column" in page.content.decode()
    client.post(reverse("lti:line_item_create", args=[course.slug, assignment.pk]))
    item = LineItem.objects.get(assignment=assignment)
    stored = next(iter(lms.lineitems.values()))
    assert stored["scoreMaximum"] == 20 and stored["label"] == "Essay one"
    assert item.url == stored["id"]


def test_grading_sends_the_score_after_the_commit(setup, django_capture_on_commit_callbacks):
    lms, context, course, teacher, assignment, student, submission = setup
    grades.create_line_item(assignment=assignment, context=context)
    assignment_services.add_feedback(
        post=submission.post, author=teacher, body="Strong opening.\nCite more.\nGood.\nMore."
    )
    grade(submission, teacher, 15, django_capture_on_commit_callbacks)
    (sent,) = lms.scores["1"]
    assert sent["userId"] == "student-sub-1"
    assert sent["scoreGiven"] == 15 and sent["scoreMaximum"] == 20
    assert sent["activityProgress"] == "Completed"
    assert sent["gradingProgress"] == "FullyGraded"
    assert sent["comment"] == "Strong opening.\nCite more.\nGood."
    assert "timestamp" in sent
    assert ScoreSend.objects.get().status == ScoreSend.Status.SENT

    grade(submission, teacher, 18, django_capture_on_commit_callbacks)  # re-grading
    assert lms.scores["1"][-1]["scoreGiven"] == 18
    assert lms.token_requests == 2  # one for the line item's scope, one for scores: cached


def test_a_busy_lms_gets_the_score_on_a_later_attempt(setup, django_capture_on_commit_callbacks):
    lms, context, course, teacher, assignment, student, submission = setup
    grades.create_line_item(assignment=assignment, context=context)
    lms.score_failures = 2
    grade(submission, teacher, 12, django_capture_on_commit_callbacks)
    send = ScoreSend.objects.get()
    assert send.status == ScoreSend.Status.SENT and send.attempts == 3
    assert len(lms.scores["1"]) == 1


def test_a_failed_score_shows_its_reason_and_can_be_sent_again(
    setup, client, settings, django_capture_on_commit_callbacks
):
    lms, context, course, teacher, assignment, student, submission = setup
    settings.LTI_SCORE_ATTEMPTS = 2
    grades.create_line_item(assignment=assignment, context=context)
    lms.score_failures = 2
    grade(submission, teacher, 12, django_capture_on_commit_callbacks)
    send = ScoreSend.objects.get()
    assert send.status == ScoreSend.Status.FAILED
    assert send.reason == "The LMS answered HTTP 503."
    client.force_login(teacher)
    page = client.get(reverse("lti:course_lms", args=[course.slug])).content.decode()
    assert "Failed: The LMS answered HTTP 503." in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lti:score_send_again", args=[course.slug, send.pk]))
    send.refresh_from_db()
    assert send.status == ScoreSend.Status.SENT
    assert lms.scores["1"][-1]["scoreGiven"] == 12


def test_the_assignment_page_shows_whether_the_lms_has_the_grade(
    setup, client, django_capture_on_commit_callbacks
):
    lms, context, course, teacher, assignment, student, submission = setup
    grades.create_line_item(assignment=assignment, context=context)
    grade(submission, teacher, 15, django_capture_on_commit_callbacks)
    assert grades.status_figures([submission.post_id]) == {submission.post_id: "sent"}


def test_students_cannot_send_again(setup, client, django_capture_on_commit_callbacks):
    lms, context, course, teacher, assignment, student, submission = setup
    grades.create_line_item(assignment=assignment, context=context)
    grade(submission, teacher, 15, django_capture_on_commit_callbacks)
    client.force_login(student)
    url = reverse("lti:score_send_again", args=[course.slug, ScoreSend.objects.get().pk])
    assert client.post(url).status_code == 403


def test_a_student_from_no_lms_sends_nothing(setup, django_capture_on_commit_callbacks):
    lms, context, course, teacher, assignment, student, submission = setup
    grades.create_line_item(assignment=assignment, context=context)
    Identity.objects.all().delete()
    grade(submission, teacher, 15, django_capture_on_commit_callbacks)
    assert not ScoreSend.objects.exists() and not lms.scores


def test_gradebook_shows_what_the_lms_has_and_sends_again(
    setup, client, django_capture_on_commit_callbacks
):
    lms, context, course, teacher, assignment, student, submission = setup
    grades.create_line_item(assignment=assignment, context=context)
    line_item = LineItem.objects.get(assignment=assignment)
    send = ScoreSend.objects.create(
        line_item=line_item, user=student, status=ScoreSend.Status.FAILED, reason="HTTP 503"
    )
    Grade = submission._meta.get_field("grade").related_model
    Grade.objects.create(submission=submission, points=12, grader=teacher)
    client.force_login(teacher)
    url = reverse("assignments:course_gradebook", args=[course.slug])
    page = client.get(url).content.decode()
    assert "LMS: <strong>Failed</strong>" in page and "HTTP 503" in page and "Send again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("lti:score_send_again", args=[course.slug, send.pk]), {"next": url}
        )
    assert response.status_code == 302 and response.url == url
    send.refresh_from_db()
    assert send.status == ScoreSend.Status.SENT
    assert lms.scores["1"][-1]["scoreGiven"] == 12
    page = client.get(url).content.decode()
    assert "LMS: Sent" in page and "Send again" not in page


def test_send_again_never_leaves_the_site(setup, client):
    lms, context, course, teacher, assignment, student, submission = setup
    grades.create_line_item(assignment=assignment, context=context)
    send = ScoreSend.objects.create(
        line_item=LineItem.objects.get(assignment=assignment), user=student
    )
    client.force_login(teacher)
    response = client.post(
        reverse("lti:score_send_again", args=[course.slug, send.pk]),
        {"next": "https://evil.example/"},
    )
    assert response.url == reverse("lti:course_lms", args=[course.slug])


def test_clearing_a_grade_sends_a_score_without_points(
    setup, client, django_capture_on_commit_callbacks
):
    lms, context, course, teacher, assignment, student, submission = setup
    grades.create_line_item(assignment=assignment, context=context)
    grade(submission, teacher, 15, django_capture_on_commit_callbacks)
    client.force_login(teacher)
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Clear grade" in page
    url = reverse("assignments:grade_clear", args=[course.slug, assignment.slug, submission.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not type(submission).objects.filter(pk=submission.pk, grade__isnull=False).exists()
    given, cleared = lms.scores["1"]
    assert given["scoreGiven"] == 15
    assert "scoreGiven" not in cleared and "scoreMaximum" not in cleared
    assert cleared["gradingProgress"] == "NotReady"
    assert cleared["userId"] == "student-sub-1"
    assert ScoreSend.objects.get(user=student).status == ScoreSend.Status.SENT
