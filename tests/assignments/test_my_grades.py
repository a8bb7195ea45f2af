"""A student's own grades: notified when graded or re-graded, a "My grades" page per
course, and their own status on the assignment list."""

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from assignments import services
from notifications.models import Notification, NotificationPreference
from tests import factories
from tests.assignments.conftest import at

NOW = at(2027, 3, 15, 12)  # after the due time (12 March, 17:00), before the cut-off


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def submitted(assignment, student, when, title="My answer"):
    post = factories.PostFactory(course=assignment.course, author=student, title=title)
    return services.submit(assignment=assignment, post=post, when=when)


def grade_through_the_page(client, instructor, submission, **data):
    client.force_login(instructor)
    return client.post(submission.get_absolute_url(), data)


# --- Notifications ---


def test_grading_notifies_the_student_in_the_app_and_by_email(
    client, instructor, student, assignment, django_capture_on_commit_callbacks
):
    submission = submitted(assignment, student, at(2027, 3, 10, 9))
    with django_capture_on_commit_callbacks(execute=True):
        response = grade_through_the_page(client, instructor, submission, points="8")
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (student, "grade")
    assert notification.text == f"{instructor.name} graded your response “My answer”"
    assert notification.get_absolute_url() == f"{submission.post.get_absolute_url()}#response"
    [message] = mail.outbox
    assert message.to == [student.email]
    assert message.subject == "Your response “My answer” is graded"
    assert f"{submission.post.get_absolute_url()}#response" in message.body
    assert "8" not in message.subject and " 8 " not in message.body  # the points stay private


