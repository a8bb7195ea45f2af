"""The JSON-LD documents badges publishes: the issuer's profile, its keys, each grant's
AchievementCredential and the revocation status lists (docs/badges.md).

Credentials are built when asked for, never at grant time, and kept in the cache under
a hash of what they contain (and the signing key), so a changed award, post or choice
of the student's makes a new one and an unchanged one is signed once.
"""

import base64
import datetime
import gzip
import hashlib
import json

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from badges import signing
from badges.jsonld import MULTIKEY_V1, OB_V3, VC_V2
from badges.models import STATUS_LIST_SIZE, Credential, SigningKey

CACHE_SECONDS = 60 * 60 * 24 * 7
# The issuer profile lists its keys under assertionMethod, a term neither the VC nor
# the Open Badges context defines at the top level.
ASSERTION_METHOD = {
    "assertionMethod": {
        "@id": "https://w3id.org/security#assertionMethod",
        "@type": "@id",
        "@container": "@set",
    }
}


def absolute(path):
    """An address on this site, stable whatever host a request came in by: credentials
    name it forever (SITE_DOMAIN, as in emails)."""
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{settings.SITE_DOMAIN}{path}"


def iso(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_id():
    return absolute(reverse("badges:issuer"))


def key_id(key):
    return absolute(reverse("badges:key", args=[key.pk])) + "#key"


def status_list_url(number):
    return absolute(reverse("badges:status_list", args=[number]))


def credential_url(credential):
    return absolute(reverse("badges:credential_json", args=[credential.uuid]))


def current_key():
    """The signing key, made on first use (``manage.py badge_keys rotate`` replaces it)."""
    return SigningKey.objects.current() or SigningKey.generate()


def issuer_summary():
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.SITE_NAME,
        "url": absolute("/"),
    }


def issuer_profile():
    """The issuer's Profile, with every key it ever signed with as an assertionMethod."""
    keys = list(SigningKey.objects.order_by("pk"))
    return {
        "@context": [VC_V2, OB_V3, ASSERTION_METHOD],
        **issuer_summary(),
        "description": f"{settings.SITE_NAME} issues Open Badges for the awards its "
        "instructors give to students' posts.",
        "assertionMethod": [key_id(key) for key in keys],
    }


def key_document(key):
    """A key as a Multikey verification method, controlled by the issuer."""
    # A retired key has no "expires" or "revoked": either would make what it signed
    # fail to verify. That it no longer signs shows on the issuer's page.
    return {
        "@context": MULTIKEY_V1,
        "id": key_id(key),
        "type": "Multikey",
        "controller": issuer_id(),
        "publicKeyMultibase": key.public_key_multibase,
    }


def emblem_url(award):
    return absolute(reverse("badges:emblem", args=[award.pk]))


def achievement(award):
    course = award.course
    criteria = award.criteria or award.description or f"Granted by the instructors of {course}."
    term = f" ({course.term})" if course.term else ""
    return {
        "id": absolute(award.get_absolute_url()),
        "type": ["Achievement"],
        "achievementType": "Award",
        "name": award.name,
        "description": award.description or award.name,
        "criteria": {"narrative": criteria},
        "image": {"id": emblem_url(award), "type": "Image", "caption": f"{award.name} emblem"},
        "tag": [course.title, *([course.term] if course.term else []), "course blog award"],
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": course.title,
                "targetUrl": absolute(course.get_absolute_url()),
                "targetDescription": f"The course {course}{term} on {settings.SITE_NAME}.",
            }
        ],
        "creator": issuer_summary(),
    }


def identity_hash(email, salt):
    return "sha256$" + hashlib.sha256(f"{email}{salt}".encode()).hexdigest()


def subject(credential):
    """Who the credential is about: a DID they gave, else a salted hash of their email;
    their name only if they chose to show it."""
    student = credential.recipient
    identifiers = []
    if not credential.recipient_did:
        # Their email, else (an account with none) their user name: hashed either way.
        kind, identity = ("emailAddress", student.email.lower())
        if not student.email:
            kind, identity = ("userName", student.username)
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": kind,
                "hashed": True,
                "identityHash": identity_hash(identity, credential.salt),
                "salt": credential.salt,
            }
        )
    if credential.show_name:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": student.name,
            }
        )
    result = {"type": ["AchievementSubject"]}
    if credential.recipient_did:
        result["id"] = credential.recipient_did
    if identifiers:
        result["identifier"] = identifiers
    result["achievement"] = achievement(credential.grant.award)
    return result


def evidence_possible(post):
    """A credential may name a post as evidence only when anyone may read it (a
    published, public post of a public course: Post.can_read of an anonymous reader);
    never one for course members or instructors only (docs/privacy.md)."""
    return post.can_read(AnonymousUser())


def names_evidence(credential):
    return credential.include_evidence and evidence_possible(credential.grant.post)


def unsigned(credential):
    """The AchievementCredential of a grant, before its proof. Needs credential with
    grant__award__course, grant__post__course and recipient loaded."""
    grant = credential.grant
    award = grant.award
    document = {
        "@context": [VC_V2, OB_V3],
        "id": credential_url(credential),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{award.name} ({award.course.title})",
        "description": f"An Open Badge for the {award.name} award, granted by the "
        f"instructors of {award.course.title}.",
        "issuer": issuer_summary(),
        "validFrom": iso(grant.granted_at),
        "credentialSubject": subject(credential),
        "credentialStatus": {
            "id": f"{status_list_url(credential.status_list)}#{credential.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(credential.status_index),
            "statusListCredential": status_list_url(credential.status_list),
        },
        "image": {"id": emblem_url(award), "type": "Image"},
    }
    if names_evidence(credential):
        post = grant.post
        document["evidence"] = [
            {
                "id": absolute(post.get_absolute_url()),
                "type": ["Evidence"],
                "name": post.title,
                **({"description": grant.citation} if grant.citation else {}),
            }
        ]
    return document


def signed(document):
    """`document` signed with the current key: from the cache when the same document
    was signed by the same key before."""
    key = current_key()
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
    cache_key = f"badges:signed:proof-set:{key.pk}:{digest}"
    result = cache.get(cache_key)
    if result is None:
        result = signing.sign(
            document,
            private_key=key.private(),
            verification_method=key_id(key),
            created=iso(timezone.now()),
            proof_set=True,
        )
        cache.set(cache_key, result, CACHE_SECONDS)
    return result


def for_credential(credential):
    return signed(unsigned(credential))


def load(uuid):
    """The credential of a uuid with what building it needs, or None."""
    return (
        Credential.objects.select_related(
            "grant__award__course", "grant__post__course", "recipient"
        )
        .filter(uuid=uuid)
        .first()
    )


def encoded_list(revoked_indexes):
    """Bitstring Status List's encodedList: GZIP of the bits (index 0 the first, most
    significant bit), base64url without padding, multibase prefix "u"."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    zipped = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(zipped).decode().rstrip("=")


def status_list(number):
    """The signed BitstringStatusListCredential of list `number` (one query)."""
    first = number * STATUS_LIST_SIZE
    revoked = Credential.objects.filter(
        pk__gte=first, pk__lt=first + STATUS_LIST_SIZE, revoked_at__isnull=False
    ).values_list("pk", flat=True)
    url = status_list_url(number)
    document = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(pk - first for pk in revoked),
        },
    }
    return signed(document)
