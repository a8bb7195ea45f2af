"""Each credential keeps the Open Badges 3.0 data model's rules for an
AchievementCredential (1EdTech's "Open Badges Specification v3.0", Appendix B, the
required properties and their types).

These checks restate its required properties in Python, for the suite without Node;
tests/badges/test_node_verifier.py validates against 1EdTech's JSON Schema itself."""

import re

import pytest

from badges import credentials
from badges.jsonld import OB_V3, VC_V2

DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
URI = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$")


def has_type(value, name):
    return value == name or (isinstance(value, list) and name in value)


def problems(document):
    """The rules the document breaks (an empty list when it keeps them all)."""
    found = []

    def need(condition, rule):
        if not condition:
            found.append(rule)

    context = document.get("@context", [])
    need(context[:1] == [VC_V2], "@context starts with the VC 2.0 context")
    need(OB_V3 in context, "@context includes the Open Badges 3.0 context")
    need(URI.match(document.get("id", "")), "id is a URI")
    types = document.get("type", [])
    need(has_type(types, "VerifiableCredential"), "type includes VerifiableCredential")
    need(
        has_type(types, "AchievementCredential") or has_type(types, "OpenBadgeCredential"),
        "type includes AchievementCredential or OpenBadgeCredential",
    )
    need(isinstance(document.get("name"), str) and document["name"], "name is a string")
    issuer = document.get("issuer", {})
    need(URI.match(issuer.get("id", "")), "issuer.id is a URI")
    need(has_type(issuer.get("type"), "Profile"), "issuer.type includes Profile")
    need(DATETIME.match(document.get("validFrom", "")), "validFrom is a date-time")
    subject = document.get("credentialSubject", {})
    need(has_type(subject.get("type"), "AchievementSubject"), "subject type AchievementSubject")
    need("id" in subject or subject.get("identifier"), "subject has an id or an identifier")
    for identity in subject.get("identifier", []):
        need(identity.get("type") == "IdentityObject", "identifier type IdentityObject")
        need(isinstance(identity.get("hashed"), bool), "identifier.hashed is a boolean")
        need(isinstance(identity.get("identityHash"), str), "identityHash is a string")
        need(identity.get("identityType") in ("emailAddress", "userName", "name"), "type")
    achievement = subject.get("achievement", {})
    need(URI.match(achievement.get("id", "")), "achievement.id is a URI")
    need(has_type(achievement.get("type"), "Achievement"), "achievement.type Achievement")
    for key in ("name", "description"):
        need(isinstance(achievement.get(key), str) and achievement[key], f"achievement.{key}")
    criteria = achievement.get("criteria", {})
    need(criteria.get("id") or criteria.get("narrative"), "criteria has id or narrative")
    image = achievement.get("image", {})
    need(URI.match(image.get("id", "")) and image.get("type") == "Image", "image is an Image")
    need(achievement.get("achievementType") in (None, "Award"), "achievementType Award")
    for alignment in achievement.get("alignment", []):
        need(has_type(alignment.get("type"), "Alignment"), "alignment.type Alignment")
        need(alignment.get("targetName") and alignment.get("targetUrl"), "alignment target")
    for evidence in document.get("evidence", []):
        need(has_type(evidence.get("type"), "Evidence"), "evidence.type Evidence")
    status = document.get("credentialStatus", {})
    need(status.get("type") == "BitstringStatusListEntry", "status BitstringStatusListEntry")
    need(URI.match(status.get("statusListCredential", "")), "statusListCredential is a URI")
    proofs = document.get("proof", [])
    need(isinstance(proofs, list) and len(proofs) == 1, "proof is a list of one proof")
    proof = proofs[0] if isinstance(proofs, list) and proofs else {}
    need(proof.get("type") == "DataIntegrityProof", "proof is a DataIntegrityProof")
    need(proof.get("proofPurpose") == "assertionMethod", "proofPurpose assertionMethod")
    return found


@pytest.mark.parametrize(
    "choices",
    [
        {},
        {"show_name": True},
        {"include_evidence": True},
        {"recipient_did": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"},
    ],
)
def test_every_credential_keeps_the_achievement_credential_rules(credential, choices):
    for name, value in choices.items():
        setattr(credential, name, value)
    credential.save()
    document = credentials.for_credential(credentials.load(credential.uuid))
    assert problems(document) == []


def test_a_student_without_an_email_is_named_by_a_hash_of_their_user_name(credential, student):
    student.email = ""
    student.save()
    document = credentials.for_credential(credentials.load(credential.uuid))
    assert problems(document) == []
    [identity] = document["credentialSubject"]["identifier"]
    assert identity["identityType"] == "userName" and identity["hashed"] is True
    assert student.username not in str(document)


def test_the_rules_catch_a_broken_credential(credential):
    document = credentials.for_credential(credentials.load(credential.uuid))
    del document["credentialSubject"]["achievement"]["criteria"]
    document["validFrom"] = "yesterday"
    assert problems(document) == ["validFrom is a date-time", "criteria has id or narrative"]
