"""WordPress post and comment HTML to our Markdown.

Gutenberg's block comments go, shortcodes become what they showed ([caption] a figure,
[gallery] its images, [embed] a link; any other stays as text and is reported), classic
line breaks become paragraphs, and markdownify writes the Markdown. The result is only
ever stored as Markdown: the Post and Comment render paths (Python-Markdown, then the
nh3 allowlist in blog.rendering) make the HTML readers get, so nothing in an export can
run script.
"""

import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import unquote, urlsplit

from markdownify import ATX, MarkdownConverter

GUTENBERG = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
MORE = re.compile(r"<!--more(.*?)-->", re.S)
NEXTPAGE = re.compile(r"<!--nextpage-->")
CAPTION = re.compile(r"\[(?:caption|wp_caption)([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]", re.S)
GALLERY = re.compile(r"\[gallery([^\]]*)\]")
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S)
SHORTCODE = re.compile(r"\[(/?)([a-zA-Z][\w-]*)((?:\s[^\]]*)?)\](?!\()")
ATTR = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
LEADING_IMAGE = re.compile(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.S)
IMG_TAG = re.compile(r"<img\b[^>]*>", re.S)
BLOCK_START = re.compile(
    r"^\s*<(p|div|h[1-6]|ul|ol|li|figure|blockquote|table|pre|hr|dl|section|iframe)\b", re.I
)
HANDLED = {"caption", "wp_caption", "gallery", "embed"}
SAFE_SCHEMES = {"http", "https", "mailto"}
# Deeper HTML than this is refused: markdownify recurses once per level (about 330
# levels exhaust Python's stack), and no post written in WordPress's editors nests so.
MAX_NESTING = 100
TAG_TOKEN = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
MISSING_IMAGE = '<figure class="image-missing">'


class Refused(ValueError):
    """A post or comment that is not imported; the message says why."""


def check_nesting(html):
    """Raise Refused for HTML nested more than MAX_NESTING elements deep (counted
    without parsing, so it can't recurse itself; unclosed tags count as open)."""
    depth = 0
    for match in TAG_TOKEN.finditer(html):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in VOID:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > MAX_NESTING:
            raise Refused(f"its HTML is nested more than {MAX_NESTING} elements deep")


def missing_image(alt, src):
    """What a post shows where an image of the export was not imported: a figure that
    says so (styled as an empty frame), never a broken <img>."""
    name = unquote(urlsplit(src).path).rsplit("/", 1)[-1]
    return f"\n\n{MISSING_IMAGE}<p>Image not imported: {escape(alt or name)}</p></figure>\n\n"


@dataclass
class Conversion:
    markdown: str
    teaser: str = ""  # the HTML before <!--more-->, if any
    unknown_shortcodes: list = field(default_factory=list)


def shortcode_attrs(text):
    return {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in ATTR.finditer(text)
    }


class _Converter(MarkdownConverter):
    """markdownify with WordPress's headings one level up (our posts' headings start at
    h2 below the page's h1, and render_post_markdown shifts # to h2) and figures kept as
    figures, their image sources pointed at the imported copies."""

    def __init__(self, image_url=None, **options):
        super().__init__(heading_style=ATX, bullets="-", **options)
        self.image_url = image_url or (lambda src: src)  # None: the image is missing

    def convert_hN(self, n, el, text, parent_tags):
        return super().convert_hN(max(1, n - 1), el, text, parent_tags)

    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
        if scheme and scheme not in SAFE_SCHEMES:
            return text  # javascript:, data: and the like: keep the words, drop the link
        if text.strip().startswith(MISSING_IMAGE):
            return text  # a link around a missing image (to its full size): the notice
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        src = el.get("src") or ""
        url = self.image_url(src)
        if url is None:
            if "_inline" in parent_tags:
                return el.get("alt") or ""
            return missing_image(el.get("alt"), src)
        el["src"] = url
        return super().convert_img(el, text, parent_tags)

    def convert_figure(self, el, text, parent_tags):
        images = el.find_all("img")
        if not images:
            return text
        caption_el = el.find("figcaption")
        caption = caption_el.get_text(" ", strip=True) if caption_el else ""
        parts, missing = [], False
        for img in images:
            src, alt = img.get("src") or "", img.get("alt") or ""
            url = self.image_url(src)
            if url is None:
                missing = True
                name = unquote(urlsplit(src).path).rsplit("/", 1)[-1]
                parts.append(f"<p>Image not imported: {escape(alt or name)}</p>")
            else:
                parts.append(f'<img src="{escape(url)}" alt="{escape(alt)}">')
        if caption:
            parts.append(f"<figcaption>{escape(caption)}</figcaption>")
        start = MISSING_IMAGE if missing else "<figure>"
        return "\n\n" + start + "".join(parts) + "</figure>\n\n"


