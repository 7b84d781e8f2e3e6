"""An HTTP cache for TMDB's GET responses (RFC 9111, by hishel), as an httpx transport layer.

    cache = Cache("memory")                    # or "sqlite:///path/cache.db", "redis://host:6379/0"
    tmdb = TMDB(cache=cache)                   # also TMDB(cache="memory"): the client owns it then
    tmdb.with_options(cache=False)             # a view whose calls skip the cache

The layer sits between the retries and the rate limiter (RetryTransport -> CacheTransport ->
RateLimitTransport -> pool), so a hit never spends rate budget, while a revalidation (a conditional
request answered 304) does, as it does at TMDB. hishel runs the RFC 9111 state machine as a
*shared* cache: responses marked `private` or `no-store` are never stored, a stale entry is
revalidated with its `ETag` (`If-None-Match`) and a 304 serves the stored body as a normal 200.

What is never cached: every method but GET; account, session, guest-session and authentication
operations and anything called with a session id (see `classify`); all of v4 (user lists, accounts,
auth); 429 and 5xx; and, as RFC 9111 §3.5 asks of a shared cache for authenticated requests (every
TMDB request carries a key or token), a response without `public`, `s-maxage` or `must-revalidate`.

Secrets: hishel sees a copy of the request without the `api_key` parameter and without the
`Authorization` header, so neither reaches a cache key (a sha256 of that URL) or a stored entry; the
real request goes to the network unchanged. The storage guard refuses to store anything that still
holds one, whatever the caller did.

Minimum TTLs (`Cache(min_ttl={"configuration": 86400, "movies_details": 600})`, keys are a resource
(tag) or an operationId) keep a 200 of that resource fresh for at least that many seconds after it
arrived, for services that accept staler data than TMDB's `max-age=0`; `SUGGESTED_MIN_TTL` is one
such set. Responses marked `private` or `no-store` are left alone.

Each response says what the cache did in `response.extensions["tmdb_cache"]`: "hit" (served from
storage), "revalidated" (served from storage after a 304), "miss" (from the network) or "bypass"
(not cacheable, or a view with cache=False); `Cache.stats` counts them per process.

Storage failures are misses: hishel logs each one; this layer logs the first of an outage, drops
hishel's repeats, and skips the storage for `Cache.retry_after` seconds before trying it again.
hishel and redis are imported on first use.

The modules, one job each: keys (which requests, what hishel sees), rules (freshness by the headers),
memo (fresh responses kept in this process), memory (the in-memory storage), guard (what may be
stored, failures), adapter (hishel's sync and async storage interfaces), storage (the storage for a
URL), settings (the Cache object), stats (outcomes and counts), transport (the layer itself).
"""
from __future__ import annotations

from .._backends import safe_url
from .keys import Classification, cache_key, classify, public_url
from .rules import SUGGESTED_MIN_TTL, fresh_for
from .settings import Cache
from .stats import EXTENSION, CacheOutcome, CacheStats
from .transport import AsyncCacheTransport, CacheLayer, CacheTransport

__all__ = [
    "EXTENSION",
    "SUGGESTED_MIN_TTL",
    "AsyncCacheTransport",
    "Cache",
    "CacheLayer",
    "CacheOutcome",
    "CacheStats",
    "CacheTransport",
    "Classification",
    "cache_key",
    "classify",
    "fresh_for",
    "public_url",
    "safe_url",
]
