"""The shared cache (Redis) as an optimisation only: when Redis cannot be reached,
every operation degrades to "no cache" (a miss, a write that did not happen) and the
error is logged, so pages keep serving. Sessions are cached_db, so they fall back to
the database; rate limits and comment flood control let requests through meanwhile.

A Redis that hangs (accepts, never answers) is worse than one that is down: every call
waits for its socket timeout. So each call is bounded (``socket_connect_timeout``,
``socket_timeout`` in OPTIONS, no retry) and a circuit breaker, per process and per
Redis, stops calling it after ``failures`` failed calls in a row: for ``seconds`` every
call but a delete answers its fallback at once, then one call tries again (CACHES' ``BREAKER``:
``{"failures": 3, "seconds": 10}`` by default; docs/deploy.md)."""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("commonplace.cache")

# Log an outage once per interval per process, not once per cache call.
LOG_INTERVAL_SECONDS = 30


class Breaker:
    """Opens after `failures` failed calls in a row: calls are skipped for `seconds`,
    then let through; the first failure after that opens it again, a success closes it."""

    def __init__(self, failures, seconds):
        self.failures_to_open = failures
        self.seconds = seconds
        self.failures = 0
        self.open_until = 0.0
        self.lock = threading.Lock()

    def allows(self):
        return time.monotonic() >= self.open_until

    def succeeded(self):
        if self.failures:
            with self.lock:
                self.failures = 0

    def failed(self):
        with self.lock:
            self.failures += 1
            if self.failures >= self.failures_to_open:
                self.open_until = time.monotonic() + self.seconds
                return True
        return False


# One breaker per Redis per process: Django makes a cache object per thread.
breakers = {}
DEFAULT_BREAKER = {"failures": 3, "seconds": 10}


class OneClientPerPool(RedisCacheClient):
    """Django's client wraps its connection pool in a new ``redis.Redis`` on every call,
    and redis-py builds each one's table of about 165 reply handlers: two thirds of the
    CPU of a cache get, which every signed-in hit makes for its session (issue 34,
    bench/README.md). A ``redis.Redis`` holds nothing of one call (its connections are
    the pool's, which redis-py renews after a fork), so one per pool serves them all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OneClientPerPool
        options = {**DEFAULT_BREAKER, **params.get("BREAKER", {})}
        key = (server, options["failures"], options["seconds"])
        self._breaker = breakers.get(key) or breakers.setdefault(key, Breaker(**options))

    def _failed(self, operation, error, fallback):
        if self._breaker.failed():
            logger.error(
                "Cache skipped for %s s after %s failed calls in a row (%s: %s)",
                self._breaker.seconds,
                self._breaker.failures,
                operation,
                error,
            )
            return fallback
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_INTERVAL_SECONDS:
            ResilientRedisCache._last_logged = now
            logger.error("Cache unavailable (%s: %s); serving without it", operation, error)
        return fallback

    def _guarded(self, operation, fallback, call, *args, always=False):
        if not always and not self._breaker.allows():
            return fallback
        try:
            result = call(*args)
        except Exception as error:
            return self._failed(operation, error, fallback)
        self._breaker.succeeded()
        return result

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True: callers that wait for add() to succeed (allauth's lock) go on.
        return self._guarded("add", True, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, super().touch, key, timeout, version)

    # Deletes are tried even while the breaker is open (each still bounded): they are
    # rare (sign-out, a new session key) and a skipped one would leave a session in the
    # cache that the database no longer has.
    def delete(self, key, version=None):
        return self._guarded("delete", False, super().delete, key, version, always=True)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", None, super().delete_many, keys, version, always=True)

    def incr(self, key, delta=1, version=None):
        missing = []

        def incr():
            try:
                return super(ResilientRedisCache, self).incr(key, delta, version)
            except ValueError as error:  # no such key: the caller's to handle, not an outage
                missing.append(error)

        result = self._guarded("incr", delta, incr)
        if missing:
            raise missing[0]
        return result

    def clear(self):
        return self._guarded("clear", False, super().clear)

    def ping(self):
        """Raise if Redis cannot be reached (for /readyz), bypassing the fallbacks."""
        self._cache.get_client(write=True).ping()
