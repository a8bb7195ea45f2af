"""A course as a static site: a zip of plain files that opens from a disk or any static
host, and outlives the server (issue 32; docs/terms.md).

Built from the database, not by crawling over HTTP: each page is the site's own view
and templates, drawn through Django's test ``Client`` for one reader (anonymous for the
public archive; a synthetic student, created and rolled back, for the members'
archive). So what a reader sees (visibility, drafts, held comments, how a student's
name shows) is decided by the site's own rules, and a change to them flows into the
archive. Then each page is cleaned with an HTML parser (lxml): no script, no form, no
button, no sign-in link, no per-viewer part; every internal link made relative
(``…/index.html``, or ``index-2.html`` for a list's second page), and a link to a page
the archive doesn't hold unwrapped to its text. Stylesheets, fonts and images are
copied beside the pages.

Byte-identical when built twice from the same data: entries sorted, their timestamps
and "now" pinned to the course's last change, nothing random in a page (the synthetic
reader's rows never show).
"""

import io
import posixpath
import re
import uuid
import zipfile
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.html import escape

from blog.models import Membership, Post, Role

# The pages of a course an archive holds (URL names; each takes the course's slug).
ARCHIVED_PAGES = frozenset(
    {
        "blog:course_detail", "blog:post_detail", "blog:topic_detail", "blog:author_posts",
        "blog:course_archive", "awards:award_list", "awards:award_detail",
        "references:bibliography", "coursepages:page_detail",
    }
)  # fmt: skip
# Links to these are actions or the reader's own (sign in, join, edit, reply): they are
# removed with their text, where a link to another page the archive lacks keeps its text.
ACTION_NAMESPACES = frozenset({"comments", "account", "socialaccount", "notifications"})
ACTION_PAGES = frozenset(
    {
        "account_login", "account_signup", "account_logout", "blog:course_join",
        "blog:post_create", "blog:post_edit", "blog:post_delete", "blog:post_like",
        "blog:post_unpublish", "blog:course_settings", "blog:my_posts",
    }
)  # fmt: skip
# Elements never kept: scripts, forms and their controls.
REMOVED_TAGS = ("script", "form", "button", "input", "select", "textarea", "template")
# Parts that only make sense to a reader of the live site (the step to take before
# commenting or liking), found by their class; a template may also mark such a part
# with data-archive="omit" (assignments' box: the archive holds no assignment page).
# A comment's Reply link has no class: it goes as a link to the comments' actions.
REMOVED_CLASSES = (
    "discussion__closed", "likes__hint", "comment__action", "respond",
)  # fmt: skip
URL_ATTRIBUTES = ("href", "src", "poster")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
ZIP_MODE = 0o644 << 16
# A stored file's name in an address of the media storage (a bucket's path, a CDN's).
STORED_NAME = re.compile(r"/((?:courses/\d+|avatars|awards)/[^?#]+)$")


def parser():
    """lxml, loaded with the first archive, not in every web worker that shows the
    archive page (tests/test_foundation.py; docs/decisions.md, issue 13)."""
    import lxml.html

    return lxml.html


def can_be_archived(course):
    """Whether the course may be archived: only a closed course (docs/terms.md), so
    what the archive holds is what the course holds for good."""
    return course.is_closed


def has_public_archive(course):
    """A members-only course shows an anonymous reader nothing: no public archive."""
    return course.is_public


def readers_posts(course, *, members):
    """The posts the archive's reader sees: the published posts an anonymous reader
    (public) or any member (members) may read."""
    posts = Post.objects.published().for_course(course)
    return posts if members else posts.visible_to(AnonymousUser())


@dataclass
class Contents:
    """What an archive will hold, listed for the instructor before building."""

    posts: list
    drafts: int
    topics: list
    months: list
    authors: list
    extras: list = field(default_factory=list)


