"""Grading a class's responses one after another (issue 27, item 10): previous and next
response on the grading page, the gradebook's total column, the feedback message."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assignments import services
from tests import factories
from tests.assignments.conftest import at

NOW = at(2027, 3, 10, 12)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def respond(assignment, name):
    """A student named ``name`` who submitted a response to ``assignment``."""
    student = factories.MembershipFactory(
        course=assignment.course, user=factories.UserFactory(display_name=name)
    ).user
    post = factories.PostFactory(course=assignment.course, author=student, title=f"By {name}")
    return services.submit(assignment=assignment, post=post)


@pytest.fixture
def line(assignment):
    """Three responses, made out of the order of their authors' names."""
    return [respond(assignment, name) for name in ("Chen Li", "Anna Berg", "Bruno Diaz")]


def test_grading_page_links_the_previous_and_next_response_by_name(client, instructor, line):
    chen, anna, bruno = line
    client.force_login(instructor)
    html = client.get(bruno.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{anna.get_absolute_url()}"' in html
    assert "Previous: Anna Berg" in html
    assert f'rel="next" href="{chen.get_absolute_url()}"' in html
    assert "Next: Chen Li" in html
    assert "Response 2 of 3" in html
    first = client.get(anna.get_absolute_url()).content.decode()
    assert 'rel="prev"' not in first and "First response" in first
    last = client.get(chen.get_absolute_url()).content.decode()
    assert 'rel="next"' not in last and "Last response" in last


def test_drafts_are_not_in_the_line(client, instructor, assignment, line):
    draft_post = factories.PostFactory(
        course=assignment.course, status="draft", published_at=None, title="Unsent"
    )
    services.choose_assignment(post=draft_post, assignment=assignment)
    client.force_login(instructor)
    html = client.get(line[0].get_absolute_url()).content.decode()
    assert "Response 3 of 3" in html


def test_save_and_grade_the_next_opens_the_next_response(client, instructor, line):
    chen, anna, bruno = line
    client.force_login(instructor)
    response = client.post(anna.get_absolute_url(), {"points": "7", "then": "next"})
    assert response["Location"] == bruno.get_absolute_url()
    assert anna.__class__.objects.get(pk=anna.pk).grade.points == Decimal("7")
    # The last response has no next: saving stays on it.
    response = client.post(chen.get_absolute_url(), {"points": "6", "then": "next"})
    assert response["Location"] == chen.get_absolute_url()


def test_a_rejected_grade_stays_on_the_page_with_what_was_typed(client, instructor, line):
    client.force_login(instructor)
    response = client.post(line[1].get_absolute_url(), {"points": "12", "then": "next"})
    assert response.status_code == 200
    assert 'value="12"' in response.content.decode()


@pytest.mark.parametrize("size", [2, 8])
def test_grading_page_queries_do_not_grow_with_the_class(
    client, instructor, assignment, size, django_assert_max_num_queries
):
    responses = [respond(assignment, f"Student {n:02}") for n in range(size)]
    client.force_login(instructor)
    with django_assert_max_num_queries(9):
        response = client.get(responses[1].get_absolute_url())
    assert response.context["line"]["count"] == size


def test_gradebook_totals_points_and_percent_of_graded_work(
    client, instructor, assignment, rubric_assignment
):
    services.create_assignment(
        course=assignment.course,
        title="Not graded yet",
        prompt="x",
        opens_at=at(2027, 3, 1, 9),
        due_at=at(2027, 3, 30, 17),
        points=50,
    )
    graded = respond(assignment, "Anna Berg")
    services.grade(submission=graded, grader=instructor, points=Decimal("8.5"))
    post = factories.PostFactory(course=assignment.course, author=graded.student)
    on_rubric = services.submit(assignment=rubric_assignment, post=post)
    sources, argument = rubric_assignment.criteria.all()
    levels = [sources.levels.get(label="Excellent"), argument.levels.get(label="Vague")]
    services.grade(submission=on_rubric, grader=instructor, levels=levels)
    respond(assignment, "Bruno Diaz")  # submitted, not graded
    client.force_login(instructor)
    response = client.get(reverse("assignments:course_gradebook", args=[assignment.course.slug]))
    html = response.content.decode()
    assert "Total" in html
    anna, bruno = response.context["rows"]
    # 8.5 of 10 and 7 of 10: 15.5 of 20, 78 %; the ungraded 50 points don't count yet.
    assert (anna.total_display, anna.total_possible, anna.total_percent) == (
        "15.5",
        Decimal("20"),
        Decimal("78"),
    )
    assert "<strong>15.5</strong> / 20" in html and "78%" in html
    assert bruno.total_points is None


def test_feedback_message_says_who_can_read_it(client, instructor, line):
    client.force_login(instructor)
    post = line[0].post
    url = reverse("assignments:feedback_add", args=[post.course.slug, post.slug])
    response = client.post(url, {"body": "Good start."}, follow=True)
    html = response.content.decode()
    assert "two sides" not in html
    assert "Only the author and the course&#x27;s instructors can read it." in html


def test_instructors_see_the_responses_at_a_glance_not_a_response_box(
    client, instructor, assignment, line
):
    chen, anna, bruno = line
    services.grade(submission=anna, grader=instructor, points=Decimal("9"))
    client.force_login(instructor)
    html = client.get(assignment.get_absolute_url()).content.decode()
    assert "Your response" not in html and "Write your response" not in html
    assert "Responses so far" in html
    assert "<strong>3</strong> of 3 students submitted." in html
    assert "1 graded, 2 to grade." in html
    # The first ungraded response in the gradebook's order (by name): Bruno's.
    assert f'<a class="btn btn-primary" href="{bruno.get_absolute_url()}">Grade the next' in html


def test_students_still_get_the_response_box(client, student, assignment):
    client.force_login(student)
    html = client.get(assignment.get_absolute_url()).content.decode()
    assert "Write your response" in html and "Responses so far" not in html


def clear_url(submission):
    assignment = submission.assignment
    return reverse(
        "assignments:grade_clear", args=[assignment.course.slug, assignment.slug, submission.pk]
    )


def test_clear_grade_leaves_the_response_ungraded(client, instructor, line):
    chen = line[0]
    services.grade(submission=chen, grader=instructor, points=7)
    client.force_login(instructor)
    assert "Clear grade" in client.get(chen.get_absolute_url()).content.decode()
    response = client.post(clear_url(chen), follow=True)
    assert "The grade of Chen Li is cleared." in response.content.decode()
    chen.refresh_from_db()
    assert not hasattr(chen, "grade")
    assert "Clear grade" not in response.content.decode()
    again = client.post(clear_url(chen), follow=True)
    assert "This response had no grade to clear." in again.content.decode()


@pytest.mark.parametrize(("actor", "status"), [("assistant", 302), ("student", 403)])
def test_only_graders_clear_a_grade(client, actors, assignment, actor, status):
    chen = respond(assignment, "Chen Li")
    grader = factories.MembershipFactory(course=assignment.course, role="instructor").user
    services.grade(submission=chen, grader=grader, points=7)
    client.force_login(actors[actor])
    assert client.post(clear_url(chen)).status_code == status
    assert hasattr(type(chen).objects.get(pk=chen.pk), "grade") is (status != 302)


def test_clear_grade_is_post_only(client, instructor, line):
    client.force_login(instructor)
    assert client.get(clear_url(line[0])).status_code == 405
