"""What assignments add to blog's pages (registered in AssignmentsConfig.ready)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import prefetch_related_objects
from django.utils import timezone

from assignments.forms import FeedbackForm
from assignments.models import Assignment, Extension, Feedback, Submission
from assignments.times import course_zone, due_text, reader_zone
from blog.models import Course, Role

RECENT = timedelta(days=21)  # how far back "missing" looks
UPCOMING_SHOWN = 5


@dataclass
class DueItem:
    assignment: Assignment
    due_text: str
    window: str
    extended: bool


def feedback_context(request, post, *, next_url):
    """The private feedback thread and its form, for those who may see it."""
    if not post.can_see_feedback(request.user):
        return {}
    return {
        "feedback_thread": list(Feedback.objects.for_post(post).with_author()),
        "feedback_form": FeedbackForm() if post.can_write_feedback(request.user) else None,
        "feedback_post": post,
        "feedback_next": next_url,
    }


def post_feedback_part(request, post):
    """The post page's private part: the author's grade and the feedback thread."""
    context = feedback_context(request, post, next_url=post.get_absolute_url())
    if not context:
        return None  # not shown: the thread is private
    # Joined by the post page's query (with_submission); a missing one raises
    # RelatedObjectDoesNotExist, an AttributeError.
    submission = getattr(post, "submission", None)
    grade = getattr(submission, "grade", None)
    if grade is not None:
        prefetch_related_objects([grade], "levels__criterion")
    return {**context, "post_submission": submission}


def with_submission(posts, reader):
    """Post page loader: the post's submission, its assignment and grade, joined."""
    return posts.select_related("submission__assignment", "submission__grade")


def whats_due(request, obj=None):
    """The home page's "What's due" for a signed-in student: the next deadlines of their
    courses and what is missing (past due, not submitted). Four queries."""
    user = request.user
    if not user.is_authenticated:
        return None
    now = timezone.now()
    courses = Course.objects.filter(memberships__user=user, memberships__role=Role.STUDENT)
    assignments = list(
        Assignment.objects.filter(course__in=courses, due_at__gte=now - RECENT)
        .select_related("course")
        .in_order()
    )
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
