"""``cached_page(page)``: the view's side of the page cache.

The decorated view keeps its URL's signature and draws its page as usual (it asks
``page.found(...)`` for what to show). The decorator serves a stored copy when
``request.usable_cache`` allows, or lets the view draw the page and stores it:

- anonymous readers: the whole page, under its versions (``CachedPage.versions``);
  a page with hole versions also as a skeleton with its shared holes open, under the
  versions without them, from which a miss after a like is refilled, not drawn;
- signed-in readers: a skeleton per (versions, standing), the reader's holes filled.

PageCacheMiddleware answers most hits before the stack runs; without it, this
decorator serves them (the same copies, the same keys).
"""

from functools import wraps

from django.http import Http404

from pagecache.keys import (
    anonymous_skeleton_address,
    anonymous_skeleton_key,
    member_address,
    member_key,
    page_address,
    page_key,
)
from pagecache.request import (
    ANONYMOUS,
    MEMBER,
    may_serve_stale,
    shows_messages,
    state_of,
    usable_cache,
)
from pagecache.skeleton import (
    HEADER,
    Bypass,
    draw_skeleton,
    fill,
    from_cache,
    from_prefilled,
    from_skeleton,
    join_holes,
    request_values,
    to_anonymous_skeleton,
    to_cache,
    to_skeleton,
    with_shared_holes,
)
from pagecache.store import cache_get, cache_set, claim, recent_pages, release, remember_drawn


