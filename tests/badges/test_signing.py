"""The signer against the W3C vc-di-eddsa test vector for eddsa-rdfc-2022 (the spec's
appendix "Representation: eddsa-rdfc-2022"): key pair, canonical forms, hashes and
proof value, byte for byte."""

# ruff: noqa: E501  (the vector's N-Quads lines, kept whole)

import hashlib

import pytest

from badges import signing
from badges.jsonld import UnknownContext

# The spec's example key pair (Multikey, base58btc).
PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
PRIVATE = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
# No npm package ships the W3C credentials examples context, so it is defined inline
# here: the examples vocabulary for every term, which gives the IRIs of the vector's
# canonical form.
EXAMPLES_CONTEXT = {
    EXAMPLES_V2: {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
}
UNSECURED = {
    "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_V2],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
VERIFICATION_METHOD = f"https://vc.example/issuers/5678#{PUBLIC}"
CREATED = "2023-02-24T23:36:38Z"
CANONICAL_DOCUMENT = (
    '<did:example:abcdefgh> <https://www.w3.org/ns/credentials/examples#alumniOf> "The School of Examples" .\n'
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .\n"
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/credentials/examples#AlumniCredential> .\n"
    '<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://schema.org/description> "A minimum viable example of an Alumni Credential." .\n'
    '<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://schema.org/name> "Alumni Credential" .\n'
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#credentialSubject> <did:example:abcdefgh> .\n"
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#issuer> <https://vc.example/issuers/5678> .\n"
    '<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#validFrom> "2023-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'
)  # fmt: skip
CANONICAL_PROOF_OPTIONS = (
    '_:c14n0 <http://purl.org/dc/terms/created> "2023-02-24T23:36:38Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'
    "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> .\n"
    '_:c14n0 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"^^<https://w3id.org/security#cryptosuiteString> .\n'
    "_:c14n0 <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> .\n"
    f"_:c14n0 <https://w3id.org/security#verificationMethod> <{VERIFICATION_METHOD}> .\n"
)  # fmt: skip
PROOF_HASH = "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
DOCUMENT_HASH = "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
COMBINED_HASH = PROOF_HASH + DOCUMENT_HASH
PROOF_VALUE = (
    "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"
)
PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": CREATED,
    "verificationMethod": VERIFICATION_METHOD,
    "proofPurpose": "assertionMethod",
}


def test_key_pair_decodes_to_the_vectors_public_key():
    private_key = signing.private_key_from_multibase(PRIVATE)
    assert signing.public_multibase(private_key.public_key()) == PUBLIC


def test_canonical_forms_and_hashes_match_the_vector():
    proof_nquads, document_nquads = signing.canonical_forms(
        UNSECURED, PROOF, extra_contexts=EXAMPLES_CONTEXT
    )
    assert document_nquads == CANONICAL_DOCUMENT
    assert proof_nquads == CANONICAL_PROOF_OPTIONS
    assert hashlib.sha256(proof_nquads.encode()).hexdigest() == PROOF_HASH
    assert hashlib.sha256(document_nquads.encode()).hexdigest() == DOCUMENT_HASH
    combined = signing.hash_data(UNSECURED, PROOF, extra_contexts=EXAMPLES_CONTEXT)
    assert combined.hex() == COMBINED_HASH


def test_proof_value_matches_the_vector_byte_for_byte():
    signed = signing.sign(
        UNSECURED,
        private_key=signing.private_key_from_multibase(PRIVATE),
        verification_method=VERIFICATION_METHOD,
        created=CREATED,
        extra_contexts=EXAMPLES_CONTEXT,
    )
    assert signed["proof"] == {**PROOF, "proofValue": PROOF_VALUE}
    public_key = signing.public_key_from_multibase(PUBLIC)
    assert signing.verify(signed, public_key=public_key, extra_contexts=EXAMPLES_CONTEXT)


def test_a_proof_set_of_one_signs_and_verifies_the_same():
    """Open Badges 3.0's schema wants `proof` as an array: the same proof, in a list."""
    signed = signing.sign(
        UNSECURED,
        private_key=signing.private_key_from_multibase(PRIVATE),
        verification_method=VERIFICATION_METHOD,
        created=CREATED,
        proof_set=True,
        extra_contexts=EXAMPLES_CONTEXT,
    )
    assert signed["proof"] == [{**PROOF, "proofValue": PROOF_VALUE}]
    public_key = signing.public_key_from_multibase(PUBLIC)
    assert signing.verify(signed, public_key=public_key, extra_contexts=EXAMPLES_CONTEXT)
    two = {**signed, "proof": signed["proof"] * 2}
    assert not signing.verify(two, public_key=public_key, extra_contexts=EXAMPLES_CONTEXT)


def test_a_changed_field_fails_verification():
    signed = {**UNSECURED, "proof": {**PROOF, "proofValue": PROOF_VALUE}}
    signed["credentialSubject"] = {**UNSECURED["credentialSubject"], "alumniOf": "Elsewhere"}
    public_key = signing.public_key_from_multibase(PUBLIC)
    assert not signing.verify(signed, public_key=public_key, extra_contexts=EXAMPLES_CONTEXT)


def test_contexts_are_never_fetched():
    document = {**UNSECURED, "@context": ["https://evil.example/context.json"]}
    with pytest.raises(UnknownContext):
        signing.canonical_forms(document, PROOF)
