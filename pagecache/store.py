"""Where copies are kept: the shared cache (Django's default cache: Redis with
REDIS_URL, else each process's memory), behind the pages this process served last.

A cache error is logged and reads as a miss: the page is drawn as if the cache were
empty. Copies live ``PAGE_CACHE_SECONDS``.
"""

import logging
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
