// Verifies Open Badges credentials with Digital Bazaar's libraries and no network
// (tests/badges/test_node_verifier.py). Nothing here is Commonplace's own code: the
// proof is checked by @digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, the
// revocation status by @digitalbazaar/vc-bitstring-status-list.
//
//   node verify.mjs <input.json>
//
// input.json: {"contexts": "<dir of badges/contexts>", "documents": {url: document}
// (the issuer's profile, its key documents and status lists, as the site serves them),
// "credentials": [credential, ...]}. Prints one JSON result per credential, in order:
// {"verified": bool, "revoked": bool | null, "error": string | null}.
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

const require = createRequire(import.meta.url);
const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// The contexts: the same files the site uses (badges/contexts/index.json), and the
// security v2 context jsonld-signatures frames the issuer's profile with.
const documents = new Map();
const index = JSON.parse(fs.readFileSync(path.join(input.contexts, 'index.json'), 'utf8'));
for(const [url, entry] of Object.entries(index)) {
  documents.set(url, JSON.parse(fs.readFileSync(path.join(input.contexts, entry.file), 'utf8')));
}
const securityContext = require('@digitalbazaar/security-context');
for(const url of [securityContext.SECURITY_CONTEXT_V1_URL,
  securityContext.SECURITY_CONTEXT_V2_URL]) {
  documents.set(url, securityContext.contexts.get(url));
}
for(const [url, document] of Object.entries(input.documents)) {
  documents.set(url, document);
}

async function documentLoader(url) {
  const document = documents.get(url) ?? documents.get(url.split('#')[0]);
  if(document === undefined) {
    throw new Error(`No network: ${url} is not a local document.`);
  }
  return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
const results = [];
for(const credential of input.credentials) {
  let statusBit = null;
  const result = await vc.verifyCredential({
    credential, suite, documentLoader,
    checkStatus: async options => {
      const status = await checkStatus({...options, suite, documentLoader});
      if(status.verified) {
        statusBit = status.results.some(r => r.status === true);
      }
      return status;
    }
  });
  const error = result.error &&
    (result.error.errors || [result.error]).map(e => e.message).join('; ');
  results.push({verified: result.verified, revoked: statusBit, error: error || null});
}
console.log(JSON.stringify(results));
