"""Writes for notifications (docs/style.md). Called by the receivers inside the
transaction of the event they react to; emails leave only after it commits."""

from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction

from blog.models import TEACHING_ROLES, Membership, Post
from comments.models import Comment, target_field
from notifications import tasks
from notifications.models import GuestSubscription, Notification


@transaction.atomic
def notify_comment_posted(*, comment, notify=False):
    """A new comment: approved, its discussion hears of it; held, only the course's
    instructors do. A commenter who asked to be notified now follows the post."""
    comment = _load(comment)
    if notify:
        follow_post(comment=comment)
    if comment.is_approved:
        _notify_discussion(comment)
    elif comment.status == Comment.Status.PENDING:
        _notify_moderators(comment)


@transaction.atomic
def notify_comment_approved(*, comment):
    """A held comment was approved: the "awaits moderation" notices are done with, and
    the discussion hears of it as if it had just been posted."""
    comment = _load(comment)
    Notification.objects.about(comment).filter(kind=Notification.Kind.COMMENT_PENDING).mark_read()
    _notify_discussion(comment)


@transaction.atomic
def notify_award_granted(*, grant):
    """The author of the awarded post, unless they granted it themself."""
    post = grant.post
    if grant.granted_by_id == post.author_id:
        return
    _notify(
        [(post.author_id, Notification.Kind.AWARD_RECEIVED)],
        post=post,
        grant=grant,
        actor_name=grant.granted_by.name if grant.granted_by_id else "",
    )


@transaction.atomic
def notify_feedback(*, feedback):
    """Private feedback: from an instructor, a teaching assistant (or staff), its post's
    author hears of it; from the author, the course's teachers do. Nobody else, ever."""
    post = feedback.post
    if feedback.author_id == post.author_id:
        recipients = (
            post.course.teachers().exclude(pk=feedback.author_id).values_list("pk", flat=True)
        )
    else:
        recipients = [post.author_id]
    _notify(
        [(pk, Notification.Kind.FEEDBACK) for pk in recipients],
        post=post,
        feedback=feedback,
        actor_name=feedback.author.name,
    )


@transaction.atomic
def notify_graded(*, grade, regraded=False):
    """A grade, new or changed: the response's author hears of it (never the points, which
    only those who may see the post's feedback read), unless they graded it themself."""
    post = grade.submission.post
    if grade.grader_id == post.author_id:
        return
    kind = Notification.Kind.GRADE_CHANGED if regraded else Notification.Kind.GRADE
    _notify(
        [(post.author_id, kind)],
        post=post,
        actor_name=grade.grader.name if grade.grader_id else "",
    )


@transaction.atomic
def notify_post_live(*, post):
    """The author of a scheduled post that just went live (blog/scheduling.py sends it
    once, from the one worker that published it)."""
    _notify([(post.author_id, Notification.Kind.POST_LIVE)], post=post)


def notify_announcement(*, post, pinned_by):
    """A post newly pinned as an announcement: every member of its course who may read
    it hears of it, but the one who pinned it."""
    members = Membership.objects.filter(course_id=post.course_id).exclude(user_id=pinned_by.pk)
    if post.visibility == Post.Visibility.INSTRUCTORS:
        members = members.filter(role__in=TEACHING_ROLES)
    _notify(
        [(pk, Notification.Kind.ANNOUNCEMENT) for pk in members.values_list("user_id", flat=True)],
        post=post,
        actor_name=pinned_by.name,
    )


def remind_due(*, reminder):
    """Email a student that an assignment is due soon (once the reminder is committed)."""
    transaction.on_commit(
        partial(tasks.send_due_reminder_email.enqueue, reminder_id=reminder.pk), robust=True
    )


def follow_post(*, comment):
    """Subscribe the commenter (a guest, or a user by their address) to follow-up
    comments on the whole post. None when there is no address to write to."""
    email = (comment.author.email if comment.author_id else comment.guest_email).lower()
    if not email or comment.is_on_page:  # follow-ups by email follow posts only
        return None
    subscription, _ = GuestSubscription.objects.get_or_create(
        email=email, post=comment.post, root=None, defaults={"comment": comment}
    )
    return subscription


