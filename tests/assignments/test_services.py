"""Services and due-time rules: on time, late, refused, extensions, daylight saving."""

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assignments import services
from assignments.models import CLOSED, LATE, NOT_OPEN, OPEN, PostSnapshot, Submission
from tests import factories
from tests.assignments.conftest import at


def publish(post):
    post.publish()
    post.save()
    return post


def test_prompt_is_rendered_and_sanitised(course):
    assignment = services.create_assignment(
        course=course,
        title="Prompt",
        prompt="**Read** <script>alert(1)</script>",
        opens_at=at(2027, 1, 1, 9),
        due_at=at(2027, 1, 8, 9),
    )
    assert "<strong>Read</strong>" in assignment.prompt_html
    assert "<script" not in assignment.prompt_html
    assert assignment.slug == "prompt"


@pytest.mark.parametrize(
    ("opens", "due", "cutoff", "field", "code"),
    [
        ((2027, 1, 8), (2027, 1, 1), None, "due_at", "due_before_opens"),
        ((2027, 1, 1), (2027, 1, 8), (2027, 1, 7), "cutoff_at", "cutoff_before_due"),
    ],
)
def test_times_out_of_order_are_refused(course, opens, due, cutoff, field, code):
    with pytest.raises(ValidationError) as error:
        services.create_assignment(
            course=course,
            title="Bad",
            prompt="x",
            opens_at=at(*opens, 9),
            due_at=at(*due, 9),
            cutoff_at=at(*cutoff, 9) if cutoff else None,
        )
    assert error.value.error_dict[field][0].code == code


def test_window_before_due_late_and_closed(assignment):
    assert assignment.window_at(at(2027, 2, 28, 12)) == NOT_OPEN
    assert assignment.window_at(at(2027, 3, 12, 17)) == OPEN
    assert assignment.window_at(at(2027, 3, 12, 17, 1)) == LATE
    assert assignment.window_at(at(2027, 3, 19, 17, 1)) == CLOSED


def test_publishing_before_due_is_on_time(assignment, draft):
    with time_machine.travel(at(2027, 3, 12, 16, 59), tick=False):
        submission = services.submit(assignment=assignment, post=publish(draft))
    assert submission.submitted_at == at(2027, 3, 12, 16, 59)
    assert not submission.is_late
    assert submission.snapshot.body == draft.body


def test_publishing_after_due_before_cutoff_is_late(assignment, draft):
    with time_machine.travel(at(2027, 3, 13, 10), tick=False):
        submission = services.submit(assignment=assignment, post=publish(draft))
    assert submission.is_late


def test_after_cutoff_is_refused_and_nothing_is_recorded(assignment, draft):
    with time_machine.travel(at(2027, 3, 20, 10), tick=False):
        services.choose_assignment(post=draft, assignment=assignment)
        with pytest.raises(services.SubmissionRefused) as error:
            services.check_submission(assignment=assignment, student=draft.author)
    assert error.value.code == "closed"
    assert "no longer accepts" in error.value.messages[0]
    assert not Submission.objects.get(post=draft).is_submitted


def test_extension_moves_due_and_cutoff(assignment, draft, instructor):
    services.grant_extension(
        assignment=assignment,
        student=draft.author,
        due_at=at(2027, 3, 22, 17),
        granted_by=instructor,
    )
    with time_machine.travel(at(2027, 3, 22, 16), tick=False):
        submission = services.submit(assignment=assignment, post=publish(draft))
    assert submission.is_submitted and not submission.is_late


def test_extension_must_end_after_due(assignment, student):
    with pytest.raises(ValidationError):
        services.grant_extension(assignment=assignment, student=student, due_at=at(2027, 3, 10, 17))


def test_extension_only_for_members(assignment, outsider):
    with pytest.raises(ValidationError):
        services.grant_extension(
            assignment=assignment, student=outsider, due_at=at(2027, 3, 30, 17)
        )


def test_deadline_across_daylight_saving_change(course, draft, instructor):
    """Due Monday 29 March 2027, 17:00 London time: clocks went forward on Sunday 28th,
    so 17:00 is 16:00 UTC, not 17:00 UTC as it would have been the week before."""
    assignment = services.create_assignment(
        course=course,
        title="Across the change",
        prompt="x",
        opens_at=at(2027, 3, 22, 17),  # GMT (UTC+0)
        due_at=at(2027, 3, 29, 17),  # BST (UTC+1)
        cutoff_at=at(2027, 3, 29, 17),
    )
    assignment.refresh_from_db()  # as stored: UTC
    assert assignment.due_at - assignment.opens_at == timedelta(days=7) - timedelta(hours=1)
    assert assignment.window_at(at(2027, 3, 29, 15, 59, tz=UTC)) == OPEN
    assert assignment.window_at(at(2027, 3, 29, 16, 30, tz=UTC)) == CLOSED  # 17:30 London
    with time_machine.travel(at(2027, 3, 29, 16, 59), tick=False):
        submission = services.submit(assignment=assignment, post=publish(draft))
    assert not submission.is_late


