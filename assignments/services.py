"""Writes for assignments (docs/style.md): keyword-only, plain values, one transaction."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assignments.models import (
    CLOSED,
    LATE,
    NOT_OPEN,
    Assignment,
    CalendarFeed,
    DueReminder,
    Extension,
    Feedback,
    Grade,
    PostSnapshot,
    RubricCriterion,
    RubricLevel,
    Submission,
    check_times,
    format_points,
)
from assignments.signals import due_soon, feedback_added, grade_cleared, graded
from assignments.times import REMINDER_AHEAD, when_label, zone_abbreviation
from blog.models import Membership, Post

ASSIGNMENT_FIELDS = {"title", "prompt", "opens_at", "due_at", "cutoff_at", "points", "topic"}


class SubmissionRefused(ValidationError):
    """Submitting now is not allowed (before it opens, or after the cut-off)."""


@transaction.atomic
def create_assignment(
    *,
    course,
    title,
    prompt,
    opens_at,
    due_at,
    cutoff_at=None,
    points=None,
    topic=None,
    rubric=(),
):
    """A new assignment. ``rubric``: [(criterion name, [(level label, points), ...]), ...]."""
    check_times(opens_at=opens_at, due_at=due_at, cutoff_at=cutoff_at)
    assignment = Assignment.objects.create(
        course=course,
        title=title,
        prompt=prompt,
        opens_at=opens_at,
        due_at=due_at,
        cutoff_at=cutoff_at,
        points=points,
        topic=topic,
    )
    _replace_rubric(assignment, rubric)
    return assignment


@transaction.atomic
def update_assignment(*, assignment, rubric=None, **fields):
    """Change an assignment's fields (those named in ASSIGNMENT_FIELDS) and, when
    ``rubric`` is given, its rubric: refused once a grade uses a level of the old one."""
    unknown = set(fields) - ASSIGNMENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown assignment fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(assignment, name, value)
    check_times(
        opens_at=assignment.opens_at, due_at=assignment.due_at, cutoff_at=assignment.cutoff_at
    )
    assignment.save()
    if rubric is not None and _rubric_of(assignment) != _normalise(rubric):
        if Grade.objects.filter(levels__criterion__assignment=assignment).exists():
            raise ValidationError(
                {
                    "rubric": ValidationError(
                        "Submissions are already graded with this rubric: it can't change now.",
                        code="rubric_in_use",
                    )
                }
            )
        _replace_rubric(assignment, rubric)
    return assignment


def _normalise(rubric):
    return [
        (name, [(label, Decimal(str(points))) for label, points in levels])
        for name, levels in rubric
    ]


def _rubric_of(assignment):
    return [
        (c.name, [(lv.label, lv.points) for lv in c.levels.all()])
        for c in assignment.criteria.prefetch_related("levels")
    ]


def _replace_rubric(assignment, rubric):
    assignment.criteria.all().delete()
    for position, (name, levels) in enumerate(rubric):
        criterion = RubricCriterion.objects.create(
            assignment=assignment, name=name, position=position
        )
        RubricLevel.objects.bulk_create(
            RubricLevel(criterion=criterion, label=label, points=Decimal(str(points)), position=i)
            for i, (label, points) in enumerate(levels)
        )


def _moment(moment, assignment):
    tz = assignment.time_zone
    return f"{when_label(moment, tz)} ({zone_abbreviation(moment, tz)})"


def check_submission(*, assignment, student, when=None):
    """Raise SubmissionRefused unless `student` may submit to `assignment` at `when`;
    otherwise return True when it would be late."""
    when = when or timezone.now()
    extension = Extension.objects.filter(assignment=assignment, student=student).first()
    window = assignment.window_at(when, extension)
    if window == NOT_OPEN:
        raise SubmissionRefused(
            "“%(title)s” opens %(opens)s: publish your response after that. "
            "Your post is kept as a draft.",
            code="not_open",
            params={"title": assignment.title, "opens": _moment(assignment.opens_at, assignment)},
        )
    if window == CLOSED:
        raise SubmissionRefused(
            "The cut-off for “%(title)s” was %(cutoff)s: it no longer accepts responses. "
            "Your post is kept as a draft; ask your instructor for an extension.",
            code="closed",
            params={
                "title": assignment.title,
                "cutoff": _moment(assignment.cutoff_for(extension), assignment),
            },
        )
    return window == LATE


@transaction.atomic
def choose_assignment(*, post, assignment):
    """Make `post` the answer to `assignment` (None: to no assignment) before it is
    submitted. A submitted answer stays with its assignment."""
    current = Submission.objects.filter(post=post).first()
    if current and current.is_submitted:
        if assignment is None or current.assignment_id != assignment.pk:
            raise ValidationError(
                "This post was submitted to “%(title)s”; it stays that assignment's response.",
                code="already_submitted",
                params={"title": current.assignment.title},
            )
        return current
    if assignment is None:
        if current:
            current.delete()
        return None
    if assignment.course_id != post.course_id:
        raise ValidationError("Choose an assignment of this course.", code="other_course")
    other = (
        Submission.objects.filter(assignment=assignment, student_id=post.author_id)
        .exclude(post=post)
        .select_related("post")
        .first()
    )
    if other:
        raise ValidationError(
            "You already answer “%(title)s” with “%(post)s”.",
            code="already_answered",
            params={"title": assignment.title, "post": other.post.title},
        )
    if current:
        current.assignment = assignment
        current.save(update_fields=["assignment"])
        return current
    return Submission.objects.create(assignment=assignment, post=post, student_id=post.author_id)


@transaction.atomic
def submit(*, assignment, post, when=None):
    """Submit a published post to an assignment: on time up to the (extended) due time,
    late up to the cut-off, refused after it (SubmissionRefused; nothing changes).
    Submitting again changes nothing: the first submission counts."""
    when = when or timezone.now()
    submission = choose_assignment(post=post, assignment=assignment)
    if submission.is_submitted:
        return submission
    if not post.is_published:
        raise ValidationError("Publish the post to submit it.", code="not_published")
    is_late = check_submission(assignment=assignment, student=post.author, when=when)
    submission.submitted_at = when
    submission.is_late = is_late
    submission.snapshot = PostSnapshot.objects.record(post)
    submission.save(update_fields=["submitted_at", "is_late", "snapshot"])
    return submission


@transaction.atomic
def submit_when_live(*, post):
    """A scheduled post just went live (blog/scheduling.py): keep this version, and
    submit it to the assignment it answers, at its publish time (on time only if that
    is before the due time). A refusal (the cut-off passed meanwhile) leaves it chosen,
    unsubmitted, as the editor would have; the post stays live."""
    submission = Submission.objects.filter(post=post, submitted_at=None).first()
    if submission is None:
        PostSnapshot.objects.record(post)
        return None
    try:
        return submit(assignment=submission.assignment, post=post, when=post.published_at)
    except SubmissionRefused:
        PostSnapshot.objects.record(post)
        return None


@transaction.atomic
def grant_extension(*, assignment, student, due_at, granted_by=None):
    """Give `student` a new due time (replacing an earlier extension)."""
    if not assignment.course.is_member(student):
        raise ValidationError("Only the course's members get extensions.", code="not_member")
    if due_at <= assignment.due_at:
        raise ValidationError(
            {
                "due_at": ValidationError(
                    "An extension ends after the assignment's due time.", code="not_later"
                )
            }
        )
    extension, _ = Extension.objects.update_or_create(
        assignment=assignment,
        student=student,
        defaults={"due_at": due_at, "granted_by": granted_by},
    )
    return extension


@transaction.atomic
def add_feedback(*, post, author, body):
    """A message in the post's private feedback thread; notifications react to it."""
    if not post.can_write_feedback(author):
        raise ValidationError("Only the author and the instructors write here.", code="denied")
    feedback = Feedback.objects.create(post=post, author=author, body=body.strip())
    feedback_added.send(sender=Feedback, feedback=feedback)
    return feedback


