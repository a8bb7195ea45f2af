"""Read a WordPress export (WXR 1.0 to 1.2) safely and completely before anything is written.

defusedxml refuses DTDs and entity declarations (billion laughs, external entities) and
never touches the network; a malformed or truncated file is refused too. Whatever the
reason, ``parse`` raises ``WxrError`` with a message an instructor can act on.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WP_NS = re.compile(r"^http://wordpress\.org/export/(1\.[0-2])/$")
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}


class WxrError(ValueError):
    """The file can't be imported; the message says why."""


@dataclass
class Author:
    wp_id: int | None
    login: str
    email: str
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class WpComment:
    wp_id: int
    parent_id: int
    author_name: str
    email: str
    url: str
    date_gmt: datetime | None
    date_local: datetime | None
    content: str
    approved: str
    type: str
    user_id: int


@dataclass
class Item:
    wp_id: int
    post_type: str
    status: str
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    date_gmt: datetime | None
    date_local: datetime | None
    slug: str
    parent_id: int
    attachment_url: str = ""
    menu_order: int = 0  # a page's place among its siblings
    comment_status: str = ""  # "open" or "closed": a page's switch (coursepages)
    terms: list = field(default_factory=list)  # (domain, nicename, name)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


@dataclass
class Export:
    version: str
    title: str
    link: str
    authors: list
    items: list

    @property
    def host(self):
        return urlsplit(self.link).netloc.lower()


def parse(source):
    """Parse a path or binary file object into an Export, or raise WxrError."""
    try:
        tree = SafeET.parse(source, forbid_dtd=True)
    except DefusedXmlException as error:
        raise WxrError(
            "This file declares a DTD or entities (as XML attacks do), which a WordPress "
            "export never has. Nothing was imported."
        ) from error
    except SafeET.ParseError as error:
        raise WxrError(
            f"This file is not well-formed XML ({error}). It may be truncated: export it "
            "again from WordPress (Tools → Export). Nothing was imported."
        ) from error
    root = tree.getroot()
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise WxrError(
            "This is not a WordPress export: it has no RSS channel. In WordPress, use "
            "Tools → Export and upload the .xml file it gives you."
        )
    wp, version = _wp_namespace(channel)
    reader = _Reader(wp, version)
    authors = [reader.author(el) for el in channel.findall(f"{{{wp}}}author")]
    items = [reader.item(el) for el in channel.findall("item")]
    if reader.errors:
        shown = "; ".join(reader.errors[:5])
        more = f" (and {len(reader.errors) - 5} more)" if len(reader.errors) > 5 else ""
        raise WxrError(f"This export has damaged entries: {shown}{more}. Nothing was imported.")
    return Export(
        version=version,
        title=_text(channel, "title"),
        link=_text(channel, "link"),
        authors=authors,
        items=items,
    )


def _wp_namespace(channel):
    for child in channel:
        if child.tag.endswith("}wxr_version"):
            namespace = child.tag[1:].split("}")[0]
            match = WP_NS.match(namespace)
            version = (child.text or "").strip()
            if match and version in SUPPORTED_VERSIONS:
                return namespace, version
            raise WxrError(
                f"This export is WXR version {version or '?'}; Commonplace reads versions "
                "1.0, 1.1 and 1.2."
            )
    raise WxrError(
        "This is not a WordPress export: it has no wp:wxr_version. In WordPress, use "
        "Tools → Export and upload the .xml file it gives you."
    )


def _text(el, tag):
    found = el.find(tag)
    return (found.text or "").strip() if found is not None and found.text else ""


def _raw(el, tag):
    """Text without stripping (post bodies keep their blank lines)."""
    found = el.find(tag)
    return found.text or "" if found is not None else ""


def _date(value):
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


class _Reader:
    def __init__(self, wp, version):
        self.wp = wp
        self.excerpt_ns = f"http://wordpress.org/export/{version}/excerpt/"
        self.errors = []

    def w(self, tag):
        return f"{{{self.wp}}}{tag}"

    def _int(self, el, tag, *, where, required=False):
        value = _text(el, self.w(tag))
        if not value:
            if required:
                self.errors.append(f"{where} has no {tag}")
            return 0
        try:
            return int(value)
        except ValueError:
            self.errors.append(f"{where} has {tag} “{value[:20]}”, not a number")
            return 0

    def author(self, el):
        where = f"author “{_text(el, self.w('author_login'))}”"
        return Author(
            wp_id=self._int(el, "author_id", where=where) or None,
            login=_text(el, self.w("author_login")),
            email=_text(el, self.w("author_email")),
            display_name=_text(el, self.w("author_display_name")),
            first_name=_text(el, self.w("author_first_name")),
            last_name=_text(el, self.w("author_last_name")),
        )

    def item(self, el):
        title = _text(el, "title")
        where = f"item “{title[:40]}”"
        item = Item(
            wp_id=self._int(el, "post_id", where=where, required=True),
            post_type=_text(el, self.w("post_type")) or "post",
            status=_text(el, self.w("status")) or "draft",
            title=title,
            link=_text(el, "link"),
            guid=_text(el, "guid"),
            creator=_text(el, f"{{{DC_NS}}}creator"),
            content=_raw(el, f"{{{CONTENT_NS}}}encoded"),
            excerpt=_raw(el, f"{{{self.excerpt_ns}}}encoded"),
            date_gmt=_date(_text(el, self.w("post_date_gmt"))),
            date_local=_date(_text(el, self.w("post_date"))),
            slug=unquote(_text(el, self.w("post_name"))),
            parent_id=self._int(el, "post_parent", where=where),
            attachment_url=_text(el, self.w("attachment_url")),
            menu_order=self._int(el, "menu_order", where=where),
            comment_status=_text(el, self.w("comment_status")),
        )
        for term in el.findall("category"):
            item.terms.append(
                (term.get("domain", ""), term.get("nicename", ""), (term.text or "").strip())
            )
        for meta in el.findall(self.w("postmeta")):
            key = _text(meta, self.w("meta_key"))
            if key:
                item.meta[key] = _raw(meta, self.w("meta_value"))
        for comment in el.findall(self.w("comment")):
            item.comments.append(self.comment(comment, where))
        return item

    def comment(self, el, where):
        where = f"a comment on {where}"
        return WpComment(
            wp_id=self._int(el, "comment_id", where=where, required=True),
            parent_id=self._int(el, "comment_parent", where=where),
            author_name=_text(el, self.w("comment_author")),
            email=_text(el, self.w("comment_author_email")),
            url=_text(el, self.w("comment_author_url")),
            date_gmt=_date(_text(el, self.w("comment_date_gmt"))),
            date_local=_date(_text(el, self.w("comment_date"))),
            content=_raw(el, self.w("comment_content")),
            approved=_text(el, self.w("comment_approved")) or "0",
            type=_text(el, self.w("comment_type")) or "comment",
            user_id=self._int(el, "comment_user_id", where=where),
        )