def cached_page(page):
    """Serve the view's page from the page cache, and store what it draws (``page``: the
    view's ``pages.CachedPage``)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            kind = usable_cache(request)
            if kind == ANONYMOUS and not args:
                return anonymous_page(request, page, lambda: view(request, **kwargs), kwargs)
            if kind == MEMBER and not args:
                return member_page(request, page, lambda: view(request, **kwargs), kwargs)
            return view(request, *args, **kwargs)

        wrapper.cached_page = page
        return wrapper

    return decorator


# --- Anonymous readers: whole pages ---


NOT_CACHED = ""  # state.key when the middleware found no such page: the view answers


def anonymous_page(request, page, draw, url_kwargs):
    state = state_of(request)
    key = state.key  # the middleware's miss: the versions were asked, the miss claimed
    if key is None:
        key, stored = anonymous_lookup(request, page, url_kwargs)
        if stored is not None:
            return from_cache(request, stored)
        if key != NOT_CACHED:
            claimed = claim(key, page_address(request), stale_ok=may_serve_stale(request))
            if claimed.stored is not None:
                return from_cache(request, claimed.stored, stale=claimed.stale)
            state.lock = claimed.lock
    if key == NOT_CACHED:
        return draw()
    try:
        if state.skeleton_key is None:
            return draw_anonymous_page(request, draw, key)
        try:
            obj = page.found(request, **url_kwargs)
        except Http404:
            return draw()  # the view answers
        response = refill_anonymous_page(request, obj, key, state.skeleton_key)
        if response is None:
            response = draw_anonymous_skeleton(request, obj, draw, key, state.skeleton_key)
        return response
    finally:
        release(state.lock)
        state.lock = None


def draw_anonymous_page(request, draw, key):
    response = draw()
    if may_store(request, response):
        cache_set(key, to_cache(request, response))
        remember_drawn(key, page_address(request))
        response[HEADER] = "miss"
    return response


def draw_anonymous_skeleton(request, obj, draw, key, skeleton_key):
    """A page with hole versions (a post's like counts), drawn as a skeleton: kept as
    it is with its shared holes open under the versions without the hole versions,
    and joined with the values drawn (the whole page) under all of them, so that a
    hit costs what it costs without holes."""
    response, skeleton = draw_skeleton(request, obj, draw)
    if response.status_code != 200 or response.streaming:
        return draw()  # not a page to keep: drawn again, as usual
    stored = to_anonymous_skeleton(request, response, skeleton)
    whole = join_holes(stored, [value.encode() for value in skeleton.values])
    tokens = request_values(request, whole[1])
    response.content = b"".join(tokens[p] if n % 2 else p for n, p in enumerate(whole[1]))
    if skeleton.usable and may_store(request, response):
        cache_set(skeleton_key, stored)
        remember_drawn(skeleton_key, anonymous_skeleton_address(request))
        cache_set(key, whole)
        remember_drawn(key, page_address(request))
    response[HEADER] = "miss"
    return response


def refill_anonymous_page(request, obj, key, skeleton_key):
    """The page from its anonymous skeleton, its shared holes filled for the current
    hole versions (after a like: the "Liked by" lines from the post's LikeCounts, one
    query), kept under ``key`` as if drawn; None: no skeleton under these versions."""
    stored = cache_get(skeleton_key)
    if stored is None:
        return None
    whole = with_shared_holes(request, obj, stored).stored[:2]
    cache_set(key, whole)
    remember_drawn(key, page_address(request))
    response = from_cache(request, whole)
    response[HEADER] = "miss"
    return response


def anonymous_lookup(request, page, url_kwargs):
    """(the copy's key, the stored copy or None); (NOT_CACHED, None): no such page. A
    page with hole versions also gets the key of its skeleton (``state.skeleton_key``)."""
    versions = page.anonymous_versions(**url_kwargs)
    if versions is None:
        return NOT_CACHED, None
    key = page_key(request, versions)
    stored = cache_get(key)
    if stored is None:
        hole_free = page.without_hole_versions(versions)
        if hole_free is not None:
            state_of(request).skeleton_key = anonymous_skeleton_key(request, hole_free)
    return key, stored


def may_store(request, response):
    """A page everyone may get: drawn for nobody in particular, setting no cookie, and
    using no session or message."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request.user, "is_authenticated", False)
        and not shows_messages(request)
        and not (session is not None and (session.modified or session.accessed and session.keys()))
    )


# --- Signed-in readers: one copy per standing, the reader's own parts filled in ---


def member_page(request, page, draw, url_kwargs):
    """The page ``draw()`` draws, for a signed-in reader: from the cache under (address,
    versions, standing) with this reader's holes filled, or drawn as a skeleton,
    stored, and filled. One process draws a given copy at a time (``store.claim``);
    the others meanwhile fill the copy drawn before it, for a bounded moment."""
    obj = page.found(request, **url_kwargs)
    versions, standing = page.member_versions(request, obj)
    try:
        response = member_hit(request, obj, versions, standing, page.hole_versions(obj))
    except Bypass:
        return draw()
    if response is not None:
        return response
    key, address = member_key(request, versions, standing), member_address(request, standing)
    claimed = claim(key, address, stale_ok=may_serve_stale(request))
    if claimed.stored is not None:
        try:
            response = from_skeleton(request, claimed.stored, fill(request, obj, claimed.stored[2]))
        except Bypass:
            return draw()
        response[HEADER] = "stale" if claimed.stale else "hit"
        return response
    try:
        return draw_member_page(request, obj, draw, key, address)
    finally:
        release(claimed.lock)


def draw_member_page(request, obj, draw, key, address):
    response, skeleton = draw_skeleton(request, obj, draw)
    if response.status_code != 200 or response.streaming:
        return draw()  # not a page to keep: drawn again, as usual
    stored = to_skeleton(request, response, skeleton.specs)
    # Filled with this reader's own values, the skeleton is their page, whether or not
    # their peers may share it (not when it shows this reader's held comments).
    if skeleton.usable and may_store_member(request, response):
        cache_set(key, stored)
        remember_drawn(key, address)
    values = [value.encode() for value in skeleton.values]
    response = from_skeleton(request, stored, values, like=response)
    response[HEADER] = "miss"
    return response


def member_hit(request, obj, versions, standing, hole_versions=()):
    """The reader's page from the cached skeleton, or None: not cached. Raises Bypass
    when a filler says this reader needs the page drawn for them.

    The skeleton as this process prefilled it under these hole versions (its shared
    holes filled, its defaulted holes' defaults ready: ``with_shared_holes``) is kept
    beside it (``recent_pages``, this process's memory): a hit then fills only what is
    the reader's own."""
    key = member_key(request, versions, standing)
    prefilled_key = f"{key}:prefilled:{'.'.join(str(v) for v in hole_versions)}"
    prefilled = recent_pages.get(prefilled_key)
    if prefilled is None:
        stored = cache_get(key)
        if stored is None:
            return None
        prefilled = with_shared_holes(request, obj, stored)
        recent_pages.put(prefilled_key, prefilled)
    response = from_prefilled(request, obj, prefilled)
    response[HEADER] = "hit"
    return response


def may_store_member(request, response):
    return not response.cookies and not shows_messages(request)
