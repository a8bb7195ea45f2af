"""Assignments: a course's prompts with deadlines, the posts that answer them
(submissions, with a snapshot of the version submitted), extensions, private feedback
on posts and grades.

Every rule is a predicate built on ``course.role_of(user)`` (docs/design.md): the course-wide
ones (set assignments, grade, see the gradebook...) are on blog's Course, the post-wide
ones (feedback) on blog's Post; the ones below delegate to them.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assignments.times import course_zone
from blog.models import Course, Post, Topic, unique_slug
from blog.rendering import render_comment_markdown, render_post_markdown

# Words the assignment URLs use where an assignment slug would go.
RESERVED_SLUGS = frozenset({"new", "gradebook", "grades", "feedback", "calendar"})

# What a student's answer to an assignment is, at a given moment.
NOT_OPEN = "not_open"  # before opens_at: nothing to submit yet
OPEN = "open"  # may submit, on time
LATE = "late"  # past the (extended) due time, before the cut-off: accepted, marked late
CLOSED = "closed"  # past the cut-off: refused


class AssignmentQuerySet(models.QuerySet):
    def for_course(self, course):
        return self.filter(course=course)

    def in_order(self):
        return self.order_by("due_at", "pk")

    def upcoming(self, now=None):
        return self.filter(due_at__gte=now or timezone.now())

    def with_criteria(self):
        return self.prefetch_related("criteria__levels")


class Assignment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    prompt = models.TextField(help_text="Markdown.")
    prompt_html = models.TextField(editable=False, default="")
    opens_at = models.DateTimeField("opens")
    due_at = models.DateTimeField("due")
    cutoff_at = models.DateTimeField(
        "cut-off",
        null=True,
        blank=True,
        help_text="No submissions after this time. Leave empty to accept late work at any time.",
    )
    points = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty for no points, or when using a rubric."
    )
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
        help_text="Responses are tagged with this topic.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "slug"], name="assignment_slug_unique_per_course"
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("opens_at")), name="assignment_due_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(cutoff_at__isnull=True) | Q(cutoff_at__gte=models.F("due_at")),
                name="assignment_cutoff_not_before_due",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            taken = Assignment.objects.filter(course_id=self.course_id).exclude(pk=self.pk)
            self.slug = unique_slug(
                self.title, taken, fallback="assignment", reserved=RESERVED_SLUGS
            )
        self.prompt_html = render_post_markdown(self.prompt)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "assignments:assignment_detail",
            kwargs={"course_slug": self.course.slug, "assignment_slug": self.slug},
        )

    def clean(self):
        check_times(opens_at=self.opens_at, due_at=self.due_at, cutoff_at=self.cutoff_at)

    @property
    def time_zone(self):
        return course_zone(self.course)

    # --- Deadlines ---

    def due_for(self, extension=None):
        """The due time for a student with this extension (or none)."""
        return extension.due_at if extension else self.due_at

    def cutoff_for(self, extension=None):
        """The cut-off for that student: never before their extended due time."""
        if self.cutoff_at is None:
            return None
        return max(self.cutoff_at, self.due_for(extension))

    def window_at(self, when, extension=None):
        """NOT_OPEN, OPEN, LATE or CLOSED: what submitting at `when` would be."""
        if when < self.opens_at:
            return NOT_OPEN
        if when <= self.due_for(extension):
            return OPEN
        cutoff = self.cutoff_for(extension)
        if cutoff is not None and when > cutoff:
            return CLOSED
        return LATE

    # --- Rubric and points ---

    @property
    def has_rubric(self):
        return bool(self.criteria.all())

    @property
    def max_points(self):
        """The points a grade may reach: the rubric's best levels, else ``points``."""
        criteria = self.criteria.all()
        if criteria:
            return sum(
                (max((lv.points for lv in c.levels.all()), default=Decimal(0)) for c in criteria),
                Decimal(0),
            )
        return Decimal(self.points) if self.points is not None else None

    @property
    def is_graded(self):
        return self.max_points is not None

    # --- Predicates ---

    def can_view(self, user):
        return self.course.role_of(user) is not None

    def can_submit(self, user):
        return self.course.can_write_post(user)

    def can_edit(self, user):
        return self.course.can_set_assignments(user)

    def can_grant_extension(self, user):
        return self.course.can_grant_extensions(user)

    def can_grade(self, user):
        return self.course.can_grade(user)


