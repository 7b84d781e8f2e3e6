"""The cache as an httpx transport layer (RetryTransport -> CacheLayer -> RateLimitLayer -> pool).

The logic is written once, as coroutines doing their I/O through tmdb_sdk._io: CacheTransport runs it
with SyncIO (hishel's sync transport over the Cache's sync storage), AsyncCacheTransport awaits it with
AsyncIO (hishel's async transport and storage), CacheLayer is both.
"""
from __future__ import annotations

import time
from typing import Any

import httpx

from .._io import IO
from ..transport._layers import AsyncLayer, Layer, SyncLayer
from .keys import NOT_CACHEABLE, cache_key, classify, public_headers, public_url
from .memo import fresh, memo_seconds
from .rules import min_ttl, with_date_and_min_ttl
from .settings import Cache
from .stats import EXTENSION, outcome

_ORIGINAL = "tmdb_cache_original"
_RULES = "tmdb_cache_rules"
_CONDITIONAL_HEADERS = ("if-none-match", "if-modified-since")


def _public_request(request: httpx.Request, public: str, rule: float | None) -> httpx.Request:
    hishel_request = httpx.Request("GET", public, headers=public_headers(request.headers))
    hishel_request.extensions = {"caching": {"key": cache_key(public)}, _ORIGINAL: request, _RULES: rule}
    return hishel_request


def _conditional(public: httpx.Request, original: httpx.Request) -> list[tuple[bytes, bytes]]:
    """The validators hishel added to `public` (If-None-Match, If-Modified-Since) for the real request."""
    return [(name.encode(), value.encode()) for name in _CONDITIONAL_HEADERS
            if (value := public.headers.get(name)) is not None and name not in original.headers]


class _ToNetwork(SyncLayer, AsyncLayer):
    """Below hishel: sends the caller's own request (credentials and all) with hishel's validators."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def send(self, request: httpx.Request, io: IO) -> httpx.Response:
        original: httpx.Request = request.extensions[_ORIGINAL]
        validators = _conditional(request, original)
        if validators:
            headers = original.headers
            original.headers = httpx.Headers([*headers.raw, *validators])
            try:
                response = await io.send(self.inner, original)
            finally:
                original.headers = headers
        else:
            response = await io.send(self.inner, original)
        with_date_and_min_ttl(response, request.extensions[_RULES], time.time())
        return response


def _hishel_transport(inner: Any, cache: Cache, io: IO) -> Any:
    """hishel's RFC 9111 transport of io's flavour, shared-cache mode, over the Cache's storage."""
    from hishel import CacheOptions
    from hishel import httpx as hishel_httpx

    hishel_class = hishel_httpx.AsyncCacheTransport if io.is_async else hishel_httpx.CacheTransport
    options = CacheOptions(shared=True, supported_methods=["GET"])
    return hishel_class(_ToNetwork(inner), cache.storage_for(io), rfc=options)


class _CacheLogic(Layer):
    """Answers cacheable requests through hishel over `cache`'s storage; passes the others to `inner`.

    enabled=False (a `with_options(cache=False)` view) passes everything on, marked "bypass".
    Closing it closes `inner`, not the cache's storage (the Cache's owner closes that).
    """

    def __init__(self, inner: Any, cache: Cache, *, enabled: bool = True) -> None:
        self.inner, self.cache, self.enabled = inner, cache, enabled
        self._hishel: dict[bool, Any] = {}  # io.is_async -> hishel's transport, made on first use

    async def send(self, request: httpx.Request, io: IO) -> httpx.Response:
        cache = self.cache
        kind = classify(request) if self.enabled else NOT_CACHEABLE
        if not kind.cacheable:
            response = await io.send(self.inner, request)
            response.extensions[EXTENSION] = "bypass"
            cache.stats.bypassed += 1
            return response
        public = public_url(request.url)
        memo = cache._memo.get(public, request.headers) if "cache-control" not in request.headers else None
        if memo is not None:
            cache.stats.hits += 1
            return memo.response()
        rule = min_ttl(cache.min_ttl, kind.names) if cache.min_ttl else None
        layer = self._hishel.get(io.is_async)
        if layer is None:
            layer = self._hishel[io.is_async] = _hishel_transport(self.inner, cache, io)
        response = await io.send(layer, _public_request(request, public, rule))
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
