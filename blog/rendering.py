"""Markdown to safe HTML: rendered once on save, and by the live preview.

Posts get the full set (footnotes, tables, headings shifted below the page's h1);
comments get a subset (emphasis, links, quotes, lists, inline code). Both pass
through the same nh3 allowlist, so nothing a writer types can run script, carry
event handlers, style attributes, or javascript:/data: URLs.

Python-Markdown (with xml.etree) is imported where it converts: a worker that only
serves pages never converts Markdown, and keeps about 1.5 MiB less (docs/decisions.md,
"Heavy libraries load when they are used"). nh3 stays at the top: drawing a card
without an excerpt already needs it (``plain_text``).
"""

import re
import threading
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
COMMENT_TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "em", "i", "li", "ol", "p", "s",
    "strong", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "sup": {"id"},
    "li": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
    "figure": {"image-missing"},  # an imported post's image that wasn't in the upload
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_REL = "nofollow ugc noopener"


def _post_extensions():
    from markdown.extensions.toc import TocExtension

    return ["footnotes", "tables", "sane_lists", "smarty",
            TocExtension(baselevel=2, toc_depth="2-6")]  # fmt: skip


def _comment_extensions():
    return ["sane_lists", "smarty"]


# One Markdown instance per kind and thread, reset before each text: building one
# (loading its extensions) costs far more than converting a comment, which matters
# when an import renders thousands of them (docs/decisions.md, one converter per thread).
_converters = threading.local()


def _converter(kind, extensions):
    md = getattr(_converters, kind, None)
    if md is None:
        import markdown

        md = markdown.Markdown(extensions=extensions(), output_format="html")
        setattr(_converters, kind, md)
    return md.reset()


_LINK = re.compile(r'<a ([^>]*?)href="([^"]*)"')
# An address alone on its line (not indented into a code block): Markdown leaves it as
# text, we make it a link, and blog/embeds.py an embed when a provider's.
_BARE_URL_LINE = re.compile(r"^ {0,3}(https?://[^\s<>\[\]()]+(?:\([^\s<>()]*\))?)[ \t]*$", re.M)


def autolink_bare_lines(text):
    return _BARE_URL_LINE.sub(r"<\1>", text or "")


def render_post_markdown(text, *, site_host=None):
    html = _converter("post", _post_extensions).convert(autolink_bare_lines(text))
    return sanitise(html, tags=POST_TAGS, site_host=site_host)


def render_comment_markdown(text, *, site_host=None):
    # No headings or images in comments: their Markdown comes out as plain text.
    html = _converter("comment", _comment_extensions).convert(autolink_bare_lines(text))
    return sanitise(html, tags=COMMENT_TAGS, site_host=site_host)


def sanitise(html, *, tags, site_host=None):
    clean = nh3.clean(
        html,
        tags=tags,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes={tag: attrs for tag, attrs in ATTRIBUTES.items() if tag in tags},
        allowed_classes={tag: classes for tag, classes in ALLOWED_CLASSES.items() if tag in tags},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}}
        if "img" in tags
        else None,
    )
    return _mark_external_links(clean, site_host)


def _mark_external_links(html, site_host):
    def replace(match):
        attrs, href = match.group(1), match.group(2)
        host = urlsplit(unescape(href)).netloc.lower()
        if host and host != (site_host or "").lower():
            return f'<a {attrs}href="{href}" rel="{EXTERNAL_REL}"'
        return match.group(0)

    return _LINK.sub(replace, html)


def plain_text(html):
    """The words of some HTML, for excerpts and meta descriptions."""
    text = nh3.clean(html or "", tags=set())
    return re.sub(r"\s+", " ", unescape(text)).strip()


def without_embeds(html):
    """Stored HTML without its embeds' placeholders and its web images' source credits
    (blog/embeds.py): their title, provider and "Source: host" are not words of the
    post, for excerpts and search snippets."""
    html = re.sub(r'<figure class="embed.*?</figure>', "", html or "", flags=re.S)
    return re.sub(r'<small class="web-image__source">.*?</small>', "", html, flags=re.S)


def excerpt_from_html(html, *, words=40):
    # Footnotes are references, not the opening of the post.
    html = re.sub(r'<div class="footnote">.*?</div>', "", html or "", flags=re.S)
    html = re.sub(r"<sup[^>]*>.*?</sup>", "", html, flags=re.S)
    html = without_embeds(html)
    parts = plain_text(html).split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:.") + "…"


class _TextWriter(HTMLParser):
    """Stored (sanitised) HTML as readable plain text: paragraphs and list items on
    their own lines, quotes marked with "> ", a link's address after its words, and no
    Markdown punctuation (emphasis is just the words)."""

    BLOCKS = {"p", "div", "blockquote", "ul", "ol", "pre", "h2", "h3", "h4", "h5", "h6", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.line, self.quote, self.pre = [], "", 0, 0
        self.links = []  # hrefs of the open <a> elements

    def _break(self, blank=False):
        if self.line.strip():
            self.lines.append("> " * self.quote + self.line.strip())
        self.line = ""
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.BLOCKS:
            self._break(blank=True)
        if tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "li":
            self._break()
            self.line = "- "
        elif tag == "br":
            self._break()
        elif tag == "a":
            self.links.append(attrs.get("href") or "")
            self.link_start = len(self.line)
        elif tag == "img" and attrs.get("alt"):
            self.line += f"[{attrs['alt']}]"

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href = self.links.pop()
            words = self.line[self.link_start :].strip()
            if href and href != words and not href.startswith("#"):
                self.line += f" ({href})"
        elif tag == "blockquote":
            self._break(blank=True)
            self.quote = max(0, self.quote - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in self.BLOCKS or tag == "li":
            self._break(blank=tag in self.BLOCKS)

    def handle_data(self, data):
        if self.pre:
            *whole, last = data.split("\n")
            for part in whole:
                self.line += part
                self._break()
            self.line += last
        else:
            data = re.sub(r"\s+", " ", data)
            self.line += data if self.line.strip() else data.lstrip()

    def text(self):
        self.close()
        self._break()
        return "\n".join(self.lines).strip()


def html_to_text(html):
    """Stored HTML (a comment, a post) as plain text for an email's text part."""
    writer = _TextWriter()
    writer.feed(html or "")
    return writer.text()
