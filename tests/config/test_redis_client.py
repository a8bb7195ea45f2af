"""The shared cache's Redis client (config.cache.OneClientPerPool): one ``redis.Redis``
per connection pool, not one a call (issue 34: building one was two thirds of the CPU of
the session read on every signed-in hit)."""

import redis

from config.cache import ResilientRedisCache

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens there; no call here connects


def test_every_call_gets_the_same_client_around_the_same_pool():
    cache = ResilientRedisCache(NOWHERE, {})
    client = cache._cache.get_client("a-key")
    assert isinstance(client, redis.Redis)
    assert cache._cache.get_client("another-key") is client
    assert cache._cache.get_client("a-key", write=True) is client
    assert client.connection_pool is cache._cache._get_connection_pool(False)


def test_each_server_has_its_own_client():
    cache = ResilientRedisCache(f"{NOWHERE},redis://127.0.0.1:1/1", {})
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()  # with two servers, reads go to the second
    assert reader is not writer
    assert reader.connection_pool.connection_kwargs["db"] == 1
    assert writer.connection_pool.connection_kwargs["db"] == 0
    assert cache._cache.get_client() is reader


def test_a_cache_of_another_thread_has_its_own_clients():
    first, second = ResilientRedisCache(NOWHERE, {}), ResilientRedisCache(NOWHERE, {})
    assert first._cache.get_client() is not second._cache.get_client()