def format_points(value):
    """4 rather than 4.00, 2.5 rather than 2.50."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_times(*, opens_at, due_at, cutoff_at):
    """The order of an assignment's times: opens < due <= cut-off."""
    errors = {}
    if opens_at and due_at and due_at <= opens_at:
        errors["due_at"] = ValidationError(
            "The due time must be after the opening time.", code="due_before_opens"
        )
    if cutoff_at and due_at and cutoff_at < due_at:
        errors["cutoff_at"] = ValidationError(
            "The cut-off can't be before the due time.", code="cutoff_before_due"
        )
    if errors:
        raise ValidationError(errors)


class RubricCriterion(models.Model):
    """One row of an assignment's rubric ("Use of sources"), with its levels."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "rubric criteria"

    def __str__(self):
        return self.name


class RubricLevel(models.Model):
    """One level of a criterion ("Excellent", 4 points)."""

    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="levels")
    label = models.CharField(max_length=100)
    points = models.DecimalField(max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.criterion}: {self.label} ({format_points(self.points)})"


class PostSnapshotQuerySet(models.QuerySet):
    def record(self, post):
        """Keep the post's published version, unless the latest snapshot already is it."""
        latest = self.filter(post=post).order_by("-published_at", "-pk").first()
        if latest and (latest.title, latest.body) == (post.title, post.body):
            return latest
        return self.create(
            post=post,
            title=post.title,
            body=post.body,
            body_html=post.body_html,
            published_at=timezone.now(),
        )


class PostSnapshot(models.Model):
    """A published version of a post: one is kept each time a post is published or a
    published post is edited, so instructors see what was submitted."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="snapshots")
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()
    published_at = models.DateTimeField(db_index=True)

    objects = PostSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = ["published_at", "pk"]

    def __str__(self):
        return f"{self.title} ({self.published_at:%Y-%m-%d %H:%M})"


class SubmissionQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def for_course(self, course):
        return self.filter(assignment__course=course)


class Submission(models.Model):
    """A post answering an assignment. Chosen in the editor, it is submitted when the
    post is published (``submitted_at``), on time or late."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="submission")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    snapshot = models.ForeignKey(
        PostSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "student"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="submission_one_per_student"
            )
        ]

    def __str__(self):
        return f"{self.post} → {self.assignment}"

    def get_absolute_url(self):
        return reverse(
            "assignments:submission_detail",
            kwargs={
                "course_slug": self.assignment.course.slug,
                "assignment_slug": self.assignment.slug,
                "submission_id": self.pk,
            },
        )

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Extension(models.Model):
    """A new due time for one student on one assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions"
    )
    due_at = models.DateTimeField("new due time")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment", "student"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="extension_one_per_student"
            )
        ]

    def __str__(self):
        return f"{self.student} until {self.due_at:%Y-%m-%d %H:%M} on {self.assignment}"


class FeedbackQuerySet(models.QuerySet):
    def for_post(self, post):
        return self.filter(post=post)

    def with_author(self):
        return self.select_related("author")


class Feedback(models.Model):
    """One message in a post's private feedback thread: only the post's author and the
    course's instructors (and staff) read and write it (``post.can_see_feedback``)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_written"
    )
    body = models.TextField()
    body_html = models.TextField(editable=False, default="")
    created = models.DateTimeField(default=timezone.now)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"Feedback by {self.author} on {self.post}"

    def save(self, *args, **kwargs):
        self.body_html = render_comment_markdown(self.body)
        super().save(*args, **kwargs)


class Grade(models.Model):
    """The grade of a submission: points, or one level per rubric criterion (whose
    points add up to ``points``)."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="grade")
    points = models.DecimalField(max_digits=7, decimal_places=2)
    levels = models.ManyToManyField(RubricLevel, blank=True, related_name="grades")
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-graded_at"]

    def __str__(self):
        return f"{format_points(self.points)} for {self.submission}"

    @property
    def points_display(self):
        return format_points(self.points)


def new_calendar_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's private iCalendar feed of a course's due dates: the URL's token is
    the only key, so each person has their own (and can replace it)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="calendar_feeds")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="calendar_feed_one_per_person")
        ]

    def __str__(self):
        return f"Calendar of {self.course} for {self.user}"

    def get_absolute_url(self):
        return reverse("assignments:calendar_feed", kwargs={"token": self.token})


class DueReminder(models.Model):
    """A reminder sent to a student about an assignment: at most one each, so the
    reminder command can run as often as it likes."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="due_reminders"
    )
    due_at = models.DateTimeField(help_text="The due time the reminder was about.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="due_reminder_one_per_student"
            )
        ]

    def __str__(self):
        return f"Reminder to {self.student} about {self.assignment}"
