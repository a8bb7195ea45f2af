// Validates credentials against 1EdTech's Open Badges 3.0 AchievementCredential JSON
// Schema (schema/, see schema/README.md) with ajv, the JSON Schema validator; no network
// (tests/badges/test_node_verifier.py).
//
//   node schema.mjs <input.json>
//
// input.json: {"credentials": [credential, ...]}. Prints one JSON result per credential,
// in order: {"valid": bool, "errors": ["<instance path> <message>", ...]}.
import fs from 'node:fs';

import {Ajv2019} from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const here = new URL('.', import.meta.url);
const schema = JSON.parse(fs.readFileSync(
  new URL('schema/ob_v3p0_achievementcredential_schema.json', here), 'utf8'));
const ajv = new Ajv2019({allErrors: true, strict: false});
addFormats.default(ajv);
const validate = ajv.compile(schema);

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = input.credentials.map(credential => {
  const valid = validate(credential);
  const errors = (validate.errors || []).map(
    e => `${e.instancePath || '/'} ${e.message}`);
  return {valid, errors};
});
console.log(JSON.stringify(results));
