"""Grades back to the LMS (Assignment and Grade Services, docs/lti.md): an assignment's
line item, and each grade sent as a score from the task queue once the grading
transaction commits, retried with growing waits, its state kept in ScoreSend for the
pages that show whether the LMS has it."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from lti import tokens
from lti.errors import ServiceError
from lti.models import Identity, LineItem, ScoreSend

logger = logging.getLogger("commonplace.lti")
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
COMMENT_LINES = 3


def create_line_item(*, assignment, context):
    """The assignment's column in the LMS course's grade book (made once)."""
    existing = LineItem.objects.filter(assignment=assignment).first()
    if existing is not None:
        return existing
    if not context.lineitems_url:
        raise ServiceError("This LMS course offers no grade book service.")
    maximum = assignment.max_points
    if maximum is None:
        raise ServiceError("This assignment has no points to send.")
    from pylti1p3.assignments_grades import AssignmentsGradesService
    from pylti1p3.exception import LtiException
    from pylti1p3.lineitem import LineItem as LibraryLineItem

    service = AssignmentsGradesService(
        tokens.connector(context.platform),
        {"scope": [LINEITEM_SCOPE], "lineitems": context.lineitems_url},
    )
    try:
        wanted = LibraryLineItem().set_score_maximum(float(maximum))
    except LtiException as error:
        raise ServiceError("The LMS takes only assignments with points.") from error
    wanted.set_label(assignment.title).set_resource_id(f"assignment-{assignment.pk}")
    try:
        url = service.create_lineitem(wanted.set_tag("commonplace")).get_id()
    except LtiException as error:
        raise ServiceError("The LMS did not say which line item it made.") from error
    if not url:
        raise ServiceError("The LMS did not say which line item it made.")
    return LineItem.objects.create(assignment=assignment, context=context, url=url)


def _comment(post):
    from assignments.models import Feedback

    latest = (
        Feedback.objects.filter(post=post)
        .exclude(author_id=post.author_id)
        .order_by("-created")
        .values_list("body", flat=True)
        .first()
    )
    if not latest:
        return None
    return "\n".join(latest.strip().splitlines()[:COMMENT_LINES])[:1000]


def score(*, line_item, user, sub):
    """The score as pylti1p3's Grade (the library posts it to the line item's scores)."""
    from pylti1p3.grade import Grade as Score

    body = score_body(line_item=line_item, user=user, sub=sub)
    value = (
        Score()
        .set_user_id(body["userId"])
        .set_timestamp(body["timestamp"])
        .set_activity_progress(body["activityProgress"])
        .set_grading_progress(body["gradingProgress"])
    )
    if "scoreGiven" in body:
        value.set_score_given(body["scoreGiven"]).set_score_maximum(body["scoreMaximum"])
    if "comment" in body:
        value.set_comment(body["comment"])
    return value


def score_body(*, line_item, user, sub):
    """The score as it is now: the student's grade on the assignment, or none yet."""
    from assignments.models import Grade

    assignment = line_item.assignment
    grade = (
        Grade.objects.select_related("submission__post")
        .filter(submission__assignment=assignment, submission__post__author=user)
        .first()
    )
    body = {
        "userId": sub,
        "timestamp": timezone.now().isoformat(timespec="milliseconds"),
        "activityProgress": "Completed" if grade else "Initialized",
        "gradingProgress": "FullyGraded" if grade else "NotReady",
    }
    if grade is not None:
        body["scoreGiven"] = float(grade.points)
        body["scoreMaximum"] = float(assignment.max_points or grade.points)
        comment = _comment(grade.submission.post)
        if comment:
            body["comment"] = comment
    return body


def queue_score(*, assignment, user):
    """After the commit, send `user`'s grade for `assignment` if it has a line item and
    the student came from that LMS. Marks it waiting now, so the pages say so."""
    line_item = LineItem.objects.select_related("context").filter(assignment=assignment).first()
    if line_item is None:
        return None
    if not Identity.objects.filter(platform_id=line_item.context.platform_id, user=user).exists():
        return None
    send, _ = ScoreSend.objects.update_or_create(
        line_item=line_item,
        user=user,
        defaults={
            "status": ScoreSend.Status.WAITING,
            "reason": "",
            "attempts": 0,
            "updated": timezone.now(),
        },
    )
    transaction.on_commit(lambda: send_score.enqueue(send_id=send.pk))
    return send