def contents_of(course, *, members):
    posts = list(readers_posts(course, members=members).select_related("author").newest_first())
    authors = {post.author_id: post.author for post in posts}
    extras = [
        label
        for app, label in (
            ("coursepages", "The course's pages, with its menu"),
            ("awards", "The award hall of fame"),
            ("references", "The bibliography"),
        )
        if apps.is_installed(app)
    ]
    return Contents(
        posts=posts,
        drafts=Post.objects.for_course(course).drafts().count(),
        topics=list(course.topics.all()),
        months=list(readers_posts(course, members=members).count_by_month()),
        authors=sorted(authors.values(), key=lambda user: user.name.casefold()),
        extras=extras,
    )


def last_change(course):
    """The moment the archive's pages are drawn at ("now"), and its files' date: the
    course's last change, so that a rebuild from the same data gives the same bytes."""
    latest = Post.objects.for_course(course).aggregate(latest=Max("updated"))["latest"]
    return max(filter(None, (latest, course.created)))


def file_of(path, page=1):
    """Where a page of the site lives in the archive: its path, then index.html (or
    index-<n>.html for page n of a list: never a folder, so no post slug can clash)."""
    name = "index.html" if page == 1 else f"index-{page}.html"
    return path.lstrip("/") + name


def archive_host():
    """A host name the site answers to, for the client that draws the pages."""
    for host in settings.ALLOWED_HOSTS:
        if host not in ("*", "") and not host.startswith("."):
            return host
    return "localhost"


def course_pages(course):
    """The addresses the archive starts from (every visible post comes with its page
    even if no list links it); the rest are found in the pages' links."""
    kwargs = {"course_slug": course.slug}
    seeds = [reverse("blog:course_detail", kwargs=kwargs)]
    for name in ("awards:award_list", "references:bibliography"):
        with suppress(NoReverseMatch):  # the app is not installed
            seeds.append(reverse(name, kwargs=kwargs))
    if apps.is_installed("coursepages"):  # every published page, even one the menu hides
        from coursepages.models import Page

        slugs = Page.objects.for_course(course).published().order_by("slug")
        seeds += [
            reverse("coursepages:page_detail", kwargs={**kwargs, "page_slug": slug})
            for slug in slugs.values_list("slug", flat=True)
        ]
    return seeds


