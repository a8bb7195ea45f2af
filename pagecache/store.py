"""Where copies are kept: the shared cache (Django's default cache: Redis with
REDIS_URL, else each process's memory), behind the pages this process served last.

A cache error is logged and reads as a miss: the page is drawn as if the cache were
empty. Copies live ``PAGE_CACHE_SECONDS``.

A miss is drawn by one process at a time (``claim``): the first takes a lock in the
shared cache (``cache.add``: Redis's SET NX with an expiry), the others meanwhile
serve the copy last drawn for the same address (and standing), if it was drawn at
most ``PAGE_CACHE_STALE_SECONDS`` ago, or wait that long for the drawer's copy. The
copy drawn before that one is deleted (``remember_drawn``).
"""

import logging
import math
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


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

    def discard(self, key):
        with self.lock:
            self._drop(key)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key):
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= entry[1]


def _bytes_in(value):
    """About how much memory a stored page takes: the bytes in it; for another kind of
    object, what its ``stored_bytes()`` says (it must: a large object counted as a few
    bytes stays until it expires, and is never asked for again once its versions move
    on, so it takes memory without bound)."""
    if isinstance(value, bytes | str):
        return len(value)
    if isinstance(value, tuple | list):
        # A skeleton's thousands of parts and hole specs, mostly bytes, numbers and
        # None: counted here, the specs (tuples) too, not each in a call of its own
        # (a millisecond of drawing P500).
        total = 0
        pending = [value]
        while pending:
            for item in pending.pop():
                kind = item.__class__
                if kind is bytes or kind is str:
                    total += len(item)
                elif kind is int or kind is bool or item is None:
                    total += SMALL_BYTES
                elif kind is tuple or kind is list:
                    pending.append(item)
                else:
                    total += _bytes_in(item)
        return total
    # LikeCounts (comments.threads) and a prefilled skeleton (skeleton.Prefilled) say.
    measure = getattr(value, "stored_bytes", None)
    return measure() if measure is not None else SMALL_BYTES


SMALL_BYTES = 64  # what a stored object that doesn't say counts (a number, None)


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


# --- One drawer per page: the others serve the copy before it, for a bounded moment ---

LOCK_PREFIX = "drawing:"
LATEST_PREFIX = "latest:"
WAIT_STEP = 0.01  # seconds between looks for the drawer's copy


class Claim:
    """What a miss gets from ``claim``: ``stored``, a copy to serve (``stale``: the one
    drawn before, else the drawer's, done meanwhile), or else the duty to draw the
    page (``lock``: this request holds the lock; None: draw without it)."""

    __slots__ = ("stored", "stale", "lock")

    def __init__(self, stored=None, stale=False, lock=None):
        self.stored, self.stale, self.lock = stored, stale, lock


def claim(key, address, *, stale_ok):
    """A miss of ``key``: serve something, or draw it. ``address``: the key without
    versions (``keys.address_of``), under which the last drawn copy is remembered;
    ``stale_ok``: whether this reader may get a copy older than the current versions
    (not after a write of their own: ``request.reads_own_writes``)."""
    bound = settings.PAGE_CACHE_STALE_SECONDS
    if bound <= 0:
        return Claim()
    lock = LOCK_PREFIX + key
    if _lock(lock, bound):
        return Claim(lock=lock)
    if stale_ok:
        stored = _latest(address, bound)
        if stored is not None:
            return Claim(stored, stale=True)
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        stored = cache_get(key)
        if stored is not None:
            return Claim(stored)
        if _lock(lock, bound):  # the drawer gave up (an error page, a 404)
            return Claim(lock=lock)
    return Claim()


def remember_drawn(key, address):
    """Remember the page just kept under ``key`` as the last drawn at its address (for
    ``claim``'s stale copies), and drop the copy drawn there before: its versions have
    moved on, so nobody asks for it again, and it would stay until it expired. (With
    the local-memory cache each like left a worker one 330 KB P500 more: +37 MiB in
    1,500 requests of a busy thread.)"""
    latest = LATEST_PREFIX + address
    try:
        before = cache.get(latest)
        cache.set(latest, (key, time.time()), settings.PAGE_CACHE_SECONDS)
        if before is not None and before[0] != key:
            cache.delete(before[0])
            recent_pages.discard(before[0])
    except Exception:
        logger.exception("Page cache unavailable (set); the page was rendered")


def release(lock):
    if lock is None:
        return
    try:
        cache.delete(lock)
    except Exception:
        logger.exception("Page cache unavailable (delete); its lock expires by itself")


def _lock(lock, bound):
    try:
        return cache.add(lock, 1, math.ceil(bound))
    except Exception:
        logger.exception("Page cache unavailable (add); drawing the page")
        return True


def _latest(address, bound):
    """The copy last drawn at this address, if it was drawn at most ``bound`` seconds
    ago; else None."""
    try:
        latest = cache.get(LATEST_PREFIX + address)
    except Exception:
        return None
    if latest is None:
        return None
    key, drawn_at = latest
    if time.time() - drawn_at > bound:
        return None
    return cache_get(key)
