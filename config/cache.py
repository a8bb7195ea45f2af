"""The shared cache (Redis) as an optimisation only: when Redis cannot be reached,
every operation degrades to "no cache" (a miss, a write that did not happen) and the
error is logged, so pages keep serving. Sessions are cached_db, so they fall back to
the database; rate limits and comment flood control let requests through meanwhile."""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("commonplace.cache")

# Log an outage once per interval per process, not once per cache call.
LOG_INTERVAL_SECONDS = 30


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def _failed(self, operation, error, fallback):
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_INTERVAL_SECONDS:
            ResilientRedisCache._last_logged = now
            logger.error("Cache unavailable (%s: %s); serving without it", operation, error)
        return fallback

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception as error:
            return self._failed("get", error, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except Exception as error:
            return self._failed("get_many", error, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except Exception as error:
            return self._failed("has_key", error, False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True: callers that wait for add() to succeed (allauth's lock) go on.
        try:
            return super().add(key, value, timeout, version)
        except Exception as error:
            return self._failed("add", error, True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except Exception as error:
            return self._failed("set", error, None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except Exception as error:
            return self._failed("set_many", error, list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except Exception as error:
            return self._failed("touch", error, False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except Exception as error:
            return self._failed("delete", error, False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except Exception as error:
            return self._failed("delete_many", error, None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise
        except Exception as error:
            return self._failed("incr", error, delta)

    def clear(self):
        try:
            return super().clear()
        except Exception as error:
            return self._failed("clear", error, False)

    def ping(self):
        """Raise if Redis cannot be reached (for /readyz), bypassing the fallbacks."""
        self._cache.get_client(write=True).ping()
