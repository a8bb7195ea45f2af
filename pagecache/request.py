"""What the page cache knows about one request, and whether it may answer it.

Every part of the cache that hands something to another (the middleware to the session
and auth middleware and the view, the decorator to the template tags that draw holes)
does it through one object, ``request.page_cache`` (``PageCacheState``). Whether the
cache may answer a request at all is decided in one function, ``usable_cache``.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage

ANONYMOUS = "anonymous"
MEMBER = "member"
# The one query parameter a cached page may have (a listing's page number).
ALLOWED_QUERY = frozenset({"page"})


@dataclass(slots=True)
class PageCacheState:
    """``request.page_cache``: what the page cache found out about this request.

    - ``key``: an anonymous reader's miss: the key the middleware looked up (the view's
      decorator stores the page under it without asking the versions again).
    - ``skeleton_key``: with ``key``, for a page with hole versions: the key of its
      anonymous skeleton, under the versions without the hole versions
      (``decorators.anonymous_page`` refills the page from it after a like).
    - ``session``, ``user``: a signed-in reader's miss: the session the middleware
      loaded and the user it verified (``middleware.SessionMiddleware`` and
      ``middleware.AuthenticationMiddleware`` take them: nothing is queried twice).
    - ``page``, ``found``: the ``CachedPage`` whose lookup ran, and what it found
      (``CachedPage.found`` gives it to the view).
    - ``skeleton``: the ``skeleton.Skeleton`` being drawn while the view runs for the
      member cache, else None (``skeleton.skeleton_of``).
    - ``lock``: the lock this request holds while it draws an anonymous reader's copy
      (``store.claim``), released once it is stored (or by the middleware).
    - ``token``: the reader's CSRF token for this response (``skeleton.reader_token``).
    - ``host``: ``request.get_host()`` as the middleware validated it (``keys.page_address``
      takes it: asked once a request, not once per key).
    """

    key: str | None = None
    skeleton_key: str | None = None
    session: Any = None
    user: Any = None
    page: Any = None
    found: Any = None
    skeleton: Any = None
    lock: str | None = None
    token: str | None = None
    host: str | None = None


def state_of(request):
    """``request.page_cache``, made on first use (a view may run without the middleware)."""
    state = getattr(request, "page_cache", None)
    if state is None:
        state = request.page_cache = PageCacheState()
    return state


def neutral_cookies():
    """Cookies that change no cached page outside its holes: the CSRF token (filled in
    per reader), the reader's time zone (read only by per-viewer parts), and the mark
    of a recent write (``WROTE_COOKIE``: no stale copy for this reader)."""
    return {settings.CSRF_COOKIE_NAME, settings.READER_ZONE_COOKIE, WROTE_COOKIE}


# Set on the answer to a reader's write (a POST that succeeded), for as long as the page
# cache may serve a copy drawn before the current versions (PAGE_CACHE_STALE_SECONDS):
# while it is there, that reader gets only current copies, so they always see their
# own like, comment or edit at once (read-your-writes).
WROTE_COOKIE = "pc_wrote"


def may_serve_stale(request):
    """Whether this reader may be served a copy drawn before the current versions, while
    another process draws the current one: not in the moments after a write of theirs."""
    return WROTE_COOKIE not in request.COOKIES


def mark_write(request, response):
    """After a reader's successful write, ``WROTE_COOKIE`` for the stale bound."""
    bound = settings.PAGE_CACHE_STALE_SECONDS
    if (
        bound > 0
        and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        and response.status_code < 400
    ):
        response.set_cookie(
            WROTE_COOKIE,
            "1",
            max_age=math.ceil(bound) + 1,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def usable_cache(request):
    """Which page cache may answer this request: ANONYMOUS, MEMBER, or None (draw the
    page as usual). The one rule, asked before the stack (the middleware: only cookies
    are known) and in the view (the session and user are loaded).

    Either way: a GET, the cache on (``PAGE_CACHE_SECONDS``), no query but ``page``.
    Anonymous: no cookie but the neutral ones (no session: nobody signed in, no guest's
    held comments, no remembered guest details, no flash message). Signed in, before
    the stack: the session cookie besides those, and nothing that needs
    SessionMiddleware's response step (``CSRF_USE_SESSIONS``,
    ``SESSION_SAVE_EVERY_REQUEST``); in the view: a signed-in user with no flash
    message waiting (``shows_messages``)."""
    if not (
        request.method == "GET"
        and settings.PAGE_CACHE_SECONDS > 0
        and set(request.GET) <= ALLOWED_QUERY
    ):
        return None
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False):  # in the view, signed in
        return None if shows_messages(request) else MEMBER
    other_cookies = set(request.COOKIES) - neutral_cookies()
    if not other_cookies:
        return ANONYMOUS
    if (
        user is None  # before the stack: the session may be a signed-in reader's
        and other_cookies == {settings.SESSION_COOKIE_NAME}
        and not settings.CSRF_USE_SESSIONS
        and not settings.SESSION_SAVE_EVERY_REQUEST
    ):
        return MEMBER
    return None


def shows_messages(request):
    """Whether this request has a flash message to show, or added one: its page is
    drawn for this reader alone, never served from the cache nor stored. Asks only
    what is loaded already: the messages cookie, a session that was read, and
    MessageMiddleware's storage once the view ran."""
    if CookieStorage.cookie_name in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    if session is not None and session.accessed and session.get(SessionStorage.session_key):
        return True
    storage = get_messages(request)  # [] before MessageMiddleware ran
    # added_new: the view added one; _loaded_data: the storage read some (to show them)
    return bool(getattr(storage, "added_new", False) or getattr(storage, "_loaded_data", None))
