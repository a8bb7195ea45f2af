"""Verifiers nobody on this project wrote: Digital Bazaar's @digitalbazaar/vc with the
eddsa-rdfc-2022 cryptosuite and @digitalbazaar/vc-bitstring-status-list, run by Node
with no network (tests/badges/verifier/verify.mjs), and ajv with 1EdTech's
AchievementCredential JSON Schema (tests/badges/verifier/schema.mjs), over the
credentials of the demo's grants. CI installs them with ``npm ci`` (.ci/run)."""

import copy
import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from awards.models import AwardGrant
from awards.services import revoke_award
from badges import credentials
from badges.jsonld import CONTEXTS
from badges.models import Credential, SigningKey

VERIFIER = Path(__file__).resolve().parent / "verifier"

pytestmark = [
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
    pytest.mark.skipif(
        not (VERIFIER / "node_modules").is_dir(),
        reason="the verifier's packages are not installed (cd tests/badges/verifier && npm ci)",
    ),
]


def published():
    """What the site publishes for verifiers: the issuer, its keys, its status lists."""
    documents = {credentials.issuer_id(): credentials.issuer_profile()}
    for key in SigningKey.objects.all():
        documents[credentials.key_id(key).split("#")[0]] = credentials.key_document(key)
    lists = {c.status_list for c in Credential.objects.all()}
    for number in lists:
        documents[credentials.status_list_url(number)] = credentials.status_list(number)
    return documents


def node_verify(tmp_path, documents):
    path = tmp_path / "input.json"
    payload = {"contexts": str(CONTEXTS), "documents": published(), "credentials": documents}
    path.write_text(json.dumps(payload))
    result = subprocess.run(
        ["node", "verify.mjs", str(path)],
        cwd=VERIFIER,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def node_schema_check(tmp_path, documents):
    path = tmp_path / "schema-input.json"
    path.write_text(json.dumps({"credentials": documents}))
    result = subprocess.run(
        ["node", "schema.mjs", str(path)], cwd=VERIFIER, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def demo_credentials(db, settings):
    settings.DEBUG = False  # seed_demo --force, as CI would
    call_command("seed_demo", "--force", stdout=StringIO())
    found = [credentials.load(c.uuid) for c in Credential.objects.filter(grant__isnull=False)]
    assert found, "the demo grants awards"
    return found


def variants(credential):
    """The credential as the student may shape it: as is; with their name, post and a
    DID."""
    yield credentials.for_credential(credential)
    credential.show_name = credential.include_evidence = True
    credential.recipient_did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    yield credentials.for_credential(credential)


def test_every_demo_credential_verifies(demo_credentials, tmp_path):
    documents = [d for c in demo_credentials for d in variants(c)]
    results = node_verify(tmp_path, documents)
    assert len(results) == len(documents) >= 4
    assert all(r["verified"] and r["revoked"] is False for r in results), results
    assert any("evidence" in d for d in documents)  # the demo's course is public


TAMPERING = {
    "credentialSubject.identifier.salt": lambda d: d["credentialSubject"]["identifier"][0].update(
        salt="00" * 16
    ),
    "credentialSubject.identifier.identityHash": lambda d: d["credentialSubject"]["identifier"][
        0
    ].update(identityHash="sha256$" + "0" * 64),
    "credentialSubject.identifier.identityType": lambda d: d["credentialSubject"]["identifier"][
        0
    ].update(identityType="name"),
    "credentialSubject.id": lambda d: d["credentialSubject"].update(id="did:example:someone"),
    "achievement.name": lambda d: d["credentialSubject"]["achievement"].update(name="Other"),
    "achievement.description": lambda d: d["credentialSubject"]["achievement"].update(
        description="Something else"
    ),
    "achievement.criteria": lambda d: d["credentialSubject"]["achievement"]["criteria"].update(
        narrative="Nothing at all."
    ),
    "achievement.image": lambda d: d["credentialSubject"]["achievement"]["image"].update(
        id="https://elsewhere.example/emblem.png"
    ),
    "achievement.tag": lambda d: d["credentialSubject"]["achievement"]["tag"].append("forged"),
    "achievement.alignment": lambda d: d["credentialSubject"]["achievement"]["alignment"][0].update(
        targetName="Another course"
    ),
}


def test_changing_any_field_of_the_subject_or_achievement_fails(demo_credentials, tmp_path):
    original = credentials.for_credential(demo_credentials[0])
    tampered = []
    for change in TAMPERING.values():
        document = copy.deepcopy(original)
        change(document)
        tampered.append(document)
    results = node_verify(tmp_path, [original, *tampered])
    assert results[0]["verified"], results[0]
    failed = {name: not r["verified"] for name, r in zip(TAMPERING, results[1:], strict=True)}
    assert all(failed.values()), failed
    errors = [r["error"] or "" for r in results[1:]]
    assert all("Invalid signature" in e for e in errors), errors


def test_a_revoked_grant_verifies_as_revoked(demo_credentials, tmp_path):
    revoked, kept = demo_credentials[0], demo_credentials[1]
    documents = [credentials.for_credential(revoked), credentials.for_credential(kept)]
    revoke_award(grant=AwardGrant.objects.get(pk=revoked.grant_id))
    results = node_verify(tmp_path, documents)
    assert results[0]["revoked"] is True, results[0]
    assert results[1]["revoked"] is False, results[1]


def test_credentials_signed_before_a_key_rotation_still_verify(demo_credentials, tmp_path):
    from badges import services

    credential = demo_credentials[0]
    before = credentials.for_credential(credential)
    services.rotate_key()
    credential.show_name = True
    after = credentials.for_credential(credential)
    assert before["proof"][0]["verificationMethod"] != after["proof"][0]["verificationMethod"]
    results = node_verify(tmp_path, [before, after])
    assert all(r["verified"] for r in results), results


def test_every_demo_credential_keeps_1edtechs_json_schema(demo_credentials, tmp_path):
    documents = [d for c in demo_credentials for d in variants(c)]
    results = node_schema_check(tmp_path, documents)
    assert len(results) == len(documents) >= 4
    assert all(r["valid"] for r in results), results


BREAKING_THE_SCHEMA = {
    "no validFrom": lambda d: d.pop("validFrom"),
    "no achievement": lambda d: d["credentialSubject"].pop("achievement"),
    "achievement without criteria": lambda d: d["credentialSubject"]["achievement"].pop("criteria"),
    "issuer without id": lambda d: d["issuer"].pop("id"),
    "achievement without a description": lambda d: d["credentialSubject"]["achievement"].pop(
        "description"
    ),
    "a subject whose type is a number": lambda d: d["credentialSubject"].update(type=5),
    "a date that is no date": lambda d: d.update(validFrom="last Tuesday"),
}


def test_the_schema_check_refuses_a_credential_that_breaks_it(demo_credentials, tmp_path):
    original = credentials.for_credential(demo_credentials[0])
    broken = []
    for change in BREAKING_THE_SCHEMA.values():
        document = copy.deepcopy(original)
        change(document)
        broken.append(document)
    results = node_schema_check(tmp_path, broken)
    refused = {name: not r["valid"] for name, r in zip(BREAKING_THE_SCHEMA, results, strict=True)}
    assert all(refused.values()), refused
