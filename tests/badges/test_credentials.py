"""What a credential says, and that this site's own check of it works."""

import base64
import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.services import grant_award, revoke_award
from badges import credentials, services, verify
from badges.jsonld import OB_V3, VC_V2
from badges.models import Credential, SigningKey
from tests import factories


def build(credential):
    return credentials.for_credential(credentials.load(credential.uuid))


def test_granting_allocates_a_credential_row_and_signs_nothing(award, post, instructor):
    with CaptureQueriesContext(connection) as queries:
        grant = grant_award(award=award, post=post, granted_by=instructor)
    inserts = [q["sql"] for q in queries if "INSERT" in q["sql"] and "badges_" in q["sql"]]
    assert len(inserts) == 1
    assert grant.credential.recipient == post.author
    assert not SigningKey.objects.exists()  # no key made, nothing signed


def test_each_grant_has_its_own_status_index(award, course, instructor):
    posts = factories.PostFactory.create_batch(3, course=course)
    grants = [grant_award(award=award, post=p, granted_by=instructor) for p in posts]
    indexes = {g.credential.status_index for g in grants}
    assert len(indexes) == 3


def test_credential_is_an_achievement_credential_of_the_award(credential, award, course):
    document = build(credential)
    assert document["@context"] == [VC_V2, OB_V3]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["id"] == credentials.issuer_id()
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == award.name
    assert achievement["description"] == award.description
    assert achievement["criteria"] == {"narrative": award.criteria}
    assert achievement["image"]["id"] == credentials.emblem_url(award)
    assert course.title in achievement["tag"]
    assert achievement["alignment"][0]["targetName"] == course.title
    assert document["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["credentialStatus"]["statusListIndex"] == str(credential.status_index)


def test_student_is_named_by_a_salted_hash_of_their_email_only(credential, student):
    document = build(credential)
    subject = document["credentialSubject"]
    assert "id" not in subject
    [identity] = subject["identifier"]
    assert identity["hashed"] is True and identity["identityType"] == "emailAddress"
    assert identity["identityHash"] == credentials.identity_hash(
        student.email.lower(), identity["salt"]
    )
    text = str(document)
    assert student.email not in text and student.name not in text and "evidence" not in text


def test_a_did_replaces_the_email_hash_and_a_name_shows_only_when_chosen(credential, student):
    credential.recipient_did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    credential.show_name = True
    credential.save()
    subject = build(credential)["credentialSubject"]
    assert subject["id"] == credential.recipient_did
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": student.name,
        }
    ]


def test_post_is_evidence_only_when_public_and_the_student_agrees(credential, grant):
    assert "evidence" not in build(credential)
    credential.include_evidence = True
    credential.save()
    [evidence] = build(credential)["evidence"]
    assert evidence["id"].endswith(grant.post.get_absolute_url())
    grant.post.course.visibility = "members"
    grant.post.course.save()
    assert "evidence" not in build(credential)


def test_credentials_are_cached_on_what_they_contain(credential, django_assert_num_queries):
    first = build(credential)
    assert build(credential) == first  # same proof: from the cache
    credential.show_name = True
    credential.save()
    assert build(credential)["proof"] != first["proof"]


def test_own_check_says_valid_then_revoked(credential, grant):
    document = build(credential)
    assert verify.check(document).status == verify.VALID
    revoke_award(grant=grant)
    assert Credential.objects.get(pk=credential.pk).is_revoked
    assert verify.check(document).status == verify.REVOKED


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["credentialSubject"]["achievement"].update(name="Something else"),
        lambda d: d["credentialSubject"]["achievement"]["criteria"].update(narrative="x"),
        lambda d: d["credentialSubject"]["identifier"][0].update(salt="0" * 32),
        lambda d: d.update(validFrom="2020-01-01T00:00:00Z"),
    ],
)
def test_any_changed_field_is_tampered(credential, change):
    document = build(credential)
    change(document)
    assert verify.check(document).status == verify.TAMPERED


def test_credentials_signed_before_a_key_rotation_still_verify(credential):
    old = build(credential)
    services.rotate_key()
    credential.show_name = True  # a new credential, signed with the new key
    credential.save()
    new = build(credential)
    assert old["proof"][0]["verificationMethod"] != new["proof"][0]["verificationMethod"]
    assert verify.check(old).status == verify.VALID
    assert verify.check(new).status == verify.VALID
    profile = credentials.issuer_profile()
    assert old["proof"][0]["verificationMethod"] in profile["assertionMethod"]


def test_erasing_the_student_revokes_their_credential(credential, student):
    document = build(credential)
    services.revoke_credentials_of(user=student)
    credential.refresh_from_db()
    assert credential.is_revoked and credential.recipient is None
    assert verify.check(document).status == verify.REVOKED


def test_deleting_the_awarded_post_revokes_its_credential(credential, grant):
    grant.post.delete()
    credential.refresh_from_db()
    assert credential.is_revoked and credential.grant is None


def test_status_list_sets_the_bits_of_revoked_credentials(credential, grant):
    revoke_award(grant=grant)
    document = credentials.status_list(credential.status_list)
    encoded = document["credentialSubject"]["encodedList"]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    index = credential.status_index
    assert bits[index // 8] & (0x80 >> (index % 8))
    assert sum(bin(byte).count("1") for byte in bits) == 1


def test_the_demos_grants_have_working_credentials(db, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    found = Credential.objects.filter(grant__isnull=False).select_related("grant__award")
    assert found.count() >= 2
    for credential in found:
        assert credential.grant.award.criteria  # written for the demo
        assert verify.check(build(credential)).status == verify.VALID


def test_a_credentials_salt_fits_its_column(credential):
    credential.refresh_from_db()
    assert len(credential.salt) == 32
