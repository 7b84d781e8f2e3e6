"""A request rate and concurrency shared by every client naming the same limiter key, as an httpx
transport layer: one process by default, a fleet of replicas through Redis.

    limit = RateLimit(rate=40, per=1.0, concurrency=20, max_wait=10)           # this process
    limit = RateLimit(rate=40, redis="redis://10.0.0.5:6379/0", key="tmdb")    # every replica
    tmdb = TMDB(rate_limit=limit)

The layer is the last before the connection pool (RetryTransport -> CacheTransport ->
RateLimitTransport -> pool): it sees every real network request, cache revalidations included (TMDB
counts those too), and every 429.

- **Rate**: pyrate-limiter's GCRA (a leaky bucket kept as one timestamp): `rate` requests per `per`
  seconds, at most `burst` at once. With Redis the state lives in one Redis hash, updated by
  pyrate-limiter's Lua script, so all replicas draw from one budget.
- **Concurrency**: at most `concurrency` requests in flight across the key (TMDB's CDN allows about
  20 connections per IP). A slot is held until the response body has been read or closed, and is a
  lease: a process that dies holding one gives it back after `lease` seconds.
- **429**: TMDB's `Retry-After` becomes a shared "blocked until" that every client of the key honours
  before its next request, so a fleet backs off once, together.
- **Bounded waiting**: a request that would wait longer than `max_wait` in total raises
  `RateLimitError` (http_status 429, no TMDB status_code, `retry_after` = the wait it was refused)
  before anything is sent.
- **Redis failures fail open**: a Redis error (down, timeout, refused) switches the key to this
  process's own limiter with the same settings, logs one warning for the outage, and tries Redis
  again every `retry_after` seconds (another warning when it is back). A fleet then holds `rate` per
  replica instead of in total, and TMDB's 429s (retried by RetryTransport) take over the rest.

Clients of one process that name the same key share one in-process limiter (and, for a key in
Redis, the fallback); naming a key again with another rate, per, burst or concurrency is a
ConfigurationError. Times in Redis are the replicas' wall clocks: keep them in sync (NTP).
pyrate-limiter and redis are imported on first use.

The modules, one job each: limit (the RateLimit object and the wait for a permit), backend (what the
limiter asks of a key's state), local (that state in this process), redis_backend (in Redis), transport
(the layer itself).
"""
from __future__ import annotations

from .limit import SLOT_POLL, Permit, RateLimit
from .transport import DEFAULT_BLOCK, AsyncRateLimitTransport, RateLimitLayer, RateLimitTransport

__all__ = [
    "DEFAULT_BLOCK",
    "SLOT_POLL",
    "AsyncRateLimitTransport",
    "Permit",
    "RateLimit",
    "RateLimitLayer",
    "RateLimitTransport",
]
