"""Writes that span models or have side effects (see STYLE.md)."""

import logging

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from awards.models import AwardGrant

logger = logging.getLogger(__name__)


@transaction.atomic
def grant_award(*, award, post, granted_by, citation=""):
    """Give award to post and tell the author once the grant is committed.

    Raises ValidationError (codes: retired, other_course, draft, duplicate) when the
    award can't go to this post, including when a concurrent grant won the race.
    """
    award.check_grantable(post)
    try:
        with transaction.atomic():
            grant = AwardGrant.objects.create(
                award=award, post=post, granted_by=granted_by, citation=citation.strip()
            )
    except IntegrityError:
        award.check_grantable(post)  # now raises "duplicate"
        raise
    announce_grant(grant=grant)
    return grant


def announce_grant(*, grant):
    """Email the post's author after the surrounding transaction commits."""
    transaction.on_commit(lambda: email_author(grant_id=grant.pk))


def email_author(*, grant_id):
    """Send the "your post received an award" email. Never raises: failures are logged."""
    try:
        grant = (
            AwardGrant.objects.select_related("award", "post__author", "post__course", "granted_by")
            .filter(pk=grant_id)
            .first()
        )
        if grant is None or not grant.post.author.email:
            return
        context = {
            "grant": grant,
            "award": grant.award,
            "post": grant.post,
            "author": grant.post.author,
            "post_url": _absolute(grant.post.get_absolute_url() + "#awards"),
            "site_name": settings.SITE_NAME,
        }
        subject = render_to_string("awards/email/award_granted_subject.txt", context)
        body = render_to_string("awards/email/award_granted_body.txt", context)
        send_mail(" ".join(subject.split()), body, None, [grant.post.author.email])
    except Exception:
        logger.exception("Could not email the author about award grant %s", grant_id)


def _absolute(path):
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


@transaction.atomic
def save_award(*, form):
    """Save a valid AwardForm (its instance has its course set); a replaced or removed
    emblem image is deleted from storage once the transaction has committed."""
    old_image = form.initial.get("image")
    award = form.save()
    if old_image and old_image != award.image:
        name = old_image.name
        transaction.on_commit(lambda: default_storage.delete(name))
    return award