@transaction.atomic
def grade(*, submission, grader, points=None, levels=()):
    """Grade a submission with points, or with rubric levels (one per criterion; their
    points add up). Grading again replaces the grade."""
    assignment = submission.assignment
    levels = list(levels)
    if assignment.has_rubric:
        points = _rubric_points(assignment, levels)
    else:
        levels = []
        if points is None:
            raise ValidationError({"points": ValidationError("Enter the points.", code="required")})
        maximum = assignment.max_points
        if maximum is None:
            raise ValidationError(
                "“%(title)s” has no points or rubric: give feedback instead.",
                code="ungraded",
                params={"title": assignment.title},
            )
        points = Decimal(str(points))
        if points < 0 or points > maximum:
            raise ValidationError(
                {
                    "points": ValidationError(
                        "Enter points from 0 to %(max)s.",
                        code="points_range",
                        params={"max": format_points(maximum)},
                    )
                }
            )
    before = Grade.objects.filter(submission=submission).prefetch_related("levels").first()
    was = (before.points, {lv.pk for lv in before.levels.all()}) if before else None
    result, _ = Grade.objects.update_or_create(
        submission=submission,
        defaults={"points": points, "grader": grader, "graded_at": timezone.now()},
    )
    result.levels.set(levels)
    if was != (result.points, {lv.pk for lv in levels}):  # new, or changed: the student hears
        graded.send(sender=Grade, grade=result, regraded=was is not None)
    return result


