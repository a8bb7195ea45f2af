"""The page cache: whole pages for anonymous readers, keyed by versions in the database.

Every change that shows on a page bumps a version IN THE SAME TRANSACTION as the
change, with one call from the service that makes it:

    pagecache.changed(post=post)        # a comment, a like, an award, the post itself
    pagecache.changed(course=course)    # settings, topics, awards, members, names
    pagecache.changed(courses=queryset) # a profile shown in several courses

The versions are columns: ``Post.page_version`` (that post's page), and on Course
``pages_version`` (anything on any page of the course: its listings, cards, posts) and
``common_version`` (what every page of the course shows: its settings, topics, people's
names). A post page's key holds (common_version, page_version), the course page's
pages_version, the home page's sum of every course's pages_version with the number of
courses and the newest id. A reader asks the database for the versions (one query) and
then the shared cache for the page: a page rendered before a change was stored under
the old versions, so nobody reads it again. Several app servers share the versions
through the database, so a change shows from all of them at once, whatever the cache.

Only requests with no cookie but the CSRF one (and the reader's time zone, which only
per-viewer parts read), and no query but ``page``, are served
from or stored in the cache: no session (so nobody signed in, no guest's held
comments), no flash messages, no remembered guest details. A page is stored only when
its response set no cookie and used no message or session. Per-request values in the
HTML (the CSRF token of the guest comment form, a CSP nonce) are stored as markers and
filled in for each reader, so every form's token stays valid.

The cache is an optimisation only: when it fails, the error is logged and the page
is rendered as if the cache were empty.
"""

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache, wraps
from importlib import import_module
from typing import NamedTuple

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.safestring import mark_safe

from config.db import PreparedQuery
from config.hooks import HOLE_FILLERS

logger = logging.getLogger(__name__)

CSRF_MARKER = "\x00csrf\x00"
NONCE_MARKER = "\x00nonce\x00"
MARKERS = re.compile("\x00(csrf|nonce)\x00")
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
ALLOWED_QUERY = {"page"}
HEADER = "X-Page-Cache"


# --- Versions: bumped with the change ---


def changed(*, post=None, posts=None, course=None, courses=None):
    """Record that something shown on these pages changed; call it inside the change's
    transaction. A post's change (``post``, or ``posts``: a queryset or a list) shows on
    its page and on the lists of its course; a course's change (``course``, or
    ``courses``: a queryset) shows on every page of the course."""
    from blog.models import Course, Post

    post_ids = [post.pk] if post is not None else []
    if posts is not None:
        post_ids += (
            [p.pk for p in posts]
            if isinstance(posts, list)
            else list(posts.values_list("pk", flat=True))
        )
    if post_ids:
        Post.objects.filter(pk__in=post_ids).update(page_version=F("page_version") + 1)
        touched = Post.objects.filter(pk__in=post_ids).values("course_id")
        Course.objects.filter(pk__in=touched).update(pages_version=F("pages_version") + 1)
    if course is not None:
        courses = Course.objects.filter(pk=course.pk)
    if courses is not None:
        Course.objects.filter(pk__in=courses.values("pk")).update(
            pages_version=F("pages_version") + 1, common_version=F("common_version") + 1
        )


def person_changed(sender, user, **kwargs):
    """accounts' profile_changed: the courses where the person is a member or an author."""
    from blog.models import Course

    changed(courses=Course.objects.filter(Q(memberships__user=user) | Q(posts__author=user)))


# The versions of a page: one small SQL statement, written out rather than built by the
# ORM on every request (building it cost three times as long as running it). The
# page-cache tests pin what each reads; None: no such page (the view answers it).
POST_VERSIONS = (
    "SELECT c.common_version, p.page_version FROM blog_post p"
    " JOIN blog_course c ON c.id = p.course_id WHERE c.slug = %s AND p.slug = %s"
)
COURSE_VERSIONS = "SELECT pages_version FROM blog_course WHERE slug = %s"
SITE_VERSIONS = "SELECT SUM(pages_version), COUNT(*), MAX(id) FROM blog_course"


def _versions(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def post_versions(request, course_slug, post_slug):
    return _versions(POST_VERSIONS, [course_slug, post_slug])


def course_versions(request, course_slug, **kwargs):
    return _versions(COURSE_VERSIONS, [course_slug])


def site_versions(request, **kwargs):
    return _versions(SITE_VERSIONS)


class VersionedModel:
    """Mixin for models with version columns: ``save()`` of a loaded row never writes
    them back, so an edit can't undo a bump that a concurrent change made meanwhile."""

    version_fields = ()

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None and not args:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and f.name not in self.version_fields
                and f.attname not in deferred
            ]
        super().save(*args, **kwargs)


