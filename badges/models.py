"""Open Badges 3.0 credentials for award grants (docs/badges.md).

The site is the issuer. It signs with an Ed25519 ``SigningKey`` (the newest one not
retired); retired keys stay, so credentials they signed still verify. Each grant has
one ``Credential`` row, made in the grant's transaction: its number is its place in the
revocation status list, and it outlives the grant so a revoked credential stays
revoked.
"""

import re
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from awards.models import AwardGrant
from badges import signing

# Bits in one status list: the Bitstring Status List minimum (16 KB), for privacy.
STATUS_LIST_SIZE = 131072
DID_PATTERN = r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$"


def new_salt():
    return secrets.token_hex(16)  # 32 hex digits


def validate_did(value):
    if not re.fullmatch(DID_PATTERN, value) or len(value) > 200:
        raise ValidationError(
            "Enter a DID, such as did:key:z6Mk… (it starts with did: and a method name).",
            code="did",
        )


class SigningKeyQuerySet(models.QuerySet):
    def current(self):
        """The key that signs now: the newest not retired (None before the first)."""
        return self.filter(retired_at__isnull=True).order_by("-created", "-pk").first()


class SigningKey(models.Model):
    """An Ed25519 key pair of the issuer. Never deleted: old credentials name it."""

    private_key = models.BinaryField(editable=False)  # the 32-byte seed (raw)
    public_key_multibase = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = SigningKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Key {self.pk} ({self.public_key_multibase[:16]}…)"

    @classmethod
    def generate(cls):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
        )

        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return cls.objects.create(
            private_key=raw, public_key_multibase=signing.public_multibase(key.public_key())
        )

    def private(self):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(bytes(self.private_key))

    def public(self):
        return signing.public_key_from_multibase(self.public_key_multibase)


class Credential(models.Model):
    """The Open Badge credential of one grant, and the student's choices about it.

    ``pk`` is its place in the status lists: list ``pk // STATUS_LIST_SIZE``, bit
    ``pk % STATUS_LIST_SIZE``, allocated by the INSERT in the grant's transaction.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grant = models.OneToOneField(
        AwardGrant, on_delete=models.SET_NULL, null=True, blank=True, related_name="credential"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badge_credentials",
    )
    salt = models.CharField(max_length=32, default=new_salt, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    include_evidence = models.BooleanField(
        "name my post as evidence",
        default=False,
        help_text="Adds the post's address to the credential (only while the post is public).",
    )
    show_name = models.BooleanField(
        "show my name", default=False, help_text="Otherwise only a salted hash of your email."
    )
    recipient_did = models.CharField(
        "my DID",
        max_length=200,
        blank=True,
        validators=[validate_did],
        help_text="Optional: identify yourself by a DID from your wallet instead of your email.",
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Credential {self.uuid}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def status_list(self):
        return self.pk // STATUS_LIST_SIZE

    @property
    def status_index(self):
        return self.pk % STATUS_LIST_SIZE

    def can_view(self, user):
        """Only the student the award went to gets their credential."""
        return (
            user.is_authenticated
            and self.recipient_id == user.pk
            and not self.is_revoked
            and self.grant_id is not None
        )
