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

Revalidations land: TMDB's ETags are weak, and replicas may store one URL with different ones. A 304
completes the call from the stored entry whose ETag matches the 304's by the weak comparison RFC 9110
allows for If-None-Match (§8.8.3.2, §13.1.2), else from the entry whose validator the request carried
(the freshest); it is never followed by a second, full request, and counts as "revalidated".

Every storage fault is a miss, on every path (the lookup, the stored body's read, the store, the update
after a 304, removals; TMDB and AsyncTMDB): a stored body is read to the end before it is served, and a
body that cannot be read sends the request to the network as a miss. No storage error (redis, sqlite)
reaches the caller. The first failure of an outage is logged once, as a warning naming its cause (the
exception's type and message, secrets redacted); hishel's own records of it are dropped, and nothing is
logged at ERROR for a fault handled so. The storage is then skipped for `Cache.redis_retry_interval`
seconds (`retry_after=` is its deprecated old name) before it is tried again. hishel and redis are
imported on first use.

Who closes what. A Cache passed in is closed by its owner (`cache.close()`, `await cache.aclose()` or a
`with` block); a client closes only the Cache it made itself, from a URL or True.

The modules, one job each: keys (which requests, what hishel sees), rules (freshness by the headers),
memo (fresh responses kept in this process), memory (the in-memory storage), guard (what may be
stored, failures), adapter (hishel's sync and async storage interfaces), location (a storage URL and
what a storage is opened with), storage (the storage for a URL), settings (the Cache object), stats
(outcomes and counts), revalidate (the entry a 304 completes), exchange (one GET through hishel's state
machine), transport (the layer itself).
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