def test_regrading_notifies_the_student_that_the_grade_changed(
    client, instructor, student, assignment, django_capture_on_commit_callbacks
):
    submission = submitted(assignment, student, at(2027, 3, 10, 9))
    with django_capture_on_commit_callbacks(execute=True):
        grade_through_the_page(client, instructor, submission, points="6")
        grade_through_the_page(client, instructor, submission, points="7.5")
    kinds = list(Notification.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["grade", "grade_changed"]
    assert Notification.objects.order_by("pk").last().text == (
        f"{instructor.name} changed the grade of your response “My answer”"
    )
    assert [m.subject for m in mail.outbox][-1] == "The grade of “My answer” changed"


def test_saving_the_same_grade_again_notifies_nobody(
    instructor, student, rubric_assignment, django_capture_on_commit_callbacks
):
    submission = submitted(rubric_assignment, student, at(2027, 3, 10, 9))
    sources, argument = rubric_assignment.criteria.all()
    levels = [sources.levels.first(), argument.levels.first()]
    with django_capture_on_commit_callbacks(execute=True):
        services.grade(submission=submission, grader=instructor, levels=levels)
        services.grade(submission=submission, grader=instructor, levels=levels)
        services.grade(
            submission=submission, grader=instructor, levels=[levels[0], argument.levels.last()]
        )
    kinds = list(Notification.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["grade", "grade_changed"]


def test_grade_emails_follow_the_students_setting(
    client, instructor, student, assignment, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=student, email_grade=False)
    submission = submitted(assignment, student, at(2027, 3, 10, 9))
    with django_capture_on_commit_callbacks(execute=True):
        grade_through_the_page(client, instructor, submission, points="8")
        grade_through_the_page(client, instructor, submission, points="9")
    assert Notification.objects.count() == 2  # still in the app
    assert mail.outbox == []


def test_the_email_settings_page_offers_grades(client, student):
    client.force_login(student)
    url = reverse("notifications:preferences")
    assert "Grades of my responses" in client.get(url).content.decode()


# --- The "My grades" page ---


def my_grades_url(course):
    return reverse("assignments:my_grades", args=[course.slug])


def test_my_grades_shows_status_submission_time_lateness_points_and_feedback_link(
    client, course, instructor, student, assignment, rubric_assignment
):
    late = submitted(assignment, student, at(2027, 3, 14, 9), title="Late answer")
    services.grade(submission=late, grader=instructor, points="7.5")
    on_time = submitted(rubric_assignment, student, at(2027, 3, 11, 9), title="Samizdat answer")
    sources, argument = rubric_assignment.criteria.all()
    services.grade(
        submission=on_time,
        grader=instructor,
        levels=[sources.levels.get(label="Adequate"), argument.levels.get(label="Clear")],
    )
    client.force_login(student)
    response = client.get(my_grades_url(course))
    content = response.content.decode()
    assert response.status_code == 200
    assert [cell.status for cell in response.context["cells"]] == ["graded", "graded"]
    assert "<strong>7.5</strong> / 10" in content
    assert "14 March 2027, 09:00" in content and "Late" in content
    assert "<strong>8</strong> / 10" in content  # Adequate (2) + Clear (6)
    assert "Use of sources: Adequate (2)" in content and "Argument: Clear (6)" in content
    assert f"{late.post.get_absolute_url()}#feedback" in content


def test_my_grades_shows_an_extension_and_what_is_not_yet_graded(
    client, course, instructor, student, assignment, rubric_assignment
):
    services.grant_extension(
        assignment=assignment, student=student, due_at=at(2027, 3, 20, 17), granted_by=instructor
    )
    submitted(assignment, student, at(2027, 3, 15, 9))  # within the extension: on time
    client.force_login(student)
    response = client.get(my_grades_url(course))
    content = response.content.decode()
    cells = {cell.assignment: cell for cell in response.context["cells"]}
    assert cells[assignment].label == "Submitted"
    assert cells[rubric_assignment].label == "Missing"
    assert "Extended" in content and "Not graded yet" in content
    assert "Saturday, 17:00" in content  # the extended due time, 20 March


def test_my_grades_shows_only_the_readers_own(
    client, course, instructor, student, classmate, assignment
):
    theirs = submitted(assignment, classmate, at(2027, 3, 10, 9), title="Classmate's answer")
    services.grade(submission=theirs, grader=instructor, points="9")
    client.force_login(student)
    content = client.get(my_grades_url(course)).content.decode()
    assert "Classmate" not in content and "<strong>9</strong>" not in content
    assert "Not started" not in content and "Missing" in content  # past due, nothing begun


def test_my_grades_is_for_the_courses_members(client, course, outsider, assignment):
    url = my_grades_url(course)
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_grades_is_not_an_assignment_slug(course):
    made = services.create_assignment(
        course=course,
        title="Grades",
        prompt="A prompt.",
        opens_at=at(2027, 3, 1, 9),
        due_at=at(2027, 3, 12, 17),
    )
    assert made.slug != "grades"


@pytest.mark.parametrize("size", [1, 4, 12])
def test_my_grades_queries_do_not_grow(
    client, course, instructor, student, size, django_assert_max_num_queries
):
    for n in range(size):
        assignment = services.create_assignment(
            course=course,
            title=f"Assignment {n}",
            prompt="Answer.",
            opens_at=at(2027, 3, 1, 9),
            due_at=at(2027, 3, 5, 17),
            rubric=[("Sources", [("Good", 4), ("Poor", 1)]), ("Argument", [("Clear", 6)])],
        )
        submission = submitted(assignment, student, at(2027, 3, 6, 9), title=f"Answer {n}")
        criteria = assignment.criteria.all()
        services.grade(
            submission=submission,
            grader=instructor,
            levels=[criteria[0].levels.first(), criteria[1].levels.first()],
        )
        services.grant_extension(assignment=assignment, student=student, due_at=at(2027, 3, 8, 17))
    client.force_login(student)
    # session, user, course with role, assignments, criteria, levels, submissions with
    # grades, chosen levels, extensions; the bell's count
    with django_assert_max_num_queries(10):
        response = client.get(my_grades_url(course))
    assert len(response.context["cells"]) == size
    assert response.content.decode().count("Sources: Good (4)") == size


# --- Where a student looks: the assignment list and the course page ---


def test_the_assignment_list_shows_each_student_their_own_status(
    client, course, instructor, student, classmate
):
    def make(title, due_day):
        return services.create_assignment(
            course=course,
            title=title,
            prompt="Answer.",
            opens_at=at(2027, 3, 1, 9),
            due_at=at(2027, 3, due_day, 17),
            points=10,
        )

    not_started, draft, on_time, late, graded = (
        make("Not started one", 20),
        make("Draft one", 20),
        make("On time one", 20),
        make("Late one", 12),
        make("Graded one", 12),
    )
    post = factories.PostFactory(course=course, author=student, status="draft", published_at=None)
    services.choose_assignment(post=post, assignment=draft)
    submitted(on_time, student, at(2027, 3, 14, 9))
    submitted(late, student, at(2027, 3, 14, 9))
    services.grade(
        submission=submitted(graded, student, at(2027, 3, 11, 9)), grader=instructor, points=9
    )
    submitted(not_started, classmate, at(2027, 3, 14, 9))  # someone else's
    client.force_login(student)
    response = client.get(reverse("assignments:assignment_list", args=[course.slug]))
    shown = {a.title: a.own.label for a in response.context["assignments"]}
    assert shown == {
        "Not started one": "Not started",
        "Draft one": "Draft",
        "On time one": "Submitted",
        "Late one": "Late",
        "Graded one": "Graded",
    }
    content = response.content.decode()
    assert '<span class="visually-hidden">Yours: </span>Not started' in content
    assert my_grades_url(course) in content


def test_instructors_see_the_gradebook_not_their_own_status(client, course, instructor, assignment):
    client.force_login(instructor)
    response = client.get(reverse("assignments:assignment_list", args=[course.slug]))
    content = response.content.decode()
    assert "Yours:" not in content and my_grades_url(course) not in content
    assert reverse("assignments:course_gradebook", args=[course.slug]) in content


def test_the_course_sidebar_links_students_to_their_grades(client, course, student, instructor):
    client.force_login(student)
    assert my_grades_url(course) in client.get(course.get_absolute_url()).content.decode()
    client.force_login(instructor)
    assert my_grades_url(course) not in client.get(course.get_absolute_url()).content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_a_students_assignment_list_queries_do_not_grow(
    client, course, instructor, student, size, django_assert_max_num_queries
):
    for n in range(size):
        assignment = services.create_assignment(
            course=course,
            title=f"Assignment {n}",
            prompt="Answer.",
            opens_at=at(2027, 3, 1, 9),
            due_at=at(2027, 3, 5, 17),
            points=10,
        )
        submission = submitted(assignment, student, at(2027, 3, 6, 9), title=f"Answer {n}")
        services.grade(submission=submission, grader=instructor, points=5)
        services.grant_extension(assignment=assignment, student=student, due_at=at(2027, 3, 8, 17))
    client.force_login(student)
    # session, user, course with role, assignments, the student's submissions with
    # grades, their chosen levels, extensions; the bell's count
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assignments:assignment_list", args=[course.slug]))
    assert [a.own.label for a in response.context["assignments"]] == ["Graded"] * size


def test_the_changed_grade_emails_unsubscribe_link_turns_off_grade_emails(
    client, instructor, student, assignment, django_capture_on_commit_callbacks
):
    submission = submitted(assignment, student, at(2027, 3, 10, 9))
    with django_capture_on_commit_callbacks(execute=True):
        services.grade(submission=submission, grader=instructor, points=6)
        services.grade(submission=submission, grader=instructor, points=7)
    path = re.search(r"https?://[^/\s]+(/notifications/unsubscribe/\S+/)", mail.outbox[-1].body)
    client.logout()
    confirm = client.get(path.group(1)).content.decode()
    assert "Stop emails about <strong>a grade for your response</strong>?" in confirm
    client.post(path.group(1))
    assert NotificationPreference.objects.get(user=student).email_grade is False
