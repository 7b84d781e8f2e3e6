"""The RateLimit object: its settings, the key's backends, and the wait for a permit, written once as
coroutines (tmdb_sdk._io) for TMDB and AsyncTMDB."""
from __future__ import annotations

import uuid
from typing import Any

import httpx

from .._backends import safe_url
from .._io import ASYNC_IO, IO, SYNC_IO, run_sync
from ..errors import ConfigurationError, RateLimitError
from ..transport._layers import coerce
from ..transport.retry import Clock
from .backend import BLOCKED, ENTERED, Backend
from .local import local_backend
from .redis_backend import RedisBackend, RedisSide

# How often a request waiting for a concurrency slot looks again.
SLOT_POLL = 0.005


class RateLimit:
    """A request rate and concurrency for every client naming `key`; give it to TMDB(rate_limit=...).

    rate / per: requests per `per` seconds (TMDB allows about 40-50 per second per IP).
    burst: requests that may go at once after a quiet spell. The default 2 lets a waiter that woke a
        little late still use its turn (with 1, every late wake-up is budget lost: measured ~15% of the
        rate with 4 busy replicas); any 1-second window then holds at most rate + burst requests.
    concurrency: requests in flight at most, None for no limit (TMDB's CDN: about 20 per IP).
    max_wait: seconds a request may wait for the limiter before RateLimitError is raised.
    key: the limiter's name; clients naming the same key share it (in Redis: across processes).
    redis: None (this process), a URL ("redis://host:6379/0") or a redis.Redis / redis.asyncio.Redis.
    lease: seconds a concurrency slot stays taken at most (a process that died gives it back then).
    retry_after: seconds Redis is skipped after it failed, before it is tried again.
    """

    def __init__(
        self,
        rate: int = 40,
        per: float = 1.0,
        *,
        burst: int = 2,
        concurrency: int | None = 20,
        max_wait: float = 30.0,
        key: str = "tmdb",
        redis: str | Any | None = None,
        key_prefix: str = "tmdb-rate-limit",
        redis_timeout: float = 0.25,
        lease: float = 60.0,
        retry_after: float = 5.0,
    ) -> None:
        if not isinstance(rate, int) or rate < 1:
            raise ConfigurationError(f"RateLimit rate must be a whole number of requests >= 1, got {rate!r}")
        if per <= 0 or int(per * 1000) < 1:
            raise ConfigurationError(f"RateLimit per must be at least 0.001 seconds, got {per!r}")
        if burst < 1:
            raise ConfigurationError(f"RateLimit burst must be >= 1, got {burst!r}")
        if concurrency is not None and concurrency < 1:
            raise ConfigurationError(f"RateLimit concurrency must be >= 1 or None, got {concurrency!r}")
        if max_wait < 0 or lease <= 0 or retry_after < 0:
            raise ConfigurationError("RateLimit max_wait and retry_after must not be negative, lease must be > 0")
        from pyrate_limiter import Rate

        self.rate, self.per, self.burst, self.concurrency = rate, per, burst, concurrency
        self.max_wait, self.key, self.redis, self.key_prefix = max_wait, key, redis, key_prefix
        self.redis_timeout, self.lease, self.retry_after = redis_timeout, lease, retry_after
        self._rates = [Rate(rate, int(per * 1000), burst=burst)]
        self._local = local_backend(key, (rate, per, burst, concurrency), self._rates, concurrency)
        if isinstance(redis, str) and not redis.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigurationError(f"RateLimit redis= takes a redis:// URL or a client, not {safe_url(redis)!r}")
        self._redis = None if redis is None else RedisBackend(
            redis, key_prefix, key, self._rates, concurrency, redis_timeout, retry_after
        )
        self._errors: tuple[type[BaseException], ...] = () if self._redis is None else self._redis.errors

    def __repr__(self) -> str:
        where = "process" if self.redis is None else (
            safe_url(self.redis) if isinstance(self.redis, str) else type(self.redis).__name__
        )
        return (f"RateLimit(rate={self.rate}, per={self.per:g}, burst={self.burst}, concurrency={self.concurrency}, "
                f"max_wait={self.max_wait:g}, key={self.key!r}, redis={where!r})")

    @classmethod
    def coerce(cls, value: RateLimit | str | bool | None) -> tuple[RateLimit | None, bool]:
        """(the RateLimit for a client's `rate_limit=` argument, whether the client owns it)."""
        return coerce(value, cls, lambda url: cls(redis=url), "rate_limit", "a RateLimit, a redis:// URL")

    # -- which backend: Redis unless it failed a moment ago --

    def _shared(self, clock: Clock) -> Backend:
        redis = self._redis
        return redis if redis is not None and redis.outage.usable(clock.monotonic()) else self._local

    def _redis_failed(self, exc: BaseException, clock: Clock) -> None:
        if self._redis is not None:
            self._redis.outage.failed(exc, clock.monotonic())

    def _sync_redis(self) -> RedisSide:
        assert self._redis is not None
        return self._redis.side(SYNC_IO)

    def _async_redis(self) -> RedisSide:
        assert self._redis is not None
        return self._redis.side(ASYNC_IO)

    def _refuse(self, request: httpx.Request, wait: float, why: str) -> RateLimitError:
        return RateLimitError(
            429, None,
            f"client-side rate limit {self.key!r}: {why}; would wait {wait:.3g}s, more than max_wait={self.max_wait:g}s",
            method=request.method, path=request.url.path, retry_after=wait,
            operation=getattr(request.extensions.get("tmdb_operation"), "operation_id", None),
        )

    # -- the logic, once --

    async def permit(self, request: httpx.Request, clock: Clock, io: IO) -> Permit:
        """Waits for the key's block, a concurrency slot and the rate; RateLimitError beyond max_wait."""
        deadline = clock.monotonic() + self.max_wait
        token = uuid.uuid4().hex
        failed = False  # Redis failed during this call: the rest of it is limited in this process
        while True:  # the block and a slot; each pass sleeps or returns, bounded by the deadline
            backend = self._local if failed else self._shared(clock)
            now = clock.wall()
            try:
                state, wait = await backend.enter(io, token, now, self.lease)
            except self._errors as exc:
                self._redis_failed(exc, clock)
                failed = True
                continue
            if state == ENTERED:
                break
            wait = wait if state == BLOCKED else SLOT_POLL
            if clock.monotonic() + wait > deadline:
                raise self._refuse(request, wait, "TMDB asked to wait (429)" if state == BLOCKED
                                   else f"all {self.concurrency} concurrency slots are taken")
            await io.sleep(clock, wait)
        permit = Permit(self, token, backend)
        while True:  # the rate
            now = clock.wall()
            try:
                wait = await permit.backend.take(io, now)
            except self._errors as exc:
                self._redis_failed(exc, clock)
                await permit.give_back(io)
                permit = Permit(self, token, self._local)
                await self._local.enter(io, token, now, self.lease)  # the fallback's slot (no wait: failing open)
                continue
            if wait == 0.0:
                return permit
            if clock.monotonic() + wait > deadline:
                await permit.give_back(io)
                raise self._refuse(request, wait, f"{self.rate} requests per {self.per:g}s")
            await io.sleep(clock, wait)

    async def block(self, seconds: float, clock: Clock, io: IO) -> None:
        """Every client of the key waits `seconds` before its next request (TMDB's Retry-After)."""
        until = clock.wall() + seconds
        await self._local.block(io, until, seconds)
        backend = self._shared(clock)
        if backend is not self._local:
            try:
                await backend.block(io, until, seconds)
            except self._errors as exc:
                self._redis_failed(exc, clock)

    # -- the same for each client flavour --

    def acquire(self, request: httpx.Request, clock: Clock) -> Permit:
        """`permit` for TMDB."""
        return run_sync(self.permit(request, clock, SYNC_IO))

    async def aacquire(self, request: httpx.Request, clock: Clock) -> Permit:
        """`permit` for AsyncTMDB."""
        return await self.permit(request, clock, ASYNC_IO)

    def block_for(self, seconds: float, clock: Clock) -> None:
        """`block` for TMDB."""
        run_sync(self.block(seconds, clock, SYNC_IO))

    async def ablock_for(self, seconds: float, clock: Clock) -> None:
        """`block` for AsyncTMDB."""
        await self.block(seconds, clock, ASYNC_IO)

    def close(self) -> None:
        """Closes a sync Redis client this RateLimit made from a URL (async ones: `await aclose()`)."""
        if self._redis is not None:
            self._redis.close()

    async def aclose(self) -> None:
        """Closes every Redis client this RateLimit made from a URL."""
        if self._redis is not None:
            await self._redis.aclose()


class Permit:
    """One request's hold on the limiter: its concurrency slot, given back once."""

    __slots__ = ("backend", "limit", "released", "token")

    def __init__(self, limit: RateLimit, token: str, backend: Backend) -> None:
        self.limit, self.token, self.backend, self.released = limit, token, backend, False

    async def give_back(self, io: IO) -> None:
        if self.released or self.limit.concurrency is None:
            return
        self.released = True
        await self.backend.release(io, self.token)

    def release(self) -> None:
        run_sync(self.give_back(SYNC_IO))

    async def arelease(self) -> None:
        await self.give_back(ASYNC_IO)
