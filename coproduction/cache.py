"""The shared cache in Redis, which a Redis outage turns into an empty cache instead of failing pages.

What the site keeps in the cache can always be had without it: the kept numbers of the matrix and the
home page are counted anew, the wiki's "who is editing" hint is left out, and the rate limits (allauth's
sign-in limits, the API's per-address limit) count nothing while Redis is away. So while Redis cannot be
reached, every call behaves as on Django's DummyCache: reads miss, writes are dropped, ``add`` answers
that it stored the value and ``incr`` that there is no such key. Rate limits failing open for the length
of an outage is the price of every page still answering; a 500 on the sign-in page would lock everyone
out instead of no one. A warning is logged at most every ``WARN_EVERY`` seconds per process.

Connections give up after ``TIMEOUT_SECONDS`` (connecting or waiting for an answer), so a Redis host that
is unreachable without refusing slows a request by at most that long per call. settings.py chooses this
backend wherever CACHE_URL names Redis.
"""
import logging
import time

from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 0.5
WARN_EVERY = 10
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _surviving(name):
    """The cache method ``name`` of RedisCache, answered by the stand-in while Redis cannot be reached."""
    def method(self, *args, **kwargs):
        return self._survive(name, *args, **kwargs)

    method.__name__ = method.__qualname__ = name
    return method


class RedisCacheSurvivingOutages(RedisCache):
    """Django's Redis cache; while Redis cannot be reached, an empty cache (see the module's docstring)."""

    def __init__(self, server, params):
        options = {"socket_connect_timeout": TIMEOUT_SECONDS, "socket_timeout": TIMEOUT_SECONDS,
                   **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._stand_in = DummyCache("", params)
        self._warned_at = None

    def _survive(self, method, *args, **kwargs):
        try:
            return getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as error:
            now = time.monotonic()
            if self._warned_at is None or now - self._warned_at >= WARN_EVERY:
                self._warned_at = now
                logger.warning("The cache (Redis) cannot be reached; working without it: %s", error)
            return getattr(self._stand_in, method)(*args, **kwargs)


# The methods of Django's cache API that reach Redis; the rest (get_or_set, decr, ...) are built on them.
for _name in ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear"):
    setattr(RedisCacheSurvivingOutages, _name, _surviving(_name))
del _name
