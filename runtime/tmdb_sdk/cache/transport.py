"""The cache as an httpx transport layer (RetryTransport -> CacheLayer -> RateLimitLayer -> pool).

The logic is written once, as coroutines doing their I/O through tmdb_sdk._io: CacheTransport runs it
with SyncIO (over the Cache's sync storage), AsyncCacheTransport awaits it with AsyncIO (its async
storage), CacheLayer is both. hishel's RFC 9111 state machine decides; exchange.py does its I/O.
"""
from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import Any

import httpx

from .._io import IO
from ..transport._layers import AsyncLayer, Layer, SyncLayer
from .exchange import answer, internal_headers
from .keys import NOT_CACHEABLE, cache_key, classify, public_headers, public_url
from .memo import fresh, memo_seconds
from .rules import min_ttl, with_date_and_min_ttl
from .settings import Cache
from .stats import EXTENSION, outcome


async def _to_network(
    io: IO, inner: Any, original: httpx.Request, validators: list[tuple[bytes, bytes]], rule: float | None
) -> httpx.Response:
    """Sends the caller's own request (credentials and all) with hishel's validators, for this send only."""
    if validators:
        headers = original.headers
        original.headers = httpx.Headers([*headers.raw, *(v for v in validators if v[0].decode() not in headers)])
        try:
            response = await io.send(inner, original)
        finally:
            original.headers = headers
    else:
        response = await io.send(inner, original)
    with_date_and_min_ttl(response, rule, time.time())
    return response


class _CacheLogic(Layer):
    """Answers cacheable requests through hishel over `cache`'s storage; passes the others to `inner`.

    enabled=False (a `with_options(cache=False)` view) passes everything on, marked "bypass".
    Closing it closes `inner`, not the cache's storage (the Cache's owner closes that).
    """

    def __init__(self, inner: Any, cache: Cache, *, enabled: bool = True) -> None:
        self.inner, self.cache, self.enabled = inner, cache, enabled

    async def send(self, request: httpx.Request, io: IO) -> httpx.Response:
        cache = self.cache
        kind = classify(request) if self.enabled else NOT_CACHEABLE
        if not kind.cacheable:
            response = await io.send(self.inner, request)
            response.extensions[EXTENSION] = "bypass"
            cache.stats.bypassed += 1
            return response
        import hishel  # on first use: most programs never cache

        public = public_url(request.url)
        memo = cache._memo.get(public, request.headers) if "cache-control" not in request.headers else None
        if memo is not None:
            cache.stats.hits += 1
            return memo.response()
        rule = min_ttl(cache.min_ttl, kind.names) if cache.min_ttl else None
        inner = self.inner

        def send(validators: list[tuple[bytes, bytes]]) -> Awaitable[httpx.Response]:
            return _to_network(io, inner, request, validators, rule)

        seen = hishel.Request("GET", public, headers=internal_headers(public_headers(request.headers)))
        response = await answer(io, cache.guarded_for(io), seen, cache_key(public), send)
        found = outcome(response)
        seconds = memo_seconds(response, found != "miss" or response.extensions["caching"]["stored"])
        if seconds > 0.0:
            try:
                body = await io.read_raw(response)
            finally:
                await io.close(response)
            response = httpx.Response(200, headers=response.headers, content=body, extensions=response.extensions)
            cache._memo.put(public, fresh(response, request, seconds))
        response.extensions[EXTENSION] = found
        cache.stats.count(found)
        return response


class CacheTransport(_CacheLogic, SyncLayer):
    """The cache layer over a sync transport (TMDB)."""


class AsyncCacheTransport(_CacheLogic, AsyncLayer):
    """The cache layer over an async transport (AsyncTMDB)."""


class CacheLayer(CacheTransport, AsyncCacheTransport):
    """Both in one, for a chain built without knowing whether the pool below is sync or async."""