def test_extension_across_daylight_saving_keeps_wall_clock_time(course, student):
    assignment = services.create_assignment(
        course=course,
        title="One week more",
        prompt="x",
        opens_at=at(2027, 3, 15, 9),
        due_at=at(2027, 3, 26, 17),
    )
    extension = services.grant_extension(
        assignment=assignment, student=student, due_at=at(2027, 4, 2, 17)
    )
    extension.refresh_from_db()
    assignment.refresh_from_db()
    assert extension.due_at.astimezone(assignment.time_zone).hour == 17
    assert extension.due_at - assignment.due_at == timedelta(days=7) - timedelta(hours=1)


def test_submitting_twice_keeps_the_first(assignment, draft):
    publish(draft)
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        first = services.submit(assignment=assignment, post=draft)
    with time_machine.travel(at(2027, 3, 15, 12), tick=False):
        again = services.submit(assignment=assignment, post=draft)
    assert again.submitted_at == first.submitted_at and not again.is_late


def test_one_answer_per_student(assignment, draft, course):
    services.choose_assignment(post=draft, assignment=assignment)
    second = factories.PostFactory(course=course, author=draft.author, status="draft")
    with pytest.raises(ValidationError) as error:
        services.choose_assignment(post=second, assignment=assignment)
    assert error.value.code == "already_answered"


def test_snapshots_keep_every_published_version(post):
    assert PostSnapshot.objects.filter(post=post).count() == 1
    post.body = "A second version."
    post.save()
    post.save()  # unchanged: no new snapshot
    post.unpublish()
    post.body = "Draft words are not kept."
    post.save()
    assert list(PostSnapshot.objects.filter(post=post).values_list("body", flat=True)) == [
        "A second version.",
        "Some *Markdown* text with a quote:\n\n> Quoted words.",
    ]


def test_grade_with_points(assignment, draft, instructor):
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        submission = services.submit(assignment=assignment, post=publish(draft))
    grade = services.grade(submission=submission, grader=instructor, points=Decimal("8.5"))
    assert grade.points == Decimal("8.5")
    with pytest.raises(ValidationError) as error:
        services.grade(submission=submission, grader=instructor, points=11)
    assert error.value.error_dict["points"][0].code == "points_range"
    grade.refresh_from_db()
    assert grade.points == Decimal("8.5")


def test_grade_with_rubric_adds_level_points(rubric_assignment, draft, instructor):
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        submission = services.submit(assignment=rubric_assignment, post=publish(draft))
    sources, argument = rubric_assignment.criteria.all()
    assert rubric_assignment.max_points == 10
    chosen = [sources.levels.get(label="Adequate"), argument.levels.get(label="Clear")]
    grade = services.grade(submission=submission, grader=instructor, levels=chosen)
    assert grade.points == 8
    with pytest.raises(ValidationError) as error:
        services.grade(submission=submission, grader=instructor, levels=chosen[:1])
    assert error.value.error_dict["levels"][0].code == "missing_level"


def test_rubric_level_of_another_assignment_is_refused(
    rubric_assignment, assignment, draft, instructor, course
):
    services.update_assignment(assignment=assignment, rubric=[("Only", [("Fine", 10)])])
    foreign = assignment.criteria.get().levels.get()
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        submission = services.submit(assignment=rubric_assignment, post=publish(draft))
    with pytest.raises(ValidationError) as error:
        services.grade(submission=submission, grader=instructor, levels=[foreign])
    assert error.value.error_dict["levels"][0].code == "unknown_level"


def test_rubric_in_use_cannot_change(rubric_assignment, draft, instructor):
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        submission = services.submit(assignment=rubric_assignment, post=publish(draft))
    levels = [c.levels.first() for c in rubric_assignment.criteria.all()]
    services.grade(submission=submission, grader=instructor, levels=levels)
    with pytest.raises(ValidationError):
        services.update_assignment(assignment=rubric_assignment, rubric=[("New", [("A", 1)])])
    assert rubric_assignment.criteria.count() == 2


def test_feedback_is_for_author_and_instructors(post, instructor, classmate):
    services.add_feedback(post=post, author=instructor, body="Good start: *cite* the decree.")
    reply = services.add_feedback(post=post, author=post.author, body="Thank you!")
    assert post.feedback.count() == 2 and reply.body_html == "<p>Thank you!</p>"
    with pytest.raises(ValidationError):
        services.add_feedback(post=post, author=classmate, body="Let me in")


def test_a_response_starts_with_the_courses_default_visibility(assignment, student):
    course = assignment.course
    course.default_post_visibility = "members"
    course.save()
    post = services.start_response(assignment=assignment, student=student)
    assert post.visibility == "members"
