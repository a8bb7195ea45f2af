"""The eddsa-rdfc-2022 Data Integrity cryptosuite (W3C vc-di-eddsa), over Ed25519 keys.

Signing, per the spec's "Transformation", "Hashing" and "Proof Serialization":

1. canonize the document without its proof (RDFC-1.0) and the proof options (the
   proof without proofValue, given the document's @context), each to N-Quads;
2. hash each with SHA-256; the data to sign is hash(proof options) + hash(document);
3. sign it with Ed25519; proofValue is the signature in multibase base58btc ("z...").

Keys are Multikeys: publicKeyMultibase is "z" + base58btc(0xed 0x01 + 32-byte key).
"""

import hashlib

from badges.jsonld import canonize

# cryptography is imported where a key is made or used, not with the app: its bindings
# cost a worker about 8 MiB of memory, and pages never sign (docs/decisions.md).

CRYPTOSUITE = "eddsa-rdfc-2022"
ED25519_PUB = b"\xed\x01"  # multicodec ed25519-pub
ED25519_PRIV = b"\x80\x26"  # multicodec ed25519-priv
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data):
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = ALPHABET[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text):
    number = 0
    for char in text:
        index = ALPHABET.find(char)
        if index < 0:
            raise ValueError("Not base58btc.")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multibase(data):
    return "z" + b58encode(data)


def from_multibase(text):
    if not isinstance(text, str) or not text.startswith("z"):
        raise ValueError("Not multibase base58btc (it must start with z).")
    return b58decode(text[1:])


def public_multibase(public_key):
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return multibase(ED25519_PUB + public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_key_from_multibase(text):
    raw = from_multibase(text)
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise ValueError("Not an Ed25519 Multikey.")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_from_multibase(text):
    raw = from_multibase(text)
    if not raw.startswith(ED25519_PRIV) or len(raw) != 34:
        raise ValueError("Not an Ed25519 private Multikey.")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def proof_options(document, proof):
    """The proof configuration the spec hashes: the proof less proofValue, with the
    document's @context."""
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    return {"@context": document["@context"], **options}


def canonical_forms(document, proof, **kwargs):
    """(canonical proof options, canonical document) as N-Quads."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return canonize(proof_options(document, proof), **kwargs), canonize(unsecured, **kwargs)


def hash_data(document, proof, **kwargs):
    proof_nquads, document_nquads = canonical_forms(document, proof, **kwargs)
    return (
        hashlib.sha256(proof_nquads.encode()).digest()
        + hashlib.sha256(document_nquads.encode()).digest()
    )


def sign(document, *, private_key, verification_method, created, proof_set=False, **kwargs):
    """The document with an eddsa-rdfc-2022 DataIntegrityProof added: as the value of
    `proof`, or with proof_set as a one-proof list (Open Badges 3.0's JSON Schema wants
    `proof` to be an array; the Data Integrity spec allows both)."""
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(hash_data(document, proof, **kwargs))
    proof = {**proof, "proofValue": multibase(signature)}
    return {**document, "proof": [proof] if proof_set else proof}


def the_proof(document):
    """The document's one proof (an object, or a list holding one), or None."""
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    return proof if isinstance(proof, dict) else None


def verify(document, *, public_key, **kwargs):
    """True if the document's proof is a valid eddsa-rdfc-2022 signature by the key."""
    from cryptography.exceptions import InvalidSignature

    proof = the_proof(document)
    if proof is None or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    if proof.get("type") != "DataIntegrityProof":
        return False
    try:
        signature = from_multibase(proof.get("proofValue"))
        public_key.verify(signature, hash_data(document, proof, **kwargs))
    except (InvalidSignature, ValueError):
        return False
    return True
