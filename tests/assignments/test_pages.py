"""The assignment pages through the client: the access table, bad input, query counts."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assignments import services
from assignments.models import Assignment, Feedback, Grade
from tests import factories
from tests.assignments.conftest import ACTIONS, ACTORS, ALLOWED, at

NOW = at(2027, 3, 10, 12)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def submission(assignment, post):
    return services.submit(assignment=assignment, post=post)


def request_for(action, client, *, assignment, submission):
    course, post = assignment.course, submission.post
    if action == "view":
        return client.get(assignment.get_absolute_url())
    if action == "submit":
        return client.get(reverse("blog:post_create", args=[course.slug]))
    if action == "see_feedback":
        return client.get(post.get_absolute_url())
    if action == "write_feedback":
        url = reverse("assignments:feedback_add", args=[course.slug, post.slug])
        return client.post(url, {"body": "A note"})
    if action == "grade":
        return client.post(submission.get_absolute_url(), {"points": "7"})
    if action == "see_gradebook":
        return client.get(reverse("assignments:course_gradebook", args=[course.slug]))
    if action == "export_csv":
        return client.get(reverse("assignments:gradebook_csv", args=[course.slug, "canvas"]))
    raise AssertionError(action)


PAGE_ACTIONS = [action for action in ACTIONS if action != "see_feedback"]  # see test_post_page
TABLE = [(actor, action, actor in ALLOWED[action]) for action in PAGE_ACTIONS for actor in ACTORS]


@pytest.mark.parametrize(("actor", "action", "allowed"), TABLE)
def test_access_table_through_the_pages(
    client, actors, assignment, submission, actor, action, allowed
):
    client.force_login(actors[actor])
    response = request_for(action, client, assignment=assignment, submission=submission)
    if not allowed:
        assert response.status_code == 403
    elif action in ("write_feedback", "grade"):  # a form: back to the page
        assert response.status_code == 302
    else:
        assert response.status_code == 200
    if action == "write_feedback":
        assert Feedback.objects.exists() is allowed
    if action == "grade":
        assert Grade.objects.exists() is allowed


def test_anonymous_is_sent_to_log_in(client, assignment):
    response = client.get(assignment.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def form_data(**overrides):
    data = {
        "title": "Kitchen debate",
        "prompt": "Read the transcript.",
        "opens_at": "2027-03-01T09:00",
        "due_at": "2027-03-12T17:00",
        "cutoff_at": "",
        "points": "10",
        "rubric-TOTAL_FORMS": "1",
        "rubric-INITIAL_FORMS": "0",
        "rubric-levels": "4",
    }
    return {**data, **overrides}


def test_instructor_creates_an_assignment_in_the_course_time_zone(client, course, instructor):
    client.force_login(instructor)
    url = reverse("assignments:assignment_create", args=[course.slug])
    response = client.post(url, form_data(due_at="2027-03-29T17:00"))
    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert assignment.due_at == at(2027, 3, 29, 17)  # 16:00 UTC: London is on summer time


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"due_at": "2027-02-01T17:00"}, "due_at", "after the opening time"),
        ({"cutoff_at": "2027-03-11T17:00"}, "cutoff_at", "before the due time"),
        ({"rubric-0-name": "Sources", "rubric-0-level_0_label": "Great"}, "__all__", "rubric"),
        (
            {
                "rubric-0-name": "Sources",
                "rubric-0-level_0_label": "Great",
                "rubric-0-level_0_points": "4",
            },
            "points",
            "not both",
        ),
    ],
)
def test_bad_assignment_input_shows_errors_and_keeps_the_text(
    client, course, instructor, overrides, field, message
):
    client.force_login(instructor)
    url = reverse("assignments:assignment_create", args=[course.slug])
    response = client.post(url, form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Read the transcript." in response.content.decode()
    assert not Assignment.objects.exists()


def test_grade_above_points_is_a_form_error(client, instructor, submission):
    client.force_login(instructor)
    response = client.post(submission.get_absolute_url(), {"points": "11"})
    assert response.status_code == 200
    assert "from 0 to 10" in response.content.decode()
    assert 'value="11"' in response.content.decode()
    assert not Grade.objects.exists()


def test_unknown_rubric_level_is_a_form_error(client, instructor, rubric_assignment, post):
    submission = services.submit(assignment=rubric_assignment, post=post)
    sources, argument = rubric_assignment.criteria.all()
    client.force_login(instructor)
    response = client.post(
        submission.get_absolute_url(),
        {
            f"criterion_{sources.pk}": "999999",
            f"criterion_{argument.pk}": argument.levels.first().pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[f"criterion_{sources.pk}"]
    assert errors == ["Choose one of this criterion's levels."]
    assert not Grade.objects.exists()


def test_rubric_grade_from_the_submission_page(client, instructor, rubric_assignment, post):
    submission = services.submit(assignment=rubric_assignment, post=post)
    sources, argument = rubric_assignment.criteria.all()
    client.force_login(instructor)
    client.post(
        submission.get_absolute_url(),
        {
            f"criterion_{sources.pk}": sources.levels.get(label="Excellent").pk,
            f"criterion_{argument.pk}": argument.levels.get(label="Vague").pk,
        },
    )
    assert Grade.objects.get().points == Decimal("7")


def test_submission_page_shows_the_submitted_version_and_a_diff(client, instructor, submission):
    post = submission.post
    post.body = "Some *Markdown* text with a quote:\n\n> Quoted words.\n\nA new paragraph."
    post.save()
    client.force_login(instructor)
    response = client.get(submission.get_absolute_url())
    content = response.content.decode()
    assert "diff__line--added" in content and "A new paragraph." in content
    assert response.context["submission"].snapshot.body.endswith("> Quoted words.")


def test_extension_from_the_assignment_page(client, instructor, assignment, student):
    client.force_login(instructor)
    url = reverse("assignments:extension_grant", args=[assignment.course.slug, assignment.slug])
    membership = assignment.course.memberships.get(user=student)
    client.post(url, {"student": membership.pk, "due_at": "2027-03-20T17:00"})
    assert student.extensions.get().due_at == at(2027, 3, 20, 17)


def test_csv_layouts(client, instructor, submission):
    services.grade(submission=submission, grader=instructor, points=Decimal("8.5"))
    client.force_login(instructor)
    course = submission.assignment.course
    canvas = client.get(reverse("assignments:gradebook_csv", args=[course.slug, "canvas"]))
    lines = canvas.content.decode().splitlines()
    assert lines[0] == "Student,ID,SIS User ID,SIS Login ID,Section,The Thaw in three documents"
    assert lines[1] == "Points Possible,,,,,10"
    assert lines[2].endswith(",History 101,8.5")
    moodle = client.get(reverse("assignments:gradebook_csv", args=[course.slug, "moodle"]))
    first, row = moodle.content.decode().splitlines()
    assert (
        first
        == "First name,Last name,Username,Email address,Assignment: The Thaw in three documents"
    )
    assert row.endswith(",stu,stu@example.edu,8.5")


@pytest.mark.parametrize(
    "name",
    [
        "=SUM(A1)",
        " =SUM(A1)",
        "\u00a0=SUM(A1)",
        "\u200b=SUM(A1)",
        "\ufeff=SUM(A1)",
        "\u2028=SUM(A1)",
        "\uff1dSUM(A1)",
    ],
)
def test_csv_cells_never_run_as_formulas(client, instructor, course, assignment, name):
    factories.MembershipFactory(course=course, user=factories.UserFactory(first_name=name))
    client.force_login(instructor)
    response = client.get(reverse("assignments:gradebook_csv", args=[course.slug, "moodle"]))
    assert f"'{name}" in response.content.decode()


def make_class(course, assignments, students):
    made = [
        services.create_assignment(
            course=course,
            title=f"Week {n}",
            prompt="x",
            opens_at=at(2027, 3, 1, 9),
            due_at=at(2027, 3, 5 + n, 17),
            points=10,
        )
        for n in range(assignments)
    ]
    for _ in range(students):
        student = factories.MembershipFactory(course=course).user
        for assignment in made:
            post = factories.PostFactory(course=course, author=student)
            services.submit(assignment=assignment, post=post)
            services.grant_extension(
                assignment=assignment, student=student, due_at=at(2027, 4, 1, 17)
            )
    return made


@pytest.mark.parametrize("size", [1, 6])
def test_gradebook_queries_do_not_grow(
    client, course, instructor, size, django_assert_max_num_queries
):
    make_class(course, size, size)
    client.force_login(instructor)
    url = reverse("assignments:course_gradebook", args=[course.slug])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [1, 6])
def test_assignment_pages_queries_do_not_grow(
    client, course, instructor, size, django_assert_max_num_queries
):
    assignments = make_class(course, size, size)
    client.force_login(instructor)
    with django_assert_max_num_queries(10):
        listing = client.get(reverse("assignments:assignment_list", args=[course.slug]))
    assert listing.status_code == 200
    assert all(a.title in listing.content.decode() for a in assignments)
    with django_assert_max_num_queries(14):
        response = client.get(assignments[0].get_absolute_url())
    assert len(response.context["rows"]) == size


def test_course_settings_set_the_time_zone(client, course, instructor):
    client.force_login(instructor)
    url = reverse("blog:course_settings", args=[course.slug])
    data = {
        "title": course.title,
        "visibility": "public",
        "guest_comments": "moderated",
        "thread_depth": 5,
        "time_zone": "America/New_York",
    }
    assert client.post(url, data).status_code == 302
    course.refresh_from_db()
    assert course.time_zone == "America/New_York"
    response = client.post(url, {**data, "time_zone": "Mars/Olympus"})
    assert "Choose a time zone" in response.content.decode()
    course.refresh_from_db()
    assert course.time_zone == "America/New_York"


def test_write_your_response_opens_a_draft_for_the_assignment(client, student, assignment):
    client.force_login(student)
    url = reverse("assignments:assignment_respond", args=[assignment.course.slug, assignment.slug])
    response = client.post(url)
    post = student.posts.get()
    assert response["Location"] == reverse("blog:post_edit", args=[post.course.slug, post.slug])
    assert post.status == "draft" and post.submission.assignment == assignment
    client.post(url)  # again: the same draft
    assert student.posts.count() == 1
