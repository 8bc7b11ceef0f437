"""The shared cache, tolerant of Redis being away.

Django's Redis cache raises on every call while Redis is unreachable, so
every page that touches the cache (sign-in and its rate limits, the access
code page, job progress) would fail with a 500. This backend answers as an
empty cache instead and logs the outage, at most once a minute: pages keep
working, the rate limits are not counted until Redis is back (the database
still holds everything that matters).
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("portal.cache")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 60


def _degrade(fallback):
    def wrap(method):
        @functools.wraps(method)
        def tolerant(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._log_outage(method.__name__, error)
                if fallback is _MISSING_KEY:
                    raise ValueError("Key not found (the cache is unreachable)") from error
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return tolerant

    return wrap


_MISSING_KEY = object()


def _default(key, default=None, version=None):
    return default


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` (and its table of some 170
    response callbacks) for every cache call; a signed-in page makes several.
    One per connection pool is enough: it is safe to share between threads."""

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
        self._class = ReusedRedisCacheClient

    def _log_outage(self, operation, error):
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_EVERY_SECONDS:
            ResilientRedisCache._last_logged = now
            log.error("Cache unreachable (%s): %s; answering as an empty cache", operation, error)

    # `add` answers True: allauth takes it as "lock acquired" and goes on.
    add = _degrade(True)(RedisCache.add)
    get = _degrade(_default)(RedisCache.get)
    set = _degrade(None)(RedisCache.set)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    get_many = _degrade(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _degrade(False)(RedisCache.has_key)
    incr = _degrade(_MISSING_KEY)(RedisCache.incr)
    set_many = _degrade(lambda *args, **kwargs: [])(RedisCache.set_many)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)