def backoff(attempt):
    """The wait before attempt `attempt + 1`: LTI_SCORE_RETRY_DELAY, doubling."""
    return timedelta(seconds=settings.LTI_SCORE_RETRY_DELAY * 2 ** (attempt - 1))


@task()
def send_score(send_id):
    send = (
        ScoreSend.objects.select_related("line_item__context__platform", "line_item__assignment")
        .filter(pk=send_id)
        .first()
    )
    if send is None:
        return "gone"
    line_item = send.line_item
    platform = line_item.context.platform
    sub = (
        Identity.objects.filter(platform=platform, user_id=send.user_id)
        .values_list("sub", flat=True)
        .first()
    )
    attempt = send.attempts + 1
    from pylti1p3.assignments_grades import AssignmentsGradesService
    from pylti1p3.exception import LtiException
    from pylti1p3.lineitem import LineItem as LibraryLineItem

    service = AssignmentsGradesService(tokens.connector(platform), {"scope": [SCORE_SCOPE]})
    try:
        service.put_grade(
            score(line_item=line_item, user=send.user, sub=sub),
            LibraryLineItem().set_id(line_item.url),
        )
    except ServiceError as error:
        return _failed(send, attempt, str(error))
    except LtiException as error:  # a score the library won't send (negative points)
        return _failed(send, settings.LTI_SCORE_ATTEMPTS, f"Not sent: {error}")
    ScoreSend.objects.filter(pk=send.pk).update(
        status=ScoreSend.Status.SENT, reason="", attempts=attempt, updated=timezone.now()
    )
    return "sent"


def _failed(send, attempt, reason):
    limit = settings.LTI_SCORE_ATTEMPTS
    final = attempt >= limit
    status = ScoreSend.Status.FAILED if final else ScoreSend.Status.WAITING
    ScoreSend.objects.filter(pk=send.pk).update(
        status=status, reason=reason[:300], attempts=attempt, updated=timezone.now()
    )
    if final:
        logger.error("Gave up sending score %s after %d attempts: %s", send.pk, attempt, reason)
        return "failed"
    logger.warning("Score %s not sent (attempt %d of %d): %s", send.pk, attempt, limit, reason)
    retry = send_score
    if send_score.get_backend().supports_defer:
        retry = send_score.using(run_after=timezone.now() + backoff(attempt))
    retry.enqueue(send_id=send.pk)
    return "retrying"


def send_again(*, send):
    """ "Send again" on a failed (or any) score: a fresh start of its attempts."""
    ScoreSend.objects.filter(pk=send.pk).update(
        status=ScoreSend.Status.WAITING, reason="", attempts=0, updated=timezone.now()
    )
    transaction.on_commit(lambda: send_score.enqueue(send_id=send.pk))


def status_figures(post_ids):
    """The LMS column beside each response (config.hooks.RESPONSE_FIGURES): one query."""
    from assignments.models import Submission

    rows = Submission.objects.filter(
        post_id__in=post_ids, assignment__lti_line_item__sends__user_id=F("post__author_id")
    ).values_list(
        "post_id",
        "assignment__lti_line_item__sends__status",
        "assignment__lti_line_item__sends__reason",
    )
    return {
        post_id: f"{status}: {reason}" if reason else status for post_id, status, reason in rows
    }


def gradebook_marks(request, course, assignments):
    """Whether the LMS has each grade, for the course gradebook's cells
    (config.hooks.GRADEBOOK_MARKS): one query; nothing for those who may not grade."""
    if not course.can_grade(request.user):
        return None
    rows = ScoreSend.objects.filter(line_item__assignment__in=assignments).values(
        "pk", "status", "reason", "user_id", "line_item__assignment_id"
    )
    labels = dict(ScoreSend.Status.choices)
    return {
        (row["line_item__assignment_id"], row["user_id"]): {
            "pk": row["pk"],
            "status": row["status"],
            "label": labels.get(row["status"], row["status"]),
            "reason": row["reason"],
        }
        for row in rows
    }
