"""The rubric is edited as rows of a form, not as pipe-separated text (issue 27, item 9):
criteria with levels and points, rows added and removed with plain submit buttons (no
JavaScript), existing rubrics loaded and saved as the same rows."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assignments import services
from assignments.models import Assignment, RubricCriterion
from tests import factories
from tests.assignments.conftest import at


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        yield


def rows(*criteria, levels=4, initial=0):
    """The rubric rows' POST data: criteria as (name, [(label, points), ...])."""
    data = {
        "rubric-TOTAL_FORMS": str(len(criteria)),
        "rubric-INITIAL_FORMS": str(initial),
        "rubric-levels": str(levels),
    }
    for n, (name, pairs) in enumerate(criteria):
        data[f"rubric-{n}-name"] = name
        for i, (label, points) in enumerate(pairs):
            data[f"rubric-{n}-level_{i}_label"] = label
            data[f"rubric-{n}-level_{i}_points"] = points
    return data


def assignment_data(**extra):
    return {
        "title": "Kitchen debate",
        "prompt": "Read the transcript.",
        "opens_at": "2027-03-01T09:00",
        "due_at": "2027-03-12T17:00",
        "cutoff_at": "",
        "points": "",
    } | extra


def rubric_of(assignment):
    return [
        (c.name, [(lv.label, lv.points) for lv in c.levels.all()])
        for c in assignment.criteria.prefetch_related("levels")
    ]


def create(client, course, data):
    return client.post(reverse("assignments:assignment_create", args=[course.slug]), data)


def edit_url(assignment):
    return reverse("assignments:assignment_edit", args=[assignment.course.slug, assignment.slug])


def test_instructor_builds_a_rubric_from_rows(client, course, instructor):
    client.force_login(instructor)
    data = assignment_data() | rows(
        ("Use of sources", [("Excellent", "4"), ("Adequate", "2"), ("Missing", "0")]),
        ("Argument", [("Clear", "6"), ("", ""), ("Vague", "2.5")]),  # a blank level: dropped
        ("", [("", ""), ("", "")]),  # a blank row: ignored
    )
    response = create(client, course, data)
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert rubric_of(assignment) == [
        ("Use of sources", [("Excellent", 4), ("Adequate", 2), ("Missing", 0)]),
        ("Argument", [("Clear", 6), ("Vague", Decimal("2.5"))]),
    ]
    assert assignment.max_points == 10


def test_the_form_offers_rows_not_a_text_box(client, course, instructor):
    client.force_login(instructor)
    html = client.get(reverse("assignments:assignment_create", args=[course.slug])).content
    html = html.decode()
    assert 'name="rubric"' not in html
    assert '<legend class="h6">Criterion 1</legend>' in html
    assert 'name="rubric-0-level_3_points"' in html  # four levels to start with
    assert '<button type="submit" name="rubric_add" value="criterion"' in html
    # Enter in a field saves: the first submit button is a (hidden) Save.
    form = html[html.index('<form method="post" class="surface"') :]
    first = form.index('<button type="submit"')
    assert form[first:].startswith(
        '<button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true">Save'
    )


def test_add_a_criterion_gives_the_form_back_longer_and_saves_nothing(client, course, instructor):
    client.force_login(instructor)
    data = assignment_data(title="") | rows(("Sources", [("Good", "3")]))
    response = create(client, course, data | {"rubric_add": "criterion"})
    assert response.status_code == 200
    assert not Assignment.objects.exists()
    html = response.content.decode()
    assert 'value="Sources"' in html and 'value="Read the transcript."' not in html
    assert "Read the transcript." in html  # the prompt, kept
    assert 'name="rubric-TOTAL_FORMS" value="2"' in html
    assert 'id="id_rubric-1-name" value="" maxlength="200" class="form-control" autofocus' in html
    assert "This field is required" not in html  # no errors: nothing was saved or checked


def test_add_a_level_adds_one_to_each_criterion(client, course, instructor):
    client.force_login(instructor)
    data = assignment_data() | rows(("Sources", [("Good", "3")]), ("Style", []))
    response = create(client, course, data | {"rubric_add": "level"})
    html = response.content.decode()
    assert 'name="rubric-levels" value="5"' in html
    assert 'name="rubric-1-level_4_label"' in html
    assert not Assignment.objects.exists()