def _load(comment):
    return Comment.objects.select_related(
        "post__course", "post__author", "page__course", "parent__author", "author"
    ).get(pk=comment.pk)


def _notify_discussion(comment):
    """The parent's author (a reply), the post's (or course page's) author (any comment;
    their "New comments on my posts" switch says whether by email too) and the guests who
    follow the thread; never the commenter, never twice for one comment."""
    recipients = {}
    if comment.parent_id and comment.parent.author_id:
        recipients[comment.parent.author_id] = Notification.Kind.REPLY_TO_COMMENT
    if comment.target.author_id:  # a page's author may have left (SET_NULL)
        recipients.setdefault(comment.target.author_id, Notification.Kind.COMMENT_ON_POST)
    recipients.pop(comment.author_id, None)
    for user_id in Notification.objects.about(comment).values_list("recipient_id", flat=True):
        recipients.pop(user_id, None)
    _notify(
        recipients.items(), post=comment.target, comment=comment, actor_name=comment.name_shown_to
    )
    if not comment.is_on_page:  # nobody follows a page by email (follow_post)
        _email_guest_followers(comment, notified=recipients.keys())


def _notify_moderators(comment):
    teachers = comment.course.teachers().exclude(pk=comment.author_id)
    moderators = teachers.values_list("pk", flat=True)
    _notify(
        [(pk, Notification.Kind.COMMENT_PENDING) for pk in moderators],
        post=comment.target,
        comment=comment,
        actor_name=comment.name_shown_to,
    )


def _notify(recipients, *, post, actor_name="", **fields):
    """One notification per (user id, kind) to each who may read the post (or course
    page: Comment.target) now (Post.can_read: a commenter on a post since narrowed to
    instructors only hears nothing of it), each emailed once the transaction commits.
    ``actor_name`` is a name, or a function of the recipient that answers the name they
    see (a commenter's public name for someone outside the course: Comment.name_shown_to)."""
    recipients = list(recipients)
    ids = [user_id for user_id, _ in recipients]
    users = get_user_model().objects.in_bulk(ids)
    roles = dict(  # one query for everyone's role: can_read asks no more
        Membership.objects.filter(course_id=post.course_id, user_id__in=ids).values_list(
            "user_id", "role"
        )
    )
    for user in users.values():
        post.course.remember_role(user, roles.get(user.pk))
    for user_id, kind in recipients:
        if user_id not in users or not post.can_read(users[user_id]):
            continue
        user = users[user_id]
        notification = Notification.objects.create(
            recipient=user,
            kind=kind,
            **{target_field(post): post},
            actor_name=actor_name(user) if callable(actor_name) else actor_name,
            **fields,
        )
        transaction.on_commit(
            partial(tasks.send_notification_email.enqueue, notification_id=notification.pk),
            robust=True,
        )


def _email_guest_followers(comment, *, notified=()):
    """Email the followers of the post (or of the comment's thread), except the commenter
    and people who were just notified of it anyway (their email comes with that)."""
    root_id = Comment.objects.for_post(comment.post).thread_root_id(comment.pk)
    followers = (
        GuestSubscription.objects.for_thread(comment.post, root_id)
        .confirmed()
        .exclude(comment=comment)
        .excluding_email(comment.guest_email)
        .excluding_email(comment.author.email if comment.author_id else "")
    )
    emailed = {
        email.lower()
        for email in get_user_model()
        .objects.filter(pk__in=list(notified))
        .values_list("email", flat=True)
    }
    for subscription in followers:
        if subscription.email.lower() not in emailed:
            emailed.add(subscription.email.lower())
            transaction.on_commit(
                partial(
                    tasks.send_guest_email.enqueue,
                    subscription_id=subscription.pk,
                    comment_id=comment.pk,
                ),
                robust=True,
            )