class Build:
    """One archive of one course for one reader: ``write(fileobj)`` writes the zip."""

    def __init__(self, course, *, members=False, progress=None):
        if not members and not has_public_archive(course):
            raise ValueError("A members-only course has no public archive: build the members' one.")
        self.course = course
        self.members = members
        self.progress = progress or (lambda done, total: None)
        self.host = archive_host()
        self.now = last_change(course)
        self.pages = {}  # (path, page number) -> the page as drawn, parsed
        self.matches = {}  # path -> its URL pattern's match (Build.resolved)
        self.files = {}  # archive name -> bytes

    # --- Drawing the pages ---

    @contextmanager
    def reader(self):
        """A client for the archive's reader. Members: a synthetic student, made for the
        build and rolled back with everything it touched."""
        from django.test import Client  # the test client draws pages: loaded when it does

        client = Client(HTTP_HOST=self.host)
        if not self.members:
            yield client
            return
        with transaction.atomic():
            reader = get_user_model().objects.create(
                username=f"archive-reader-{uuid.uuid4().hex}", is_active=True
            )
            Membership.objects.create(course=self.course, user=reader, role=Role.STUDENT)
            client.force_login(reader)
            yield client
            transaction.set_rollback(True)

    def draw(self, client, path, page):
        query = {"archive": "1"}  # a query the page cache never answers nor keeps
        if page > 1:
            query["page"] = str(page)
        from unittest import mock  # loaded by a build, not by every worker

        with mock.patch("django.utils.timezone.now", return_value=self.now):
            response = client.get(path, query, secure=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return None
        return response.content.decode(response.charset or "utf-8")

    def resolved(self, path):
        """The URL pattern ``path`` matches (None: no page), asked once per path: a
        page's cards, chips and crumbs link the same few pages again and again."""
        if path not in self.matches:
            try:
                self.matches[path] = resolve(path)
            except Resolver404:
                self.matches[path] = None
        return self.matches[path]

    def archived(self, url):
        """(path, page) if ``url`` (absolute, on this host) is a page the archive may
        hold, else None."""
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        if set(query) - {"page"} or not parts.path.endswith("/"):
            return None
        match = self.resolved(parts.path)
        if match is None or match.view_name not in ARCHIVED_PAGES:
            return None
        if match.kwargs.get("course_slug") != self.course.slug:
            return None
        page = query.get("page", "1")
        return (parts.path, int(page)) if page.isdigit() and int(page) >= 1 else None

    def draw_all(self):
        posts = readers_posts(self.course, members=self.members).values_list("slug", flat=True)
        post_paths = [
            reverse("blog:post_detail", args=[self.course.slug, slug])
            for slug in posts.order_by("slug")
        ]
        waiting = [(path, 1) for path in [*course_pages(self.course), *post_paths]]
        seen = set(waiting)
        with self.reader() as client:
            while waiting:
                key = waiting.pop(0)
                html = self.draw(client, *key)
                self.progress(len(seen) - len(waiting), len(seen))
                if html is None:
                    continue
                self.pages[key] = doc = parser().document_fromstring(html)
                base = self.absolute(key)
                for link in doc.xpath("//a/@href"):
                    found = self.archived(urljoin(base, link))
                    if found and found not in seen:
                        seen.add(found)
                        waiting.append(found)

    def absolute(self, key):
        path, page = key
        return f"https://{self.host}{path}" + (f"?page={page}" if page > 1 else "")

    # --- Cleaning a page ---

    def clean(self, key, doc):
        here = file_of(*key)
        base = self.absolute(key)
        for element in doc.xpath("//" + " | //".join(REMOVED_TAGS)):
            element.drop_tree()
        for element in doc.xpath("//*[@data-archive='omit']"):
            element.drop_tree()  # marked by its template: only for the live site
        for name in REMOVED_CLASSES:
            for element in doc.xpath(f"//*[contains(concat(' ', @class, ' '), ' {name} ')]"):
                element.drop_tree()
        for element in doc.xpath("//*[@nonce]"):
            del element.attrib["nonce"]
        for element in doc.xpath("//meta[@content]"):
            content = urljoin(base, element.get("content"))
            if self.internal(content) or self.on_media_origin(content):
                element.drop_tree()  # og:url, og:image: absolute addresses of the live site
        for element in list(doc.iter("a", "link", "img", "source", "video", "audio")):
            self.rewrite(element, here, base)
        for element in doc.xpath("//*[@style]"):
            style = CSS_URL.sub(lambda m: self.css_url(m, here, base), element.get("style"))
            element.set("style", style)
        for element in doc.xpath("//header[contains(@class, 'site-header')]//li"):
            if not element.text_content().strip() and not len(element.xpath(".//img|.//svg")):
                element.drop_tree()  # the reader's own links, removed, leave empty items
        return "<!doctype html>\n" + parser().tostring(doc, encoding="unicode", method="html")

    def internal(self, url):
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.netloc == self.host

    def rewrite(self, element, here, base):
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if value is None or value.startswith("#"):
                continue
            target = self.target(urljoin(base, value), here)
            if target is not None:
                element.set(attribute, target)
            elif element.tag == "a":
                self.drop_link(element, urljoin(base, value))
                return
            else:
                element.drop_tree()  # a canonical, feed or image the archive lacks
                return
        if element.get("srcset"):
            candidates = []
            for candidate in element.get("srcset").split(","):
                url, _, width = candidate.strip().partition(" ")
                target = self.target(urljoin(base, url), here)
                if target is not None:
                    candidates.append(f"{target} {width}".strip())
            element.set("srcset", ", ".join(candidates))

    def target(self, url, here):
        """The relative address of ``url`` in the archive (a page, a stylesheet, an
        image, copied in), the url itself if external, or None: not in the archive."""
        if not self.internal(url):
            name = self.stored_elsewhere(url)
            return url if name is None else posixpath.relpath(name, posixpath.dirname(here) or ".")
        parts = urlsplit(url)
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        name = "index.html" if parts.path == "/" else self.asset(parts.path)  # home: the door
        if name is None:
            key = self.archived(url)
            if key is None or key not in self.pages:
                return None
            name = file_of(*key)
        if name == here and fragment:
            return fragment
        return posixpath.relpath(name, posixpath.dirname(here) or ".") + fragment

    def drop_link(self, element, url):
        """A link to a page the archive lacks: an action or the reader's own (sign in,
        join, edit) goes with its text; another page's keeps its text."""
        path = urlsplit(url).path
        match = self.resolved(path)
        if match is None:
            action = path.startswith("/accounts/")
        else:
            namespaces = set(match.namespaces)
            action = match.view_name in ACTION_PAGES or bool(namespaces & ACTION_NAMESPACES)
        in_header = bool(element.xpath("ancestor::header[contains(@class, 'site-header')]"))
        if action or in_header:
            element.drop_tree()
        else:
            element.drop_tag()

    # --- Files beside the pages ---

    def asset(self, path):
        """Copy in the stylesheet, font or image at ``path`` (site-absolute); its name in
        the archive, or None if it isn't one."""
        static_url = "/" + settings.STATIC_URL.strip("/") + "/"
        media_url = "/" + settings.MEDIA_URL.strip("/") + "/"
        if path.startswith(static_url):
            read, name = self.static_bytes, path[len(static_url) :]
        elif path.startswith(media_url):
            read, name = self.media_bytes, path[len(media_url) :]
        else:
            return None
        archived = path.lstrip("/")
        if archived not in self.files:
            data = read(name)
            if data is None:
                return None
            self.files[archived] = data
            if archived.endswith(".css"):
                self.files[archived] = self.clean_css(archived, data)
        return archived

    def on_media_origin(self, url):
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" in settings.MEDIA_ORIGIN

    def stored_elsewhere(self, url):
        """An image of the media storage at its own origin (an S3 bucket, a CDN: settings'
        MEDIA_ORIGIN, signed or not), copied in: its name in the archive, or None."""
        if not self.on_media_origin(url):
            return None
        found = STORED_NAME.search(urlsplit(url).path)
        if found is None:
            return None
        archived = "media/" + found.group(1)
        if archived not in self.files:
            data = self.media_bytes(found.group(1))
            if data is None:
                return None
            self.files[archived] = data
        return archived

    def static_bytes(self, name):
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as file:
                return file.read()
        found = finders.find(name)
        if found:
            with open(found, "rb") as file:
                return file.read()
        return None

    def media_bytes(self, name):
        if ".." in name.split("/") or not default_storage.exists(name):
            return None
        with default_storage.open(name) as file:
            return file.read()

    def clean_css(self, name, data):
        base = f"https://{self.host}/{name}"
        css = data.decode("utf-8")
        return CSS_URL.sub(lambda m: self.css_url(m, name, base), css).encode("utf-8")

    def css_url(self, match, here, base):
        value = match.group(2)
        if value.startswith(("data:", "#")):
            return match.group(0)
        target = self.target(urljoin(base, value), here)
        return f'url("{target}")' if target is not None else "url()"

    # --- The zip ---

    def index(self):
        """The archive's front door: the course page, without script."""
        course_page = file_of(reverse("blog:course_detail", args=[self.course.slug]))
        title = escape(self.course.title)
        return (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={course_page}">'
            f"<title>{title}</title></head><body>"
            f'<p><a href="{course_page}">{title}</a></p></body></html>\n'
        )

    def build(self):
        """Draw and clean every page: {archive name: bytes}."""
        self.draw_all()
        files = {}
        for key in sorted(self.pages):
            files[file_of(*key)] = self.clean(key, self.pages[key]).encode("utf-8")
        files["index.html"] = self.index().encode("utf-8")
        return {**self.files, **files}

    def write(self, fileobj, files=None):
        """Write the zip (of ``files``, or of a new build); returns how many files."""
        files = self.build() if files is None else files
        stamp = timezone.localtime(self.now, timezone.get_fixed_timezone(0))
        date_time = max(stamp, datetime(1980, 1, 1, tzinfo=stamp.tzinfo)).timetuple()[:6]
        with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = ZIP_MODE
                archive.writestr(info, files[name])
        return len(files)


def build_archive(course, *, members=False, progress=None):
    """The archive's zip, as bytes."""
    buffer = io.BytesIO()
    Build(course, members=members, progress=progress).write(buffer)
    return buffer.getvalue()
