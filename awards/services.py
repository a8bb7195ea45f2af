"""Writes that span models or have side effects (docs/style.md, Where logic lives)."""

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from awards.models import Award, AwardGrant
from awards.signals import award_granted
from blog import versions
from blog.models import Course


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
    versions.changed(post=post)
    announce_grant(grant=grant)
    return grant


@transaction.atomic
def revoke_award(*, grant):
    """Take an award back from a post."""
    grant.delete()
    versions.changed(posts=[grant.post])


def announce_grant(*, grant):
    """Tell other apps (notifications) about a new grant, inside its transaction."""
    award_granted.send(sender=AwardGrant, grant=grant)


# The award fields save_award sets.
AWARD_FIELDS = frozenset({"name", "description", "criteria", "symbol", "emoji", "image", "colour"})


@transaction.atomic
def save_award(*, award, **fields):
    """Save `award` (new or not; its course is set) with the given field values.

    ``image`` is a new emblem file, False to remove the emblem, or None to keep it. A
    replaced or removed emblem is deleted from storage once the transaction commits.
    """
    if unknown := set(fields) - AWARD_FIELDS:
        raise TypeError(f"save_award() got unexpected fields: {', '.join(sorted(unknown))}")
    old_image = Award.objects.filter(pk=award.pk).values_list("image", flat=True).first()
    image = fields.pop("image", None)
    for name, value in fields.items():
        setattr(award, name, value)
    if image is not None:
        Award._meta.get_field("image").save_form_data(award, image)
    award.save()
    versions.changed(courses=Course.objects.filter(pk=award.course_id))
    if old_image and old_image != award.image.name:
        transaction.on_commit(lambda: default_storage.delete(old_image))
    return award
