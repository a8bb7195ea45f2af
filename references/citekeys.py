"""Finding the [@key …] citations in a post's text: cheap, so that the post page, the
editor and the services can look for citations without loading citeproc-py and lxml,
which only ``references.citing`` imports, when a citation or a reference list is
actually rendered (docs/decisions.md, Heavy libraries)."""

import re

from references.models import KEY_PATTERN

# [@key], [@key, p. 16], [@a; @b, pp. 3-4]: a bracket holding one or more cites.
_ONE_CITE = rf"@{KEY_PATTERN}(?:,[^;\]\n<>]*)?"
CITATION = re.compile(rf"\[({_ONE_CITE}(?:;\s*{_ONE_CITE})*)\]")
CITE_PARTS = re.compile(rf"@({KEY_PATTERN})(?:,\s*([^;\]]*))?")
# A tag of rendered HTML, its quoted attribute values whole (they may hold ">").
TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def sub_in_text(replace, html):
    """`html` with each [@…] citation in its text replaced by ``replace(match)``. A
    citation inside a tag (an image's alt or title, a link's address) is left as it is:
    putting markup there would break the tag."""
    out, last = [], 0
    for tag in TAG.finditer(html):
        out.append(CITATION.sub(replace, html[last : tag.start()]))
        out.append(tag.group(0))
        last = tag.end()
    out.append(CITATION.sub(replace, html[last:]))
    return "".join(out)


def cited_keys(markdown_text):
    """Every key cited as [@key …] in a post's Markdown, in order of first use."""
    keys = []
    for match in CITATION.finditer(markdown_text or ""):
        for cite in CITE_PARTS.finditer(match.group(1)):
            if cite.group(1) not in keys:
                keys.append(cite.group(1))
    return keys


def unknown_keys(markdown_text, references):
    known = {reference.key for reference in references}
    return [key for key in cited_keys(markdown_text) if key not in known]
