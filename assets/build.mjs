// Builds static/css/base.css: the self-hosted fonts' @font-face rules plus only the
// Bootstrap parts Commonplace uses (Sass partials, then PurgeCSS against the templates),
// and copies the woff2 files with their licences to static/fonts/. Run by `make css`;
// the output is committed, so running the site needs no Node.
//
//   node build.mjs CRISPY_BOOTSTRAP5_TEMPLATES_DIR   (the Makefile passes it)
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";
import { PurgeCSS } from "purgecss";
import postcss from "postcss";
import cssnano from "cssnano";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const fontsOut = join(root, "static", "fonts");
const cssOut = join(root, "static", "css", "base.css");

// family package, weights and styles used by main.css, and the subsets served.
const FACES = [
  { pkg: "source-serif-4", faces: ["400", "400-italic", "600"] },
  { pkg: "source-sans-3", faces: ["400", "600"] },
];
const SUBSETS = ["latin", "latin-ext", "cyrillic"];

function fontFaces() {
  mkdirSync(fontsOut, { recursive: true });
  const rules = [];
  for (const { pkg, faces } of FACES) {
    const base = join(here, "node_modules", "@fontsource", pkg);
    copyFileSync(join(base, "LICENSE"), join(fontsOut, `${pkg}-LICENSE.txt`));
    for (const face of faces) {
      const css = readFileSync(join(base, `${face}.css`), "utf8");
      for (const block of css.split("/* ").slice(1)) {
        const name = block.slice(0, block.indexOf(" */"));
        const subset = SUBSETS.find((s) => name === `${pkg}-${s}-${face.split("-")[0]}-${face.endsWith("italic") ? "italic" : "normal"}`);
        if (!subset) continue;
        const file = `${name}.woff2`;
        copyFileSync(join(base, "files", file), join(fontsOut, file));
        const rule = block
          .slice(block.indexOf("@font-face"))
          .replace(/src:[^;]*;/, `src:url(../fonts/${file}) format("woff2");`)
          .replace(/\s+/g, " ")
          .replace(/\s*([{};:,])\s*/g, "$1")
          .trim();
        rules.push(rule);
      }
    }
  }
  return rules.join("\n");
}

function mainCssVariables() {
  const main = readFileSync(join(root, "static", "css", "main.css"), "utf8");
  return [...new Set(main.match(/--bs-[a-z0-9-]+/g) || [])];
}

// crispy-bootstrap5's templates for the layouts our forms use (not tabs, accordions,
// modals, switches or floating labels, whose class names would keep unused CSS).
// Nor layout objects no form of ours uses (no FormHelper layout but references' Field and
// Div), nor horizontal forms: crispy's field.html only adds col-form-label for those.
const UNUSED_CRISPY =
  /accordion|modal|floating|switch|tab|inline|alert|prepended|with_buttons|uneditable|column|row|multifield|formset|betterform/;
function crispyTemplates(dir) {
  return readdirSync(resolve(dir), { recursive: true })
    .filter((name) => name.endsWith(".html") && !UNUSED_CRISPY.test(name))
    .map((name) => join(resolve(dir), name));
}

async function bootstrap(extraContent) {
  const compiled = sass.compile(join(here, "scss", "bootstrap.scss"), {
    style: "compressed",
    loadPaths: [join(here, "node_modules")],
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin", "color-functions", "if-function"],
  });
  const content = [
    join(root, "templates", "**", "*.html"),
    join(root, "static", "js", "*.js"),
    join(root, "*", "*.py"),
    join(root, "*", "templatetags", "*.py"),
    ...extraContent.flatMap(crispyTemplates),
  ];
  const [result] = await new PurgeCSS().purge({
    content,
    // Dart Sass starts compressed output that has a non-ASCII character with a byte order
    // mark; in the middle of base.css (after the font faces) it would become part of the
    // first selector, and ":root" would match nothing.
    css: [{ raw: compiled.css.replace(/^\uFEFF/, "") }],
    // Custom properties nothing reads are dropped too, except those main.css reads.
    variables: true,
    safelist: {
      greedy: [/^is-invalid/, /invalid-feedback/],
      // Badge tones are named whole in the templates (alerts and buttons are main.css's).
      standard: ["show", "active", "disabled"],
      variables: mainCssVariables(),
    },
    // Class names in selectors of layouts and branches of crispy-bootstrap5's templates
    // that no form of ours takes (horizontal and inline fields, floating labels, input
    // group addons), the client-side validation state (the server marks fields), and
    // words that only a Python comment or name has ("invisible", "ratio").
    // Not a name that a :not() holds, or the selector around it would go too.
    blocklist: ["col-form-label", "form-floating", "form-check-inline", "collapse", "input-group-text", "was-validated", "invisible", "ratio"],
  });
  return tidy(await optimise(result.css));
}

// Sass's "compressed" style only removes whitespace; cssnano (its safe default preset,
// declarations kept in Bootstrap's order)
// also writes colours in their shortest form (Sass leaves rgb(10.33%, ...) from
// colour functions), merges rules with the same selector and drops overridden
// declarations.
async function optimise(css) {
  const result = await postcss([cssnano({ preset: ["default", { cssDeclarationSorter: false }] })]).process(css, { from: undefined });
  return result.css;
}

// What Dart Sass leaves for a minifier: ten decimals (33.3333333333%) and a space after
// the colon of a custom property. Four decimals are far below a pixel; a custom
// property's leading space is not part of its value (an empty one keeps its space).
function tidy(css) {
  return css
    .replace(/(\d*\.\d{5,})/g, (number) => String(Number(Number(number).toFixed(4))).replace(/^0\./, "."))
    .replace(/(--[\w-]+): (?=[^\s;}])/g, "$1:");
}

copyFileSync(join(here, "node_modules", "bootstrap", "LICENSE"), join(root, "static", "css", "bootstrap-LICENSE.txt"));
const banner =
  "/*! Commonplace base.css, generated by assets/build.mjs (`make css`): do not edit.\n" +
  " * Bootstrap 5.3 (MIT, css/bootstrap-LICENSE.txt); Source Serif 4 and Source Sans 3 (OFL, fonts/). */";
const fonts = fontFaces();
const css = await bootstrap(process.argv.slice(2));
writeFileSync(cssOut, `${banner}\n${fonts}\n${css}\n`);
console.log(`static/css/base.css: ${Buffer.byteLength(fonts)} B fonts + ${Buffer.byteLength(css)} B Bootstrap`);
