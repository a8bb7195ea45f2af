"""Checking a credential this site issued: its proof (eddsa-rdfc-2022, by one of the
issuer's keys, retired ones included) and its revocation status."""

import re
import uuid
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime

from badges import credentials, signing
from badges.jsonld import UnknownContext
from badges.models import STATUS_LIST_SIZE, Credential, SigningKey

VALID, REVOKED, TAMPERED, UNKNOWN = "valid", "revoked", "tampered", "unknown"
MESSAGES = {
    VALID: "Valid: this Open Badge credential was issued by this site, nothing in it has "
    "changed since, and it has not been revoked.",
    REVOKED: "Revoked: this credential was issued by this site, but the award has since "
    "been taken back, so it no longer counts.",
    TAMPERED: "Not valid: the credential's signature doesn't match its contents. It was "
    "changed after it was issued, or it was never issued by this site.",
    UNKNOWN: "Not checked: this credential was not issued by this site (or not by a key "
    "it knows), so it can't be checked here. Check it with its issuer.",
}


@dataclass
class Result:
    status: str
    summary: dict = field(default_factory=dict)

    @property
    def message(self):
        return MESSAGES[self.status]

    def as_json(self):
        summary = {k: v for k, v in self.summary.items() if k != "valid_from_date"}
        return {"status": self.status, "message": self.message, **summary}


def signing_key(document):
    """The issuer's key its proof names, or None when it names no key of ours."""
    proof = signing.the_proof(document)
    method = proof.get("verificationMethod") if proof is not None else None
    pattern = re.escape(credentials.absolute("/badges/keys/")) + r"(\d+)#key"
    match = re.fullmatch(pattern, method) if isinstance(method, str) else None
    if not match:
        return None
    return SigningKey.objects.filter(pk=int(match[1])).first()


def is_revoked(document):
    """Whether the credential's status entry (a list of this site) says revoked."""
    status = document.get("credentialStatus")
    if not isinstance(status, dict):
        return False
    pattern = re.escape(credentials.absolute("/badges/status/")) + r"(\d+)"
    match = re.fullmatch(pattern, str(status.get("statusListCredential", "")))
    index = str(status.get("statusListIndex", ""))
    if not match or not index.isdigit():
        return False
    number = int(match[1]) * STATUS_LIST_SIZE + int(index)
    return Credential.objects.filter(pk=number, revoked_at__isnull=False).exists()


def when(value):
    try:
        return parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None


def summary(document):
    """What a verifier is told: the badge, not the student."""
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    achievement = achievement if isinstance(achievement, dict) else {}
    issuer = document.get("issuer")
    return {
        "name": str(achievement.get("name", "")),
        "issuer": str(issuer.get("name", "") if isinstance(issuer, dict) else issuer or ""),
        "valid_from": str(document.get("validFrom", "")),
        "valid_from_date": when(document.get("validFrom")),
    }


def check(document):
    """The Result of checking a credential (a dict)."""
    key = signing_key(document)
    if key is None:
        return Result(UNKNOWN)
    from pyld.jsonld import JsonLdError

    try:
        intact = signing.verify(document, public_key=key.public())
    except (UnknownContext, JsonLdError, TypeError, ValueError, KeyError, AttributeError):
        intact = False
    if not intact:
        return Result(TAMPERED)
    return Result(REVOKED if is_revoked(document) else VALID, summary(document))


def credential_for_url(url):
    """The credential a URL of this site names (its uuid), as it is now, or None."""
    match = re.search(r"/badges/credentials/([0-9a-fA-F-]{32,36})", url or "")
    try:
        return credentials.load(uuid.UUID(match[1])) if match else None
    except ValueError:
        return None