@transaction.atomic
def clear_grade(*, submission, by):
    """Take a submission's grade away (it is ungraded again): True when there was one."""
    deleted, _ = Grade.objects.filter(submission=submission).delete()
    if not deleted:
        return False
    grade_cleared.send(sender=Grade, submission=submission, cleared_by=by)
    return True


def _rubric_points(assignment, levels):
    criteria = {c.pk: c for c in assignment.criteria.all()}
    chosen = {}
    for level in levels:
        if level.criterion_id not in criteria:
            raise ValidationError(
                {"levels": ValidationError("Choose levels of this rubric.", code="unknown_level")}
            )
        if level.criterion_id in chosen:
            raise ValidationError(
                {"levels": ValidationError("Choose one level per criterion.", code="two_levels")}
            )
        chosen[level.criterion_id] = level
    missing = [c.name for pk, c in criteria.items() if pk not in chosen]
    if missing:
        raise ValidationError(
            {
                "levels": ValidationError(
                    "Choose a level for: %(names)s.",
                    code="missing_level",
                    params={"names": ", ".join(missing)},
                )
            }
        )
    return sum((level.points for level in chosen.values()), Decimal(0))


def calendar_feed(*, course, user):
    """The person's calendar feed of the course (made on first use)."""
    feed, _ = CalendarFeed.objects.get_or_create(course=course, user=user)
    return feed


@transaction.atomic
def reset_calendar_feed(*, course, user):
    """A new secret address for the person's calendar; the old one stops working."""
    CalendarFeed.objects.filter(course=course, user=user).delete()
    return CalendarFeed.objects.create(course=course, user=user)


def due_reminders(*, now=None):
    """(assignment, student, due time) for every student whose (extended) due time is in
    the next 24 hours, who hasn't submitted and hasn't been reminded."""
    now = now or timezone.now()
    window = Q(due_at__gt=now, due_at__lte=now + REMINDER_AHEAD)
    candidates = Assignment.objects.filter(
        window | Q(pk__in=Extension.objects.filter(window).values("assignment_id"))
    ).select_related("course")
    found = []
    for assignment in candidates:
        extensions = {e.student_id: e for e in assignment.extensions.all()}
        done = set(assignment.submissions.submitted().values_list("student_id", flat=True))
        done |= set(assignment.reminders.values_list("student_id", flat=True))
        students = Membership.objects.for_course(assignment.course).students().with_user()
        for membership in students.exclude(user_id__in=done):
            due = assignment.due_for(extensions.get(membership.user_id))
            if now < due <= now + REMINDER_AHEAD:
                found.append((assignment, membership.user, due))
    return found


def send_due_reminders(*, now=None):
    """Remind each student once, 24 hours ahead, of what they haven't submitted:
    records a DueReminder and sends ``due_soon`` (notifications emails it). Safe to run
    as often as you like. Returns the reminders sent."""
    sent = []
    for assignment, student, due in due_reminders(now=now):
        with transaction.atomic():
            reminder, created = DueReminder.objects.get_or_create(
                assignment=assignment, student=student, defaults={"due_at": due}
            )
            if created:
                due_soon.send(sender=DueReminder, reminder=reminder)
                sent.append(reminder)
    return sent


@transaction.atomic
def start_response(*, assignment, student):
    """The student's draft answering `assignment`: the one they have, or a new one
    (titled after the assignment, tagged with its topic)."""
    existing = (
        Submission.objects.filter(assignment=assignment, student=student)
        .select_related("post")
        .first()
    )
    if existing:
        return existing.post
    post = Post.objects.create(
        course=assignment.course,
        author=student,
        title=f"Response: {assignment.title}"[:200],
        body="",
        status=Post.Status.DRAFT,
        visibility=assignment.course.new_post_visibility,  # as the editor offers a new post
    )
    if assignment.topic_id:
        post.topics.add(assignment.topic_id)
    Submission.objects.create(assignment=assignment, post=post, student=student)
    return post
