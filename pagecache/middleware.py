"""Hits answered before sessions, CSRF, users and messages run, and what a miss hands
to the rest of the stack.

MIDDLEWARE order: after the middleware that only add headers (security,
X-Frame-Options, CSP, Permissions-Policy), which treat a hit like any response:

    "pagecache.middleware.PageCacheMiddleware",
    "pagecache.middleware.SessionMiddleware",         # in place of Django's
    ...
    "pagecache.middleware.AuthenticationMiddleware",  # in place of Django's
"""

from django.conf import settings
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware

from pagecache.decorators import NOT_CACHED, anonymous_lookup, member_hit
from pagecache.keys import page_address
from pagecache.pages import page_at
from pagecache.readers import (
    remember_session_user,
    sign_in_session_keys,
    signed_in_session,
    signed_in_user,
)
from pagecache.request import (
    ANONYMOUS,
    MEMBER,
    mark_write,
    may_serve_stale,
    state_of,
    usable_cache,
)
from pagecache.skeleton import Bypass, from_cache
from pagecache.store import claim, release


class PageCacheMiddleware:
    """Answers cached pages before the rest of the stack runs.

    An anonymous reader's hit costs the URL match, the versions query and one cache
    get. A signed-in reader's hit costs the session, the user (``signed_in_user``:
    only one that Django's ``get_user`` would accept as it is; both read in one query
    from the database once the process has seen the session, with Redis too:
    ``signed_in_session``), the page's lookup and
    the fillers' queries; only a session that holds nothing but the sign-in
    (``readers.sign_in_session_keys``) is served here, so whatever else a session may
    carry (held comments, messages, a sign-in in progress) reaches the middleware and
    views that handle it. Every hit first validates the host as Django would
    (``request.get_host()``: DisallowedHost, a 400), and the key holds it.

    A miss goes on down the stack with what was loaded here on ``request.page_cache``
    (the key, the session, the user, the lookup's answer), so nothing is asked twice."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        kind = usable_cache(request)
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        found = kind and page_at(request.path_info, urlconf)
        if found:
            # ALLOWED_HOSTS, as CommonMiddleware would check it; the keys take it
            state_of(request).host = request.get_host()
            page, url_kwargs = found
            if kind == ANONYMOUS:
                key, stored = anonymous_lookup(request, page, url_kwargs)
                if stored is not None:
                    return self.hit(request, stored)
                state = state_of(request)
                state.key = key
                if key != NOT_CACHED:
                    claimed = claim(key, page_address(request), stale_ok=may_serve_stale(request))
                    if claimed.stored is not None:
                        return self.hit(request, claimed.stored, stale=claimed.stale)
                    state.lock = claimed.lock
                    try:
                        return self.get_response(request)
                    finally:
                        release(state.lock)  # the view didn't store the page
            elif kind == MEMBER:
                response = self.member_hit(request, page, url_kwargs)
                if response is not None:
                    return response
        response = self.get_response(request)
        mark_write(request, response)
        return response

    def hit(self, request, stored, stale=False):
        self.csrf.process_request(request)  # the reader's CSRF cookie, if any
        response = from_cache(request, stored, stale)
        return self.csrf.process_response(request, response)  # a new reader's cookie

    def member_hit(self, request, page, url_kwargs):
        """The member's page from the cache, or None: on down the stack, which gets
        what was loaded here (the session, the verified user, the page's lookup) so
        that a miss costs no query twice."""
        state = state_of(request)
        session, row = signed_in_session(request)
        state.session = session
        if not set(session.keys()) <= sign_in_session_keys():
            return None
        user = signed_in_user(session, row)
        if user is None:
            return None
        remember_session_user(session, user)
        state.user = user
        request.session, request.user = session, user
        self.csrf.process_request(request)
        try:
            obj = page.found(request, **url_kwargs)
        except Http404:
            return None
        versions, standing = page.member_versions(request, obj)
        try:
            response = member_hit(request, obj, versions, standing, page.hole_versions(obj))
        except Bypass:
            return None
        if response is None or session.modified:  # a filler wrote to it: the stack saves it
            return None
        return self.csrf.process_response(request, response)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that it takes the session PageCacheMiddleware loaded for a
    member's page it didn't have: one session query per request, not two."""

    def process_request(self, request):
        state = getattr(request, "page_cache", None)
        if state is None or state.session is None:
            super().process_request(request)
        else:
            request.session = state.session


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, except that it takes the user PageCacheMiddleware verified for a
    member's page it didn't have (as Django's ``get_user`` would have answered)."""

    def process_request(self, request):
        super().process_request(request)
        state = getattr(request, "page_cache", None)
        if state is not None and state.user is not None:
            user = state.user
            request.user = user

            async def auser():
                return user

            request.auser = auser
