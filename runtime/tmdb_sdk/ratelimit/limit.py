"""The RateLimit object: its settings, the key's backends, and the wait for a permit, written once as
coroutines (tmdb_sdk._io) for TMDB and AsyncTMDB."""
from __future__ import annotations

import uuid
import warnings
from typing import Any

import httpx

from .._backends import safe_url
from .._call_limits import exceeded, remaining
from .._io import ASYNC_IO, IO, SYNC_IO, run_sync
from ..errors import ConfigurationError, RateLimitError
from ..transport._layers import coerce
from ..transport.retry import Clock
from .backend import ENTERED, FULL, REFUSED_BLOCKED, RESERVED, Backend
from .local import local_backend
from .redis_backend import RedisBackend, RedisSide

# How often a request waiting for a concurrency slot looks again.
SLOT_POLL = 0.005


class RateLimit:
    """A request rate and concurrency for every client naming `key`; give it to TMDB(rate_limit=...).

    rate / per: requests per `per` seconds (TMDB allows about 40-50 per second per IP).
    burst: requests that may go at once after a quiet spell (default 2); any 1-second window then holds at
        most rate + burst requests. Waiters are served in the order they came whatever the burst.
    concurrency: requests in flight at most, None for no limit (TMDB's CDN: about 20 per IP).
    max_wait: seconds a request may wait for the limiter before RateLimitError is raised.
    key: the limiter's name; clients naming the same key share it (in Redis: across processes).
    redis: None (this process), a URL ("redis://host:6379/0") or a redis.Redis / redis.asyncio.Redis.
    lease: seconds a concurrency slot stays taken at most (a process that died gives it back then).
    redis_retry_interval: seconds Redis is skipped after it failed, before it is tried again (formerly
        `retry_after`, deprecated: not to be confused with TMDB's Retry-After, `RateLimitError.retry_after`).

    Who closes what: a RateLimit given to a client (`TMDB(rate_limit=limit)`) belongs to whoever made it, who
    closes it (`close()` / `await aclose()`) once no client uses it: clients never close a RateLimit they were
    given, so one may serve many. A client closes only the RateLimit it made itself, from
    `rate_limit="redis://..."` or `rate_limit=True`.
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
        redis_retry_interval: float = 5.0,
        retry_after: float | None = None,
    ) -> None:
        if retry_after is not None:
            warnings.warn(
                "RateLimit(retry_after=) is deprecated: use redis_retry_interval= (seconds Redis is skipped after "
                "it failed)", DeprecationWarning, stacklevel=2,
            )
            redis_retry_interval = retry_after
        if not isinstance(rate, int) or rate < 1:
            raise ConfigurationError(f"RateLimit rate must be a whole number of requests >= 1, got {rate!r}")
        if per <= 0 or int(per * 1000) < 1:
            raise ConfigurationError(f"RateLimit per must be at least 0.001 seconds, got {per!r}")
        if burst < 1:
            raise ConfigurationError(f"RateLimit burst must be >= 1, got {burst!r}")
        if concurrency is not None and concurrency < 1:
            raise ConfigurationError(f"RateLimit concurrency must be >= 1 or None, got {concurrency!r}")
        if max_wait < 0 or lease <= 0 or redis_retry_interval < 0:
            raise ConfigurationError(
                "RateLimit max_wait and redis_retry_interval must not be negative, lease must be > 0"
            )
        self.rate, self.per, self.burst, self.concurrency = rate, per, burst, concurrency
        self.max_wait, self.key, self.redis, self.key_prefix = max_wait, key, redis, key_prefix
        self.redis_timeout, self.lease, self.redis_retry_interval = redis_timeout, lease, redis_retry_interval
        interval = per / rate
        spacing = (interval, (burst - 1) * interval)  # GCRA's emission interval and tolerance
        self._local = local_backend(key, (rate, per, burst, concurrency), *spacing, concurrency)
        if isinstance(redis, str) and not redis.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigurationError(f"RateLimit redis= takes a redis:// URL or a client, not {safe_url(redis)!r}")
        self._redis = None if redis is None else RedisBackend(
            redis, key_prefix, key, spacing, concurrency, redis_timeout, redis_retry_interval, self._local.id
        )
        self._errors: tuple[type[BaseException], ...] = () if self._redis is None else self._redis.errors

    @property
    def retry_after(self) -> float:
        """Deprecated name of `redis_retry_interval`."""
        warnings.warn("RateLimit.retry_after is deprecated: use redis_retry_interval", DeprecationWarning, stacklevel=2)
        return self.redis_retry_interval

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
            if self._redis.outage.down_until == 0.0:  # an outage starts: this process takes its share alone
                self._local.hold_off(clock.wall())
            self._redis.outage.failed(exc, clock.monotonic())

    async def _reserve(self, backend: Backend, io: IO, clock: Clock, deadline: float) -> tuple[int, float, str]:
        # A turn free now is never refused, however little of max_wait is left (max_wait=0: no waiting).
        reserved = await backend.reserve(io, clock.wall(), max(deadline - clock.monotonic(), 0.0))
        if backend is self._redis:
            self._local.replicas = self._redis.replicas  # remembered for the fallback's share
        return reserved

    def _sync_redis(self) -> RedisSide:
        assert self._redis is not None
        return self._redis.side(SYNC_IO)

    def _async_redis(self) -> RedisSide:
        assert self._redis is not None
        return self._redis.side(ASYNC_IO)

    def _refuse(self, request: httpx.Request, waited: float, wait: float, why: str, by_call: bool = False) -> Exception:
        if by_call:  # the call's deadline (_call_limits), shorter than max_wait, is what the wait would pass
            return exceeded(request, f"client-side rate limit {self.key!r}: {why}; waiting {wait:.3g}s more would pass it")
        return RateLimitError(
            429, None,
            f"client-side rate limit {self.key!r}: {why}; waited {waited:.3g}s, would wait {wait:.3g}s more: "
            f"beyond max_wait={self.max_wait:g}s",
            method=request.method, path=request.url.path, retry_after=wait,
            operation=getattr(request.extensions.get("tmdb_operation"), "operation_id", None),
        )

    # -- the logic, once --

    async def permit(self, request: httpx.Request, clock: Clock, io: IO) -> Permit:
        """Waits for the key's next turn of the rate, then, at the moment of sending, for the block and a
        concurrency slot; RateLimitError, nothing sent, when that takes more than max_wait in total.

        A turn is reserved (first come, first served) only when it is within max_wait, so a refusal comes at
        once. A block set while the request waited for its turn (TMDB's 429 to any client of the key) is
        found when it enters, and the request then takes a new turn after the block: every queued request
        honours it, not only those that start waiting after it.
        """
        began = clock.monotonic()
        left = remaining(request)
        by_call = left is not None and left < self.max_wait  # the call's deadline comes first
        deadline = began + (self.max_wait if left is None else min(left, self.max_wait))
        token = uuid.uuid4().hex
        failed = False  # Redis failed during this call: the rest of it is limited in this process
        while True:  # a turn, then the block and a slot; each pass sleeps or returns, bounded by the deadline
            backend = self._local if failed else self._shared(clock)
            try:
                state, wait, turn = await self._reserve(backend, io, clock, deadline)
                if state != RESERVED:
                    raise self._refuse(request, clock.monotonic() - began, wait, "TMDB asked to wait (429)"
                                       if state == REFUSED_BLOCKED else f"{self.rate} requests per {self.per:g}s",
                                       by_call)
                if wait > 0:
                    await io.sleep(clock, wait)
                state, _ = await backend.enter(io, token, clock.wall(), self.lease)
                while state == FULL:
                    if clock.monotonic() + SLOT_POLL > deadline:
                        await backend.cancel(io, turn)  # refused: its turn is given back to the others
                        raise self._refuse(request, clock.monotonic() - began, SLOT_POLL,
                                           f"all {self.concurrency} concurrency slots are taken", by_call)
                    await io.sleep(clock, SLOT_POLL)
                    state, _ = await backend.enter(io, token, clock.wall(), self.lease)
            except self._errors as exc:
                self._redis_failed(exc, clock)
                failed = True
                continue
            if state == ENTERED:
                return Permit(self, token, backend)
            # BLOCKED: a 429 came while this request waited; its next turn is after the block

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