def test_a_level_without_points_is_an_error_that_keeps_the_rows(client, course, instructor):
    client.force_login(instructor)
    data = assignment_data() | rows(("Sources", [("Great", ""), ("", "2")]))
    response = create(client, course, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give “Great” its points." in html
    assert "Name this level." in html
    assert "Check the rubric below." in html
    assert 'value="Great"' in html and 'value="Read the transcript."' not in html
    assert not Assignment.objects.exists()


def test_a_criterion_without_levels_is_an_error(client, course, instructor):
    client.force_login(instructor)
    response = create(client, course, assignment_data() | rows(("Sources", [])))
    assert "Give “Sources” at least one level with its points." in response.content.decode()
    assert not Assignment.objects.exists()


def test_an_existing_rubric_loads_into_rows_and_saves_unchanged(
    client, instructor, rubric_assignment
):
    client.force_login(instructor)
    html = client.get(edit_url(rubric_assignment)).content.decode()
    assert 'id="id_rubric-0-name" value="Use of sources"' in html
    assert 'id="id_rubric-1-level_1_label" value="Vague"' in html
    assert 'id="id_rubric-0-level_0_points" value="4"' in html
    # A graded rubric can't change, but saving it as it is works.
    post = factories.PostFactory(course=rubric_assignment.course)
    submission = services.submit(assignment=rubric_assignment, post=post)
    sources, argument = rubric_assignment.criteria.all()
    services.grade(
        submission=submission,
        grader=instructor,
        levels=[sources.levels.first(), argument.levels.first()],
    )
    before = rubric_of(rubric_assignment)
    data = assignment_data(title="Samizdat, again") | rows(
        ("Use of sources", [("Excellent", "4"), ("Adequate", "2"), ("Missing", "0")]),
        ("Argument", [("Clear", "6"), ("Vague", "3")]),
        initial=2,
    )
    response = client.post(edit_url(rubric_assignment), data)
    assert response.status_code == 302
    rubric_assignment.refresh_from_db()
    assert rubric_assignment.title == "Samizdat, again"
    assert rubric_of(rubric_assignment) == before
    # Changing it now is refused, with the service's reason, and the rows kept.
    data["rubric-1-level_1_points"] = "4"
    response = client.post(edit_url(rubric_assignment), data)
    assert response.status_code == 200
    assert "already graded with this rubric" in response.content.decode()
    assert rubric_of(rubric_assignment) == before


def test_remove_a_criterion_when_saving(client, instructor, rubric_assignment):
    client.force_login(instructor)
    data = assignment_data(title="Samizdat") | rows(
        ("Use of sources", [("Excellent", "4"), ("Adequate", "2"), ("Missing", "0")]),
        ("Argument", [("Clear", "6"), ("Vague", "3")]),
        initial=2,
    )
    response = client.post(edit_url(rubric_assignment), data | {"rubric-0-DELETE": "on"})
    assert response.status_code == 302
    assert rubric_of(rubric_assignment) == [("Argument", [("Clear", 6), ("Vague", 3)])]


def test_removing_every_criterion_leaves_points_to_grade_by(client, instructor, rubric_assignment):
    client.force_login(instructor)
    data = assignment_data(title="Samizdat", points="20") | rows(
        ("Use of sources", [("Excellent", "4")]), ("Argument", [("Clear", "6")]), initial=2
    )
    data |= {"rubric-0-DELETE": "on", "rubric-1-DELETE": "on"}
    assert client.post(edit_url(rubric_assignment), data).status_code == 302
    rubric_assignment.refresh_from_db()
    assert not RubricCriterion.objects.exists()
    assert rubric_assignment.max_points == 20


@pytest.mark.parametrize("criteria", [2, 8])
def test_edit_page_queries_do_not_grow_with_the_rubric(
    client, course, instructor, criteria, django_assert_max_num_queries
):
    assignment = services.create_assignment(
        course=course,
        title="Long rubric",
        prompt="x",
        opens_at=at(2027, 3, 1, 9),
        due_at=at(2027, 3, 12, 17),
        rubric=[(f"Criterion {n}", [("Good", 2), ("Poor", 0)]) for n in range(criteria)],
    )
    client.force_login(instructor)
    with django_assert_max_num_queries(9):
        response = client.get(edit_url(assignment))
    assert response.content.decode().count('<legend class="h6">Criterion') == criteria + 1
