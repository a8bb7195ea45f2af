"""The post editor's "Answers assignment" section (a blog editor section).

Choosing an assignment makes the post its response; publishing the post submits it,
under the deadline rules (services.check_submission). When the rule refuses, blog
saves the post as a draft instead and shows the refusal (``refusal`` below).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from assignments import services
from assignments.models import Assignment, Extension, Submission
from assignments.times import course_zone, due_text

ACTIONS_THAT_PUBLISH = {"publish", "update", "schedule"}


class AssignmentChoiceForm(forms.Form):
    assignment = forms.ModelChoiceField(
        queryset=Assignment.objects.none(),
        required=False,
        empty_label="None: an ordinary post",
        label="This post answers",
        help_text="Publishing the post submits it as your response.",
    )

    def __init__(self, data=None, *, post, course, prefix=None, initial=None):
        self.post = post
        self.submission = (
            Submission.objects.filter(post=post).select_related("assignment").first()
            if post.pk
            else None
        )
        initial = dict(initial or {})
        if self.submission and "assignment" not in initial:
            initial["assignment"] = self.submission.assignment_id
        super().__init__(data, prefix=prefix, initial=initial)
        if self.submission and self.submission.is_submitted:
            field = self.fields["assignment"]
            field.queryset = Assignment.objects.filter(pk=self.submission.assignment_id)
            field.disabled = True
            field.help_text = (
                f"Submitted {timezone.localtime(self.submission.submitted_at):%-d %B %Y, %H:%M}"
                f"{' (late)' if self.submission.is_late else ''}: the response stays with it."
            )
            return
        chosen = self.submission.assignment_id if self.submission else None
        queryset = Assignment.objects.for_course(course).filter(
            Q(opens_at__lte=timezone.now()) | Q(pk=chosen)
        )
        if post.pk is None and not queryset.exists():
            del self.fields["assignment"]  # nothing to answer: the section steps aside
            return
        self.fields["assignment"].queryset = queryset.in_order()

    def clean_assignment(self):
        assignment = self.cleaned_data.get("assignment")
        if self.submission and self.submission.is_submitted:
            return self.submission.assignment
        if assignment is not None and self.post.author_id is not None:
            other = (
                Submission.objects.filter(assignment=assignment, student_id=self.post.author_id)
                .exclude(post_id=self.post.pk)
                .select_related("post")
                .first()
            )
            if other:
                raise ValidationError(
                    "You already answer “%(title)s” with “%(post)s”.",
                    code="already_answered",
                    params={"title": assignment.title, "post": other.post.title},
                )
        return assignment


def refusal(*, post, action, cleaned_data):
    """Why publishing now can't submit the chosen assignment (a message), or None."""
    assignment = cleaned_data.get("assignment")
    if assignment is None or action not in ACTIONS_THAT_PUBLISH:
        return None
    if Submission.objects.filter(post_id=post.pk).exclude(submitted_at=None).exists():
        return None
    # Scheduled: submitted when it goes live, so judged at that time (post.published_at).
    when = post.published_at if action == "schedule" else None
    try:
        services.check_submission(assignment=assignment, student=post.author, when=when)
    except services.SubmissionRefused as error:
        return error.messages[0]
    return None


def save(*, post, cleaned_data):
    """After the post is saved: record its choice, and submit it if it is published."""
    assignment = cleaned_data.get("assignment")
    services.choose_assignment(post=post, assignment=assignment)
    if assignment is not None and post.is_published:
        services.submit(assignment=assignment, post=post)


def note(*, post, action, cleaned_data):
    """After "Publish": that the post was also submitted, and whether on time, late, or
    on time thanks to an extension (with the due time it was held to)."""
    if action == "schedule" and cleaned_data.get("assignment") is not None:
        return scheduled_note(post=post, assignment=cleaned_data["assignment"])
    if action != "publish" or cleaned_data.get("assignment") is None:
        return None
    submission = (
        Submission.objects.filter(post=post).exclude(submitted_at=None).select_related("assignment")
    ).first()
    if submission is None:
        return None
    assignment = submission.assignment
    extension = Extension.objects.filter(assignment=assignment, student_id=post.author_id).first()
    due = due_text(assignment.due_for(extension), course_zone(post.course))
    title = assignment.title
    if submission.is_late:
        until = f"your extension was until {due}" if extension else f"it was due {due}"
        return f"It is also submitted to “{title}”, late: {until}."
    if extension:
        return f"It is also submitted to “{title}”, on time with your extension (due {due})."
    return f"It is also submitted to “{title}”, on time (due {due})."


def scheduled_note(*, post, assignment):
    """After "Schedule": when it is submitted, and whether that will be on time."""
    extension = Extension.objects.filter(assignment=assignment, student_id=post.author_id).first()
    due = due_text(assignment.due_for(extension), course_zone(post.course))
    late = post.published_at > assignment.due_for(extension)
    timing = "late: it goes live after the due time" if late else "on time"
    return (
        f"It is submitted to “{assignment.title}” when it goes live, {timing} (due {due}). "
        "Until then it is not submitted."
    )
