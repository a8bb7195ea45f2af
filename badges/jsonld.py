"""JSON-LD for credentials, offline: the contexts come from badges/contexts/ only.

The files there are copied from npm packages by ``make contexts``
(badges/build_contexts.cjs, which also copies their licences); nothing here ever
fetches a URL, so a credential naming any other context is refused, not resolved.
"""

import json
from functools import cache
from pathlib import Path

CONTEXTS = Path(__file__).resolve().parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"


class UnknownContext(Exception):
    """A document named a context this site doesn't hold (we never fetch one)."""


@cache
def contexts():
    """{url: parsed context document}, from badges/contexts/index.json."""
    index = json.loads((CONTEXTS / "index.json").read_text())
    return {url: json.loads((CONTEXTS / e["file"]).read_text()) for url, e in index.items()}


def document_loader(url, options=None):
    """pyld's document loader: the local files, and nothing else."""
    try:
        document = contexts()[url]
    except KeyError:
        raise UnknownContext(f"The JSON-LD context {url} is not one this site knows.") from None
    return {"contextUrl": None, "documentUrl": url, "document": document}


def canonize(document, *, extra_contexts=None):
    """The document's RDF Dataset Canonicalization (RDFC-1.0, called URDNA2015 in pyld)
    as N-Quads. ``extra_contexts`` ({url: document}) serves contexts beyond ours (the
    W3C test vector's examples context, in the tests)."""
    from pyld import jsonld  # loaded when a credential is signed or checked, not before

    loader = document_loader
    if extra_contexts:

        def loader(url, options=None):
            if url in extra_contexts:
                return {"contextUrl": None, "documentUrl": url, "document": extra_contexts[url]}
            return document_loader(url, options)

    try:
        return jsonld.normalize(
            document,
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader},
        )
    except jsonld.JsonLdError as error:
        cause = error
        while cause is not None:
            if isinstance(cause, UnknownContext):
                raise cause from None
            cause = cause.__cause__ or getattr(cause, "cause", None)
        raise
