"""Writes that span models or have side effects (see STYLE.md)."""

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from awards.models import AwardGrant
from awards.signals import award_granted


@transaction.atomic
def grant_award(*, award, post, granted_by, citation=""):
    """Give award to post and announce it (``award_granted``: the author is notified).

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
    """Tell other apps (notifications) about a new grant, inside its transaction."""
    award_granted.send(sender=AwardGrant, grant=grant)


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
