"""What assignments add to blog's pages (registered in AssignmentsConfig.ready)."""

from assignments.forms import FeedbackForm
from assignments.models import Feedback, Submission


def feedback_context(request, post, *, next_url):
    """The private feedback thread and its form, for those who may see it."""
    if not post.can_see_feedback(request.user):
        return {}
    return {
        "feedback_thread": list(Feedback.objects.for_post(post).with_author()),
        "feedback_form": FeedbackForm(),
        "feedback_post": post,
        "feedback_next": next_url,
    }


def post_feedback_part(request, post):
    """The post page's private part: the author's grade and the feedback thread."""
    context = feedback_context(request, post, next_url=post.get_absolute_url())
    if not context:
        return {}
    submission = (
        Submission.objects.filter(post=post)
        .select_related("assignment", "grade")
        .prefetch_related("grade__levels__criterion")
        .first()
    )
    return {**context, "post_submission": submission}
