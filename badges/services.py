"""Writes that span models or have side effects (docs/architecture.md)."""

from django.db import transaction
from django.utils import timezone

from badges.models import Credential, SigningKey


def allocate_credential(*, grant):
    """The grant's credential row: one INSERT in the grant's transaction, no signing
    (credentials are signed when the student asks for one)."""
    return Credential.objects.create(grant=grant, recipient_id=grant.post.author_id)


def ensure_credentials(*, grants):
    """Credential rows for grants made without ``grant_award`` (the demo, old grants)."""
    have = set(Credential.objects.filter(grant__in=grants).values_list("grant_id", flat=True))
    Credential.objects.bulk_create(
        Credential(grant=grant, recipient_id=grant.post.author_id)
        for grant in grants
        if grant.pk not in have
    )


@transaction.atomic
def revoke_credentials(*, grants):
    """Revoke the credentials of these grants: their bits in the status list are set
    (the list is signed again when next asked for, since what it contains changed)."""
    Credential.objects.filter(grant__in=[g.pk for g in grants], revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def revoke_credentials_of(*, user):
    """Revoke every credential a person holds: what erasing them (under the privacy
    rules) calls, before their rows go. Their credentials stop verifying; the rows stay,
    without them, so the status list keeps saying so."""
    Credential.objects.filter(recipient=user).filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    Credential.objects.filter(recipient=user).update(recipient=None)


@transaction.atomic
def rotate_key():
    """Retire the signing key and make a new one. The old one stays published, so what
    it signed still verifies; new credentials are signed with the new one."""
    SigningKey.objects.filter(retired_at__isnull=True).update(retired_at=timezone.now())
    return SigningKey.generate()
