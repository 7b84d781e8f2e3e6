"""A request rate and concurrency shared by every client naming the same limiter key, as an httpx
transport layer: one process by default, a fleet of replicas through Redis.

    limit = RateLimit(rate=40, per=1.0, concurrency=20, max_wait=10)           # this process
    limit = RateLimit(rate=40, redis="redis://10.0.0.5:6379/0", key="tmdb")    # every replica
    tmdb = TMDB(rate_limit=limit)

The layer is the last before the connection pool (RetryTransport -> CacheTransport ->
RateLimitTransport -> pool): it sees every real network request, cache revalidations included (TMDB
counts those too), and every 429.

- **Rate**: GCRA (the generic cell rate algorithm: a leaky bucket kept as one "theoretical arrival
  time") in its virtual-scheduling form, by reservation: `rate` requests per `per` seconds, at most
  `burst` at once. Each request reserves the next turn atomically (in Redis: one Lua script) and sleeps
  until it, so turns go first come, first served, across processes and between TMDB and AsyncTMDB: a
  waiting caller is never overtaken by one that happened to poll at the right moment. A turn further
  away than `max_wait` is refused at once, and not taken.
- **Concurrency**: at most `concurrency` requests in flight across the key (TMDB's CDN allows about
  20 connections per IP). A slot is held until the response body has been read or closed, and is a
  lease: a process that dies holding one gives it back after `lease` seconds.
- **429**: TMDB's `Retry-After` becomes a shared "blocked until" that every client of the key honours
  at the moment it would send, so a fleet backs off once, together: a request whose turn came during
  the block takes a new turn after it, also when it was already waiting when the 429 came.
- **Bounded waiting**: a request that would wait longer than `max_wait` in total raises
  `RateLimitError` (http_status 429, no TMDB status_code, `retry_after` = the wait it was refused, the
  message says how long it had already waited) before anything is sent.
- **Redis failures fail open**: a Redis error (down, timeout, refused) switches the key to this
  process's own limiter, logs one warning for the outage naming its cause, and tries Redis again every
  `redis_retry_interval` seconds (another warning when it is back). Each replica then takes its share of
  the rate: `rate` divided by the replicas alive in Redis when it was last reached (each renews a
  heartbeat there with every request; one that stopped counts for 15 s more), without burst, so the
  fleet keeps to about `rate` in total. A replica that never reached Redis limits itself to the whole
  rate. TMDB's few 429s are retried by RetryTransport.

Clients of one process that name the same key share one in-process limiter (and, for a key in
Redis, the fallback); naming a key again with another rate, per, burst or concurrency is a
ConfigurationError. Times in Redis are the replicas' wall clocks: keep them in sync (NTP).
redis is imported on first use.

The modules, one job each: limit (the RateLimit object and the wait for a permit), backend (what the
limiter asks of a key's state, and GCRA's turn), local (that state in this process), redis_backend (in
Redis), transport (the layer itself).
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
