"""A person signing in with a verified email takes over the placeholder account an
import made for that address: its posts, comments and course memberships become theirs.

Works for every way in (local sign-in, WordPress.com, Facebook): allauth sends
``user_logged_in`` for each, and ``email_confirmed`` when an address is verified later.
"""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_logged_in
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver

from blog import versions
from blog.models import Course, Membership, Post
from comments.models import Comment
from imports.models import ImportedItem, Placeholder


def claim_placeholders(user):
    """Move every placeholder's work whose address `user` has verified; returns how many.
    Staff accounts never take over a placeholder: an imported file's words never become
    a site admin's."""
    if user.is_staff or user.is_superuser:
        return 0
    emails = [
        e
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
        if e
    ]
    if not emails:
        return 0
    match = Q()
    for email in emails:
        match |= Q(email__iexact=email)
    claimed = 0
    with transaction.atomic():
        for holder in Placeholder.objects.filter(match).exclude(user=user).select_related("user"):
            old = holder.user
            versions.person_changed(sender=None, user=old)  # their posts and comments
            versions.changed(courses=Course.objects.filter(posts__comments__author=old))
            Post.objects.filter(author=old).update(author=user)
            Comment.objects.filter(author=old).update(author=user)
            mine = set(Membership.objects.filter(user=user).values_list("course_id", flat=True))
            Membership.objects.filter(user=old).exclude(course_id__in=mine).update(user=user)
            ImportedItem.objects.filter(kind=ImportedItem.Kind.USER, object_id=old.pk).update(
                object_id=user.pk, created=False
            )
            old.delete()
            claimed += 1
    return claimed


@receiver(user_logged_in, dispatch_uid="imports_claim_on_login")
def _claim_on_login(sender, request, user, **kwargs):
    claim_placeholders(user)


@receiver(email_confirmed, dispatch_uid="imports_claim_on_confirm")
def _claim_on_confirm(sender, request, email_address, **kwargs):
    claim_placeholders(email_address.user)