class ChangesPagesAdmin:
    """ModelAdmin mixin: saving or deleting a row in the admin bumps the versions of the
    pages that show it. ``pages_of(obj)`` returns ``changed()``'s keywords."""

    def pages_of(self, obj):
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed(**self.pages_of(form.instance))

    def delete_model(self, request, obj):
        changed(**self.pages_of(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            changed(**self.pages_of(obj))
        super().delete_queryset(request, queryset)


# --- Whole pages for anonymous readers ---


def anonymous_page(versions):
    """Cache the view's page for anonymous readers, keyed by the path and
    ``versions(request, **kwargs)`` (a tuple, or None: don't cache). PageCacheMiddleware
    serves the stored page before the rest of the middleware runs; without it, this
    decorator serves it."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not may_use_cache(request):
                return view(request, *args, **kwargs)
            if hasattr(request, "page_cache_key"):  # PageCacheMiddleware looked: a miss
                key = request.page_cache_key
            else:
                key, stored = lookup(request, versions, args, kwargs)
                if stored is not None:
                    return from_cache(request, stored)
            if key is None:
                return view(request, *args, **kwargs)
            response = view(request, *args, **kwargs)
            if may_store(request, response):
                cache_set(key, to_cache(request, response))
                response[HEADER] = "miss"
            return response

        wrapper.page_versions = versions
        return wrapper

    return decorator


def lookup(request, versions, args, kwargs):
    """(the page's key, the stored page or None); (None, None): this page isn't cached."""
    found = versions(request, *args, **kwargs)
    if found is None:
        return None, None
    key = page_key(request, found)
    return key, cache_get(key)


class PageCacheMiddleware:
    """Answers cached pages before sessions, CSRF, users, messages and the rest run.

    An anonymous reader's hit costs the URL match, the versions query and one cache
    get. A signed-in member's hit (a view made by ``member_view``) costs the
    session, the user (``signed_in_user``: only one that Django's ``get_user`` would
    accept as it is), the view's lookup and the fillers' queries. Only a session that
    holds nothing but the sign-in (``MEMBER_SESSION_KEYS``) is served here, so whatever
    else a session may carry (held comments, messages, a sign-in in progress) reaches
    the middleware and views that handle it.

    Place it after the middleware that only add headers (security, X-Frame-Options,
    CSP, Permissions-Policy), which treat a hit like any response, and before
    SessionMiddleware. A miss goes on down the stack, an anonymous one with the key on
    the request so the view's decorator doesn't look the versions up again."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        page = request.method == "GET" and cached_view(request.path_info, urlconf)
        if page and may_use_cache(request):
            key, stored = lookup(request, page.versions, page.args, page.kwargs)
            if stored is not None:
                return self.hit(request, stored)
            request.page_cache_key = key
        elif page and page.member_lookup and may_try_member_hit(request):
            response = self.member_hit(request, page)
            if response is not None:
                return response
        return self.get_response(request)

    def hit(self, request, stored):
        self.csrf.process_request(request)  # the reader's CSRF cookie, if any
        response = from_cache(request, stored)
        return self.csrf.process_response(request, response)  # a new reader's cookie

    def member_hit(self, request, page):
        """The member's page from the cache, or None: on down the stack, which gets
        what was loaded here (the session, the verified user, the view's lookup) so
        that a miss costs no query twice."""
        engine = import_module(settings.SESSION_ENGINE)
        session = engine.SessionStore(request.COOKIES[settings.SESSION_COOKIE_NAME])
        request.preloaded_session = session  # for SessionMiddleware, below
        if not set(session.keys()) <= MEMBER_SESSION_KEYS:
            return None
        user = signed_in_user(session)
        if user is None:
            return None
        request._cached_user = user  # what AuthenticationMiddleware's get_user takes
        request.session, request.user = session, user
        self.csrf.process_request(request)
        try:
            found = page.member_lookup(request, *page.args, **page.kwargs)
        except Http404:
            return None
        request.member_found = (page.member_lookup, found)  # for the view: member_view
        try:
            response = member_hit(request, *found)
        except Bypass:
            return None
        if response is None or session.modified:  # a filler wrote to it: the stack saves it
            return None
        return self.csrf.process_response(request, response)


def backend_user(backend, user_id):
    """``backend.get_user(user_id)``; for ModelBackend's (allauth's backend inherits it),
    its query compiled once, since every member's hit runs it, with what the reader
    loaders annotate (blog.extensions.register_reader_loader)."""
    from django.contrib.auth.backends import ModelBackend  # needs the app registry

    if type(backend).get_user is not ModelBackend.get_user:
        return backend.get_user(user_id)
    user = USER_ROW.get(user_id=user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


def _user_row(user_id):
    from blog.extensions import with_reader_loaders  # blog.models imports this module

    return with_reader_loaders(get_user_model()._default_manager.filter(pk=user_id))


USER_ROW = PreparedQuery(_user_row, user_id=-730_113_601)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that it keeps the session PageCacheMiddleware loaded for a
    member's page it didn't have: one session query per request, not two."""

    def process_request(self, request):
        preloaded = request.__dict__.pop("preloaded_session", None)
        if preloaded is None:
            super().process_request(request)
        else:
            request.session = preloaded


def signed_in_user(session):
    """The session's user if Django's ``get_user`` would return them and leave the
    session as it is: the backend still knows them (active) and the session's hash
    matches their password's under the current secret key. Else None, and the request
    goes down the stack, where ``get_user`` renews the hash or signs them out."""
    try:
        user_id = get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = backend_user(auth.load_backend(backend_path), user_id)
    if user is None or not hasattr(user, "get_session_auth_hash"):
        return None
    if not constant_time_compare(
        session.get(auth.HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        return None
    return user


# What a session may hold for PageCacheMiddleware to serve a member's page itself: the
# sign-in (Django's keys and the session's own expiry, how allauth signed them in and
# the address a provider vouched for, which provider): nothing that another middleware
# or view would act on when reading a page.
MEMBER_SESSION_KEYS = {
    "_auth_user_id",
    "_auth_user_backend",
    "_auth_user_hash",
    "_session_expiry",
    "account_authentication_methods",
    "account_authentication_methods_user",
    "account_verified_email",
    "accounts_signed_in_with",
}


def may_try_member_hit(request):
    # SessionMiddleware's response step doesn't run on such a hit: no session may need it.
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and not settings.CSRF_USE_SESSIONS
        and not settings.SESSION_SAVE_EVERY_REQUEST
        and settings.SESSION_COOKIE_NAME in request.COOKIES
        and set(request.COOKIES) <= {settings.SESSION_COOKIE_NAME, *neutral_cookies()}
        and set(request.GET) <= ALLOWED_QUERY
    )


class CachedView(NamedTuple):
    versions: Callable  # anonymous_page's
    member_lookup: Callable | None  # member_view's lookup
    args: tuple
    kwargs: dict


@lru_cache(maxsize=2048)
def cached_view(path, urlconf):
    """The CachedView at this path, else None. URLs map to views the same way for the
    life of the process, so the answer is kept (bounded: paths come from anyone)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    versions = getattr(match.func, "page_versions", None)
    if versions is None:
        return None
    lookup = getattr(match.func, "member_lookup", None)
    return CachedView(versions, lookup, match.args, match.kwargs)


def neutral_cookies():
    """Cookies that change no cached page outside its holes: the CSRF token (filled in
    per reader) and the reader's time zone (read only by per-viewer parts)."""
    return {settings.CSRF_COOKIE_NAME, settings.READER_ZONE_COOKIE}


def may_use_cache(request):
    return (
        request.method == "GET"
        and settings.PAGE_CACHE_SECONDS > 0
        and set(request.COOKIES) <= neutral_cookies()
        and set(request.GET) <= ALLOWED_QUERY
    )


def may_store(request, response):
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request.user, "is_authenticated", False)
        and not (messages is not None and messages.added_new)
        and not (session is not None and (session.modified or session.accessed and session.keys()))
    )


def page_key(request, versions):
    query = request.GET.get("page", "")
    return f"page:{request.path}:{query}:{'.'.join(str(v) for v in versions)}"


def to_cache(request, response, markers=MARKERS):
    """(content type, parts): the page as bytes, split at its per-request values; the
    odd parts name them ("csrf", "nonce"). Stored once, joined per reader."""
    html = response.content.decode(response.charset)
    html = CSRF_INPUT.sub(rf"\g<1>{CSRF_MARKER}\g<2>", html)
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        html = html.replace(str(nonce), NONCE_MARKER)
    parts = markers.split(html)
    parts[::2] = [text.encode(response.charset) for text in parts[::2]]
    return (response["Content-Type"], parts)


def from_cache(request, stored):
    content_type, parts = stored
    if len(parts) > 1:
        values = {}
        if "csrf" in parts[1::2]:
            values["csrf"] = get_token(request).encode()
        if "nonce" in parts[1::2]:
            values["nonce"] = str(getattr(request, "csp_nonce", "")).encode()
        parts = [values[part] if n % 2 else part for n, part in enumerate(parts)]
    # Written part by part, never joined: the server sends the few parts as they are,
    # so a hit copies none of a long page (P500: 560 KB), nor asks for a fresh buffer.
    response = HttpResponse(content_type=content_type)
    for part in parts:
        response.write(part)
    response[HEADER] = "hit"
    response["Content-Length"] = str(sum(len(part) for part in parts))
    patch_vary_headers(response, ["Cookie"])
    return response


class RecentPages:
    """The pages this process served last, as the shared cache gave them, in front of
    it: a hit then neither waits for the cache nor unpickles (and copies) the page.

    Exact, like the shared cache: a key holds the versions its page was drawn under,
    read from the database on every request, so a change gives a new key and the old
    copy is never asked for again. An entry lives no longer than the shared cache would
    keep it (PAGE_CACHE_SECONDS: what a page shows that depends on the clock), and the
    whole is bounded by PAGE_CACHE_LOCAL_BYTES (0: off), least recently used first."""

    def __init__(self):
        self.entries = OrderedDict()  # key -> (value, size, expires)
        self.size = 0
        self.lock = threading.Lock()  # threaded servers share one per process

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[2] <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[0]

    def put(self, key, value):
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        size = _bytes_in(value)
        if size > limit // 2:
            return  # a page this large would push out all the others
        with self.lock:
            self._drop(key)
            self.entries[key] = (value, size, time.monotonic() + settings.PAGE_CACHE_SECONDS)
            self.size += size
            while self.size > limit:
                self._drop(next(iter(self.entries)))

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key):
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= entry[1]


def _bytes_in(value):
    """About how much memory a stored page takes: the bytes in it."""
    if isinstance(value, bytes | str):
        return len(value)
    if isinstance(value, tuple | list):
        return sum(_bytes_in(item) for item in value)
    return 64


recent_pages = RecentPages()


def cache_get(key):
    value = recent_pages.get(key)
    if value is not None:
        return value
    try:
        value = cache.get(key)
    except Exception:
        logger.exception("Page cache unavailable (get); rendering the page")
        return None
    if value is not None:
        recent_pages.put(key, value)
    return value


def cache_set(key, value):
    recent_pages.put(key, value)
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache unavailable (set); the page was rendered")


# --- Pages for signed-in readers: one copy per role, the reader's own parts filled in ---
#
# A signed-in reader's post page is rendered once per (page versions, the reader's
# standing: role in the course and whether they wrote the post) with a HOLE wherever
# the page shows something of the reader's own: the header's name and bell, the
# post's Like, each comment's Like and the reader's own Edit and Delete, "Signed in
# as", the private feedback part. That skeleton goes to the shared cache. Every reader
# then gets it with their holes filled: by the code that drew the part in the first
# place (a template block or page part rendered again, the comments' fillers), never
# by a copy of a rule. A reader the skeleton can't serve (their own comment waits for
# moderation, a message to show) gets the page rendered as before.


HOLE = "\x00h{}\x00"
SKELETON_FORMAT = "member2:"  # the key's prefix: a new one when to_skeleton's layout changes
SKELETON_MARKERS = re.compile("\x00(csrf|nonce|h\\d+)\x00")


class Bypass(Exception):
    """Raised by a filler (config.hooks.HOLE_FILLERS): this reader needs the page
    rendered for them."""


class Skeleton:
    """Collects the holes of a page being rendered for a role; ``request.page_skeleton``
    while the view runs. Each hole has a cacheable spec and this reader's value."""

    def __init__(self, obj):
        self.obj = obj
        self.specs = []
        self.values = []
        self.usable = True  # False: this reader sees what their role's peers don't

    def hole(self, spec, value):
        self.specs.append(spec)
        self.values.append(str(value))
        return mark_safe(HOLE.format(len(self.specs) - 1))  # noqa: S308


class Filling:
    """What fillers share while one reader's holes are filled (``memo``: one query for
    all the holes of a kind, say)."""

    def __init__(self, request, obj):
        self.request = request
        self.obj = obj
        self.memo = {}


def skeleton_of(request):
    """The Skeleton being drawn for this request, or None (a page rendered as usual)."""
    return getattr(request, "page_skeleton", None)


def may_use_member_cache(request):
    session = getattr(request, "session", None)
    return (
        request.method == "GET"
        and settings.PAGE_CACHE_SECONDS > 0
        and getattr(request.user, "is_authenticated", False)
        and set(request.GET) <= ALLOWED_QUERY
        and "messages" not in request.COOKIES
        and not (session is not None and session.get("_messages"))
    )


def member_view(lookup):
    """Makes the view of a page that signed-in readers get through ``member_page``,
    from ``draw(request, obj)``: ``lookup(request, *args, **kwargs) -> (obj, versions,
    standing)`` runs first with the URL's arguments (raising Http404 for a page the
    reader may not see), then the page comes from the member cache or ``draw`` draws
    it. PageCacheMiddleware runs the same lookup to answer a member's hit before the
    rest of the stack; on its miss the view takes the lookup's answer from the request
    (``member_found``) instead of asking again."""

    def decorator(draw):
        @wraps(draw)
        def view(request, *args, **kwargs):
            found = request.__dict__.pop("member_found", None)
            if found is None or found[0] is not lookup:
                found = (lookup, lookup(request, *args, **kwargs))
            obj, versions, standing = found[1]
            return member_page(
                request,
                obj=obj,
                versions=versions,
                standing=standing,
                render=lambda: draw(request, obj),
            )

        view.member_lookup = lookup
        return view

    return decorator


def member_page(request, *, obj, versions, standing, render):
    """The page ``render()`` draws, for a signed-in reader: from the cache under
    (path, versions, standing) with this reader's holes filled, or drawn as a skeleton,
    stored, and filled. `standing` is everything besides the holes that the page's
    predicates answer differently for different readers (role, authorship)."""
    if not may_use_member_cache(request):
        return render()
    try:
        response = member_hit(request, obj, versions, standing)
    except Bypass:
        return render()
    if response is not None:
        return response
    request.page_skeleton = skeleton = Skeleton(obj)
    try:
        response = render()
    finally:
        request.page_skeleton = None
    if response.status_code != 200 or response.streaming:
        return render()  # not a page to keep: drawn again, as usual
    stored = to_skeleton(request, response, skeleton.specs)
    # Filled with this reader's own values, the skeleton is their page, whether or not
    # their peers may share it (not when it shows this reader's held comments).
    if skeleton.usable and may_store_member(request, response):
        cache_set(member_key(request, versions, standing), stored)
    values = [value.encode() for value in skeleton.values]
    response = from_skeleton(request, stored, values, like=response)
    response[HEADER] = "miss"
    return response


def member_key(request, versions, standing):
    digest = hashlib.sha256(repr(standing).encode()).hexdigest()[:32]
    return SKELETON_FORMAT + page_key(request, (*versions, digest))


def member_hit(request, obj, versions, standing):
    """The reader's page from the cached skeleton, or None: not cached. Raises Bypass
    when a filler says this reader needs the page drawn for them."""
    stored = cache_get(member_key(request, versions, standing))
    if stored is None:
        return None
    response = from_skeleton(request, stored, fill(request, obj, stored[2]))
    response[HEADER] = "hit"
    return response


def may_store_member(request, response):
    messages = getattr(request, "_messages", None)
    return not response.cookies and not (
        messages is not None and (messages.added_new or getattr(messages, "_loaded_data", None))
    )


def fill(request, obj, specs):
    """This reader's value of each hole, as bytes, in the holes' order."""
    filling = Filling(request, obj)
    fillers = {filler.kind: filler.fill for filler in HOLE_FILLERS}
    values = [fillers[spec[0]](filling, spec) for spec in specs]
    return [v if v.__class__ is bytes else str(v).encode() for v in values]


def to_skeleton(request, response, specs):
    """(content type, parts, specs): the page as bytes split at its holes, each odd part
    the hole's number (an int) or "csrf"/"nonce". Fillers may return bytes (a spec's
    HTML kept encoded, say), so that a hit only picks and joins."""
    content_type, parts = to_cache(request, response, markers=SKELETON_MARKERS)
    parts[1::2] = [int(name[1:]) if name[0] == "h" else name for name in parts[1::2]]
    return (content_type, parts, specs)


def from_skeleton(request, stored, values, like=None):
    """The page: the skeleton's parts joined with ``values`` (bytes, by hole number)."""
    content_type, parts, _specs = stored
    tokens = {}
    if "csrf" in parts[1::2]:
        tokens["csrf"] = get_token(request).encode()
    if "nonce" in parts[1::2]:
        tokens["nonce"] = str(getattr(request, "csp_nonce", "")).encode()
    joined = parts[:]
    joined[1::2] = [values[h] if h.__class__ is int else tokens[h] for h in parts[1::2]]
    body = b"".join(joined)
    response = HttpResponse(body, content_type=content_type)
    if like is not None:
        for header, value in like.items():
            if header.lower() not in ("content-length", "content-type"):
                response[header] = value
        response.cookies = like.cookies
    patch_vary_headers(response, ["Cookie"])
    return response
