"""Writes for comments and comment likes (docs/style.md, Where logic lives)."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import ngettext

from blog import versions
from blog.models import Course, Post
from blog.services import set_like
from comments.models import Comment, CommentLike
from comments.signals import comment_approved, comment_posted

FLOOD_MESSAGE = "You are commenting too quickly. Please wait a few seconds and post again."
DUPLICATE_MESSAGE = "It looks as though you’ve already said that."
MODERATION = {
    "approve": Comment.Status.APPROVED,
    "spam": Comment.Status.SPAM,
    "remove": Comment.Status.REMOVED,
}


def flood_key(*, user, ip, email):
    """Cache key for flood control. Guests are known by IP and email, hashed: the
    address lives only in the cache, for the flood interval, and never in a row."""
    if user.is_authenticated:
        return f"comments:flood:user:{user.pk}"
    digest = hashlib.sha256(f"{ip}|{(email or '').lower()}".encode()).hexdigest()
    return f"comments:flood:guest:{digest}"


def check_flood(*, user, ip, email):
    interval = settings.COMMENT_FLOOD_INTERVAL
    if interval and not cache.add(flood_key(user=user, ip=ip, email=email), 1, interval):
        raise ValidationError(FLOOD_MESSAGE, code="flood")


def target_changed(target):
    """Bump the versions of the page a comment is on (a post's, or a course page's)."""
    if isinstance(target, Post):
        versions.changed(post=target)
    else:
        versions.changed(page=target)


@transaction.atomic
def post_comment(
    *,
    post=None,
    page=None,
    user,
    body,
    ip="",
    parent_id=None,
    guest_name="",
    guest_email="",
    guest_website="",
    notify=False,
):
    """Post `body` on `post` (or on a course `page`: one of them) as `user`, or (user
    anonymous) as the guest named.

    Replies deeper than the course allows are attached to the deepest allowed
    ancestor. Members' comments are approved; everyone else's wait for a moderator.
    `notify` asks for email about follow-ups. Raises ValidationError for a duplicate
    or for posting too fast.
    """
    target = post if post is not None else page
    comment = Comment(body=body)
    comment.target = target
    if user.is_authenticated:
        comment.author = user
    else:
        comment.guest_name, comment.guest_email = guest_name, guest_email
        comment.guest_website = guest_website
    thread = Comment.objects.for_target(target)
    course = target.course
    comment.parent_id = thread.deepest_allowed_parent_id(parent_id, depth=course.thread_depth)
    if course.holds_comments_of(user):
        comment.status = Comment.Status.PENDING
    mine = (
        thread.filter(author=user)
        if user.is_authenticated
        else thread.by_guest(comment.guest_email)
    )
    if mine.exclude(status=Comment.Status.REMOVED).filter(body=comment.body).exists():
        raise ValidationError(DUPLICATE_MESSAGE, code="duplicate")
    check_flood(user=user, ip=ip, email=comment.guest_email)
    comment.save()
    target_changed(target)
    comment_posted.send(sender=Comment, comment=comment, notify=bool(notify))
    return comment


def comments_count(n):
    """ "1 comment", "3 comments": for messages about moderation."""
    return ngettext("%(n)d comment", "%(n)d comments", n) % {"n": n}


@transaction.atomic
def like_comment(*, comment, user, liked=True):
    versions.likes_changed(post=comment.target)
    return set_like(model=CommentLike, user=user, liked=liked, comment=comment)


@transaction.atomic
def edit_comment(*, comment, body):
    """The author rewrites their comment (marked as edited)."""
    comment.edit(body)
    target_changed(comment.target)


@transaction.atomic
def withdraw_comment(*, comment):
    """The author deletes their comment (its place stays while replies need it)."""
    comment.withdraw()
    target_changed(comment.target)


@transaction.atomic
def moderate_comments(*, comments, action):
    """Approve, mark as spam or remove the given comments; returns how many changed.

    Each held comment that becomes approved is announced with ``comment_approved``.
    """
    status = MODERATION[action]
    changing = list(comments.exclude(status=status).select_for_update(of=("self",)))
    Comment.objects.filter(pk__in=[c.pk for c in changing]).update(status=status)
    versions.changed(posts=Post.objects.filter(comments__in=[c.pk for c in changing]))
    page_ids = {c.page_id for c in changing if c.page_id is not None}
    if page_ids:  # comments on course pages (rare in a batch: usually none)
        for page in Comment.page.field.related_model.objects.filter(pk__in=page_ids):
            versions.changed(page=page)
    if status == Comment.Status.APPROVED:
        for comment in changing:
            if comment.status in (Comment.Status.PENDING, Comment.Status.SPAM):
                comment.status = status
                comment_approved.send(sender=Comment, comment=comment)
    return len(changing)


@transaction.atomic
def reply_from_queue(*, comment, user, body, ip=""):
    """A moderator approves a held comment and replies to it, in one step (WordPress's
    "Approve and Reply"). Raises ValidationError as ``post_comment`` does, and then
    approves nothing."""
    moderate_comments(comments=Comment.objects.filter(pk=comment.pk), action="approve")
    return post_comment(
        post=comment.post, page=comment.page, user=user, body=body, ip=ip, parent_id=comment.pk
    )


def commenter_changed(sender, user, **kwargs):
    """accounts' profile_changed: the courses where the person has commented."""
    versions.changed(
        courses=Course.objects.filter(
            Q(posts__comments__author=user) | Q(pages__comments__author=user)
        )
    )