def _autop(html):
    """WordPress's classic editor keeps paragraphs as blank lines: make them <p>."""
    if "\n" not in html:
        return html
    chunks = re.split(r"\n\s*\n", html.strip())
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def _caption(match):
    attrs = shortcode_attrs(match.group(1))
    inner = match.group(2)
    found = LEADING_IMAGE.match(inner)
    if not found:
        return inner
    image = IMG_TAG.search(found.group(1)).group(0)
    caption = found.group(2).strip() or attrs.get("caption", "")
    return f"\n\n<figure>{image}<figcaption>{caption}</figcaption></figure>\n\n"


def _gallery(attachments):
    def replace(match):
        attrs = shortcode_attrs(match.group(1))
        figures = []
        for raw_id in re.split(r"[,\s]+", attrs.get("ids", "").strip()):
            attachment = attachments.get(int(raw_id)) if raw_id.isdigit() else None
            if attachment is None:
                continue
            caption = attachment.get("caption", "")
            figures.append(
                f'<figure><img src="{escape(attachment["url"])}" '
                f'alt="{escape(attachment.get("alt", ""))}">'
                + (f"<figcaption>{escape(caption)}</figcaption>" if caption else "")
                + "</figure>"
            )
        return "\n\n" + "\n\n".join(figures) + "\n\n" if figures else ""

    return replace


def _embed(match):
    url = match.group(1).strip()
    return f'\n\n<p><a href="{escape(url)}">{escape(url)}</a></p>\n\n'


def _to_markdown(html, image_url=None):
    text = _Converter(image_url=image_url).convert(html)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def convert_post(html, *, attachments=None, image_url=None):
    """Conversion of a post body. attachments: {wp id: {"url", "alt", "caption"}}.
    image_url(src) gives an image's new address, or None where it is missing. Raises
    Refused for a body nested too deep to convert."""
    html = GUTENBERG.sub("", html or "")
    check_nesting(html)
    html = NEXTPAGE.sub("", html)
    teaser = ""
    more = MORE.search(html)
    if more:
        teaser = html[: more.start()]
        html = html[: more.start()] + "\n\n" + html[more.end() :]
    html = CAPTION.sub(_caption, html)
    html = GALLERY.sub(_gallery(attachments or {}), html)
    html = EMBED.sub(_embed, html)
    unknown = sorted(
        {m.group(2).lower() for m in SHORTCODE.finditer(html)} - HANDLED,
    )
    return Conversion(
        markdown=_to_markdown(_autop(html), image_url),
        teaser=teaser,
        unknown_shortcodes=unknown,
    )


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def convert_comment(html):
    """Markdown for a comment's HTML (WordPress comments are mostly plain text). Raises
    Refused for HTML nested too deep to convert."""
    html = (html or "").strip()
    check_nesting(html)
    if "<" not in html and "&" not in html:
        paragraphs = re.split(r"\n\s*\n", html)
        return "\n\n".join(
            MD_SPECIAL.sub(r"\\\1", p.strip()).replace("\n", "  \n")
            for p in paragraphs
            if p.strip()
        )
    return _to_markdown(_autop(html)).strip()
