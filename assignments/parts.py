"""What assignments add to blog's pages (registered in AssignmentsConfig.ready)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language

from assignments.forms import FeedbackForm
from assignments.models import Assignment, Extension, Feedback, Submission
from assignments.times import course_zone, due_text, reader_zone
from blog.models import Course, Role
from config.db import DirectQuery, PreparedQuery

RECENT = timedelta(days=21)  # how far back "missing" looks
UPCOMING_SHOWN = 5


@dataclass
class DueItem:
    assignment: Assignment
    due_text: str
    window: str
    extended: bool


def _feedback_thread(post_id):
    return Feedback.objects.filter(post_id=post_id).with_author()


# The post page's private part asks it on every hit of its author: compiled once.
FEEDBACK_THREAD = PreparedQuery(_feedback_thread, post_id=-730_113_591)


def blank_feedback_form():
    """The empty feedback form's HTML, as crispy draws it: the same for every reader
    (no data, no errors; its CSRF token is the enclosing form's), so drawn once per
    process and language rather than on every hit of a page that shows it."""
    return _blank_feedback_form(get_language())


@lru_cache(maxsize=8)
def _blank_feedback_form(language):
    return as_crispy_form(FeedbackForm())


def feedback_context(request, post, *, next_url, has_feedback=True):
    """The private feedback thread and its form, for those who may see it (no query
    for the thread when the caller knows it is empty: ``has_feedback`` False)."""
    if not post.can_see_feedback(request.user):
        return {}
    writes = post.can_write_feedback(request.user)
    return {
        "feedback_thread": FEEDBACK_THREAD.all(post_id=post.pk) if has_feedback else [],
        "feedback_form": FeedbackForm() if writes else None,
        # Called by the template when it draws the form (as the form's own filter was).
        "feedback_form_html": blank_feedback_form if writes else None,
        "feedback_post": post,
        "feedback_next": next_url,
    }


def post_feedback_part(request, post):
    """The post page's private part: the author's grade and the feedback thread."""
    # Asked before the post's URL is worked out (reverse() is most of what this part
    # costs a reader who doesn't see it, which most readers of a post are).
    if not post.can_see_feedback(request.user):
        return None  # not shown: the thread is private
    context = feedback_context(
        request,
        post,
        next_url=post.get_absolute_url(),
        has_feedback=getattr(post, "has_feedback", True),
    )
    # Joined by the post page's query (with_submission); a missing one raises
    # RelatedObjectDoesNotExist, an AttributeError.
    submission = getattr(post, "submission", None)
    grade = getattr(submission, "grade", None)
    if grade is not None:
        prefetch_related_objects([grade], "levels__criterion")
    return {**context, "post_submission": submission}


def post_feedback_kept_by(request, post):
    """What the post page's private part shows, when it can be kept (``Part.kept_by``;
    None: drawn on every hit): a post with no feedback yet (``has_feedback``, which
    came with the post's row) and no grade (its levels are a query), seen by its
    author or a teacher. The part is then the same HTML for the same post names,
    submission, permission to write, language and time zone; its CSRF token is put
    back for each response (blog_tags.fill_part). Keeping it saves every hit of a
    post's author the thread's query and the template (docs/decisions.md)."""
    user = request.user
    if getattr(post, "has_feedback", True) or not post.can_see_feedback(user):
        return None
    submission = getattr(post, "submission", None)
    shown = None
    if submission is not None:
        assignment = submission.assignment
        if getattr(submission, "grade", None) is not None:
            return None
        if assignment.course_id != post.course_id:  # its URL would need its own course
            return None
        shown = (
            submission.pk,
            submission.submitted_at,
            submission.is_late,
            assignment.pk,
            assignment.slug,
            assignment.title,
            assignment.max_points,
        )
    return (
        post.pk,
        post.slug,
        post.course.slug,
        post.author.name,
        shown,
        post.can_write_feedback(user),
        get_language(),
        timezone.get_current_timezone_name(),
    )


def with_submission(posts, reader):
    """Post page loader: the post's submission, its assignment and grade, joined, and
    whether it has private feedback (so that a post without any costs its author no
    query for the thread)."""
    feedback = Feedback.objects.filter(post=OuterRef("pk"))
    return posts.select_related("submission__assignment", "submission__grade").annotate(
        has_feedback=Exists(feedback)
    )


def _recent_assignments(user_id, since):
    """The assignments of the courses where the reader is a student, due since ``since``,
    in order, with their course."""
    courses = Course.objects.filter(memberships__user=user_id, memberships__role=Role.STUDENT)
    return (
        Assignment.objects.filter(course__in=courses, due_at__gte=since)
        .select_related("course")
        .in_order()
    )


# Every signed-in hit of home asks it: compiled once (config.db).
RECENT_ASSIGNMENTS = DirectQuery(
    _recent_assignments, user_id=-730_113_581, since=datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)
)


def whats_due(request, obj=None):
    """The home page's "What's due" for a signed-in student: the next deadlines of their
    courses and what is missing (past due, not submitted). Four queries, the first
    compiled once."""
    user = request.user
    if not user.is_authenticated:
        return None
    now = timezone.now()
    assignments = RECENT_ASSIGNMENTS.all(user_id=user.pk, since=now - RECENT)
    if not assignments:
        return None
    submitted = set(
        Submission.objects.submitted()
        .filter(student=user, assignment__in=assignments)
        .values_list("assignment_id", flat=True)
    )
    extensions = {
        e.assignment_id: e
        for e in Extension.objects.filter(student=user, assignment__in=assignments)
    }
    mine = reader_zone(request)
    upcoming, missing = [], []
    for assignment in assignments:
        if assignment.pk in submitted:
            continue
        extension = extensions.get(assignment.pk)
        due = assignment.due_for(extension)
        item = DueItem(
            assignment=assignment,
            due_text=due_text(due, course_zone(assignment.course), mine, now=now),
            window=assignment.window_at(now, extension),
            extended=extension is not None,
        )
        if due >= now:
            upcoming.append(item)
        else:
            missing.append(item)
    if not (upcoming or missing):
        return None
    return {"due_upcoming": upcoming[:UPCOMING_SHOWN], "due_missing": missing}


def course_links(request, course):
    """The course sidebar's links, for members (and staff): those who grade have the
    gradebook in their tools; everyone else gets their own grades."""
    if course.role_of(request.user) is None:
        return None
    return {"show_my_grades": not course.can_see_gradebook(request.user)}


def if_grading(request, course):
    return {} if course.can_see_gradebook(request.user) else None
