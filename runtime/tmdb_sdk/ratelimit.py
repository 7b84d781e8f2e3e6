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
"""
from __future__ import annotations

import logging
import threading
import uuid
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from .errors import ConfigurationError, RateLimitError, parse_retry_after
from .redact import redact
from .retry import Clock

if TYPE_CHECKING:
    import asyncio

logger = logging.getLogger("tmdb_sdk.ratelimit")

# A 429 without a usable Retry-After blocks the key for this long.
DEFAULT_BLOCK = 1.0
# How often a request waiting for a concurrency slot looks again.
SLOT_POLL = 0.005

# KEYS: blocked-until key, slots key. ARGV: now_ms, lease_ms, concurrency (0: unlimited), token.
# -> {0, ms blocked for} | {1, 0} entered (slot taken when limited) | {2, 0} every slot is taken.
_ENTER_LUA = """
local now = tonumber(ARGV[1])
local blocked = tonumber(redis.call('GET', KEYS[1]) or '0')
if blocked > now then
    return {0, blocked - now}
end
local limit = tonumber(ARGV[3])
if limit == 0 then
    return {1, 0}
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= limit then
    return {2, 0}
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return {1, 0}
"""
# KEYS: blocked-until key. ARGV: until_ms, ttl_ms. Only ever moves the block later.
_BLOCK_LUA = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
"""
_BLOCKED, _ENTERED, _FULL = 0, 1, 2


def _redis_errors() -> tuple[type[BaseException], ...]:
    import asyncio

    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - only without the redis extra
        return (OSError,)
    return (RedisError, OSError, asyncio.TimeoutError)


# -- the in-process state of a key -------------------------------------------------------------------


class _LocalState:
    """One key's limiter in this process: GCRA state, the block, the held slots."""

    def __init__(self, rates: list[Any], concurrency: int | None) -> None:
        from pyrate_limiter import GCRA, InMemoryStateStore

        self.rates, self.concurrency = rates, concurrency
        self.algorithm = GCRA()
        self.store: Any = InMemoryStateStore()  # Any: pyrate-limiter's check() is untyped
        self.lock = threading.Lock()
        self.blocked_until = 0.0  # wall seconds
        self.slots: dict[str, float] = {}  # token -> lease end (wall seconds)

    def enter(self, token: str, now: float, lease: float) -> tuple[int, float]:
        with self.lock:
            if self.blocked_until > now:
                return _BLOCKED, self.blocked_until - now
            if self.concurrency is None:
                return _ENTERED, 0.0
            if len(self.slots) >= self.concurrency:
                for held, end in list(self.slots.items()):
                    if end <= now:
                        del self.slots[held]
                if len(self.slots) >= self.concurrency:
                    return _FULL, 0.0
            self.slots[token] = now + lease
            return _ENTERED, 0.0

    def take(self, now: float) -> float:
        decision = self.store.check(self.algorithm, self.rates, int(now * 1000), 1)
        return 0.0 if decision.allowed else max(decision.retry_after_ms or 1, 1) / 1000

    def release(self, token: str) -> None:
        with self.lock:
            self.slots.pop(token, None)

    def block(self, until: float) -> None:
        with self.lock:
            self.blocked_until = max(self.blocked_until, until)


_registry_lock = threading.Lock()
# key -> (settings, state); a state lives as long as a RateLimit naming its key does.
_registry: dict[str, tuple[tuple[Any, ...], weakref.ref[_LocalState]]] = {}


def _local_state(key: str, signature: tuple[Any, ...], rates: list[Any], concurrency: int | None) -> _LocalState:
    with _registry_lock:
        found = _registry.get(key)
        state = found[1]() if found is not None else None
        if found is None or state is None:
            state = _LocalState(rates, concurrency)
            _registry[key] = (signature, weakref.ref(state))
        elif found[0] != signature:
            raise ConfigurationError(
                f"rate limit key {key!r} is already used in this process with (rate, per, burst, concurrency) = "
                f"{found[0]}, not {signature}: use another key or the same settings"
            )
        return state


# -- Redis ---------------------------------------------------------------------------------------------


class _RedisKeys:
    def __init__(self, prefix: str, key: str) -> None:
        self.rate, self.blocked, self.slots = f"{prefix}:{key}:rate", f"{prefix}:{key}:blocked", f"{prefix}:{key}:slots"


class _RedisSide:
    """A Redis client (sync or async) and what the limiter runs on it."""

    def __init__(self, client: Any, keys: _RedisKeys) -> None:
        from pyrate_limiter import GCRA, RedisStateStore

        self.client, self.keys = client, keys
        self.store: Any = RedisStateStore(client, keys.rate)
        self.algorithm = GCRA()
        self.enter_script = client.register_script(_ENTER_LUA)
        self.block_script = client.register_script(_BLOCK_LUA)


@dataclass(slots=True)
class _Outage:
    """Whether the key's Redis is being skipped, and since when (logged once per outage)."""

    down_until: float = 0.0  # monotonic seconds; 0 = Redis in use


# -- the public settings + runtime object ----------------------------------------------------------------


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
        self._local = _local_state(key, (rate, per, burst, concurrency), self._rates, concurrency)
        self._keys = _RedisKeys(key_prefix, key)
        self._outage = _Outage()
        self._outage_lock = threading.Lock()
        self._sync_side: _RedisSide | None = None
        self._async_sides: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _RedisSide] = (
            weakref.WeakKeyDictionary()
        )
        self._side_lock = threading.Lock()
        self._errors: tuple[type[BaseException], ...] = _redis_errors() if redis is not None else ()
        if isinstance(redis, str) and not redis.startswith(("redis://", "rediss://", "unix://")):
            from .cache import safe_url

            raise ConfigurationError(f"RateLimit redis= takes a redis:// URL or a client, not {safe_url(redis)!r}")

    def __repr__(self) -> str:
        from .cache import safe_url

        where = "process" if self.redis is None else (
            safe_url(self.redis) if isinstance(self.redis, str) else type(self.redis).__name__
        )
        return (f"RateLimit(rate={self.rate}, per={self.per:g}, burst={self.burst}, concurrency={self.concurrency}, "
                f"max_wait={self.max_wait:g}, key={self.key!r}, redis={where!r})")

    @classmethod
    def coerce(cls, value: RateLimit | str | bool | None) -> tuple[RateLimit | None, bool]:
        """(the RateLimit for a client's `rate_limit=` argument, whether the client owns it)."""
        if value is None or value is False:
            return None, False
        if value is True:
            return cls(), True
        if isinstance(value, str):
            return cls(redis=value), True
        if isinstance(value, RateLimit):
            return value, False
        raise ConfigurationError(
            f"rate_limit= takes a RateLimit, a redis:// URL, True or None, not {type(value).__name__}"
        )

    # -- Redis clients and the outage switch --

    def _redis_kwargs(self) -> dict[str, Any]:
        return {"socket_timeout": self.redis_timeout, "socket_connect_timeout": self.redis_timeout}

    def _sync_redis(self) -> _RedisSide:
        with self._side_lock:
            if self._sync_side is None:
                if isinstance(self.redis, str):
                    from redis import Redis

                    client: Any = Redis.from_url(self.redis, **self._redis_kwargs())
                else:
                    client = self.redis
                self._sync_side = _RedisSide(client, self._keys)
            return self._sync_side

    def _async_redis(self) -> _RedisSide:
        import asyncio

        loop = asyncio.get_running_loop()
        with self._side_lock:
            side = self._async_sides.get(loop)
            if side is None:
                if isinstance(self.redis, str):
                    from redis.asyncio import Redis as AsyncRedis

                    client: Any = AsyncRedis.from_url(self.redis, **self._redis_kwargs())
                else:
                    client = self.redis
                side = self._async_sides[loop] = _RedisSide(client, self._keys)
            return side

    def _use_redis(self, clock: Clock) -> bool:
        if self.redis is None:
            return False
        down_until = self._outage.down_until
        return down_until == 0.0 or clock.monotonic() >= down_until

    def _redis_failed(self, exc: BaseException, clock: Clock) -> None:
        with self._outage_lock:
            first = self._outage.down_until == 0.0
            self._outage.down_until = clock.monotonic() + self.retry_after
        if first:
            logger.warning(
                "rate limit %r: Redis failed (%s: %s); limiting in this process until it is back "
                "(tried again every %gs)",
                self.key, type(exc).__name__, redact(str(exc)), self.retry_after,
            )

    def _redis_worked(self) -> None:
        if self._outage.down_until != 0.0:
            with self._outage_lock:
                if self._outage.down_until == 0.0:
                    return
                self._outage.down_until = 0.0
            logger.warning("rate limit %r: Redis reachable again; limiting across the fleet", self.key)

    def _refuse(self, request: httpx.Request, wait: float, why: str) -> RateLimitError:
        return RateLimitError(
            429, None,
            f"client-side rate limit {self.key!r}: {why}; would wait {wait:.3g}s, more than max_wait={self.max_wait:g}s",
            method=request.method, path=request.url.path, retry_after=wait,
            operation=getattr(request.extensions.get("tmdb_operation"), "operation_id", None),
        )

    # -- sync --

    def acquire(self, request: httpx.Request, clock: Clock) -> _Permit:
        """Waits for the key's block, a concurrency slot and the rate; RateLimitError beyond max_wait."""
        deadline = clock.monotonic() + self.max_wait
        token = uuid.uuid4().hex
        redis_side: _RedisSide | None = None
        failed = False  # Redis failed during this call: the rest of it is limited in this process
        while True:  # the block and a slot; each pass sleeps or returns, bounded by the deadline
            redis_side = self._sync_redis() if not failed and self._use_redis(clock) else None
            now = clock.wall()
            if redis_side is None:
                state, wait = self._local.enter(token, now, self.lease)
            else:
                try:
                    reply = redis_side.enter_script(
                        keys=[self._keys.blocked, self._keys.slots],
                        args=[int(now * 1000), int(self.lease * 1000), self.concurrency or 0, token],
                    )
                    state, wait = int(reply[0]), int(reply[1]) / 1000
                    self._redis_worked()
                except self._errors as exc:
                    self._redis_failed(exc, clock)
                    failed = True
                    continue
            if state == _ENTERED:
                break
            wait = wait if state == _BLOCKED else SLOT_POLL
            if clock.monotonic() + wait > deadline:
                raise self._refuse(request, wait, "TMDB asked to wait (429)" if state == _BLOCKED
                                   else f"all {self.concurrency} concurrency slots are taken")
            clock.sleep(wait)
        permit = _Permit(self, token, redis_side)
        while True:  # the rate
            now = clock.wall()
            if permit.redis_side is None:
                wait = self._local.take(now)
            else:
                try:
                    side = permit.redis_side
                    decision = side.store.check(side.algorithm, self._rates, int(now * 1000), 1)
                    wait = 0.0 if decision.allowed else max(decision.retry_after_ms or 1, 1) / 1000
                except self._errors as exc:
                    self._redis_failed(exc, clock)
                    permit.release()
                    permit = _Permit(self, token, None)
                    self._local.enter(token, now, self.lease)  # the fallback's slot (no wait: failing open)
                    continue
            if wait == 0.0:
                return permit
            if clock.monotonic() + wait > deadline:
                permit.release()
                raise self._refuse(request, wait, f"{self.rate} requests per {self.per:g}s")
            clock.sleep(wait)

    def block_for(self, seconds: float, clock: Clock) -> None:
        """Every client of the key waits `seconds` before its next request (TMDB's Retry-After)."""
        until = clock.wall() + seconds
        self._local.block(until)
        if self._use_redis(clock):
            try:
                self._sync_redis().block_script(
                    keys=[self._keys.blocked], args=[int(until * 1000), int(seconds * 1000) + 1000]
                )
            except self._errors as exc:
                self._redis_failed(exc, clock)

    # -- async --

    async def aacquire(self, request: httpx.Request, clock: Clock) -> _Permit:
        """The async mirror of acquire."""
        deadline = clock.monotonic() + self.max_wait
        token = uuid.uuid4().hex
        redis_side: _RedisSide | None = None
        failed = False
        while True:
            redis_side = self._async_redis() if not failed and self._use_redis(clock) else None
            now = clock.wall()
            if redis_side is None:
                state, wait = self._local.enter(token, now, self.lease)
            else:
                try:
                    reply = await redis_side.enter_script(
                        keys=[self._keys.blocked, self._keys.slots],
                        args=[int(now * 1000), int(self.lease * 1000), self.concurrency or 0, token],
                    )
                    state, wait = int(reply[0]), int(reply[1]) / 1000
                    self._redis_worked()
                except self._errors as exc:
                    self._redis_failed(exc, clock)
                    failed = True
                    continue
            if state == _ENTERED:
                break
            wait = wait if state == _BLOCKED else SLOT_POLL
            if clock.monotonic() + wait > deadline:
                raise self._refuse(request, wait, "TMDB asked to wait (429)" if state == _BLOCKED
                                   else f"all {self.concurrency} concurrency slots are taken")
            await clock.async_sleep(wait)
        permit = _Permit(self, token, redis_side)
        while True:
            now = clock.wall()
            if permit.redis_side is None:
                wait = self._local.take(now)
            else:
                try:
                    side = permit.redis_side
                    decision = await side.store.check(side.algorithm, self._rates, int(now * 1000), 1)
                    wait = 0.0 if decision.allowed else max(decision.retry_after_ms or 1, 1) / 1000
                except self._errors as exc:
                    self._redis_failed(exc, clock)
                    await permit.arelease()
                    permit = _Permit(self, token, None)
                    self._local.enter(token, now, self.lease)
                    continue
            if wait == 0.0:
                return permit
            if clock.monotonic() + wait > deadline:
                await permit.arelease()
                raise self._refuse(request, wait, f"{self.rate} requests per {self.per:g}s")
            await clock.async_sleep(wait)

    async def ablock_for(self, seconds: float, clock: Clock) -> None:
        """The async mirror of block_for."""
        until = clock.wall() + seconds
        self._local.block(until)
        if self._use_redis(clock):
            try:
                await self._async_redis().block_script(
                    keys=[self._keys.blocked], args=[int(until * 1000), int(seconds * 1000) + 1000]
                )
            except self._errors as exc:
                self._redis_failed(exc, clock)

    def close(self) -> None:
        """Closes a sync Redis client this RateLimit made from a URL (async ones: `await aclose()`)."""
        with self._side_lock:
            side, self._sync_side = self._sync_side, None
        if side is not None and isinstance(self.redis, str):
            side.client.close()

    async def aclose(self) -> None:
        """Closes every Redis client this RateLimit made from a URL."""
        self.close()
        with self._side_lock:
            sides = list(self._async_sides.values())
            self._async_sides.clear()
        if isinstance(self.redis, str):
            for side in sides:
                await side.client.aclose()


class _Permit:
    """One request's hold on the limiter: its concurrency slot, given back once."""

    __slots__ = ("limit", "redis_side", "released", "token")

    def __init__(self, limit: RateLimit, token: str, redis_side: _RedisSide | None) -> None:
        self.limit, self.token, self.redis_side, self.released = limit, token, redis_side, False

    def release(self) -> None:
        if self.released or self.limit.concurrency is None:
            return
        self.released = True
        if self.redis_side is None:
            self.limit._local.release(self.token)
            return
        try:
            self.redis_side.client.zrem(self.limit._keys.slots, self.token)
        except self.limit._errors:
            pass  # the lease runs out by itself

    async def arelease(self) -> None:
        if self.released or self.limit.concurrency is None:
            return
        self.released = True
        if self.redis_side is None:
            self.limit._local.release(self.token)
            return
        try:
            await self.redis_side.client.zrem(self.limit._keys.slots, self.token)
        except self.limit._errors:
            pass


# -- the transports ----------------------------------------------------------------------------------------


class _ReleasingStream(httpx.SyncByteStream):
    def __init__(self, stream: Any, release: Callable[[], None]) -> None:
        self.stream, self.release = stream, release

    def __iter__(self) -> Iterator[bytes]:
        yield from self.stream

    def close(self) -> None:
        try:
            self.stream.close()
        finally:
            self.release()


class _AsyncReleasingStream(httpx.AsyncByteStream):
    def __init__(self, stream: Any, release: Callable[[], Any]) -> None:
        self.stream, self.release = stream, release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self.stream.aclose()
        finally:
            await self.release()


def _retry_after(response: httpx.Response, clock: Clock) -> float:
    seconds = parse_retry_after(response.headers.get("Retry-After"), clock.wall())
    return DEFAULT_BLOCK if seconds is None else seconds


class RateLimitTransport(httpx.BaseTransport):
    """Holds every request to `limit` before `inner` sends it; a 429 blocks the key for its Retry-After."""

    def __init__(self, inner: httpx.BaseTransport, limit: RateLimit, clock: Clock | None = None) -> None:
        self.inner, self.limit, self.clock = inner, limit, clock or Clock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        permit = self.limit.acquire(request, self.clock)
        try:
            response = self.inner.handle_request(request)
        except BaseException:
            permit.release()
            raise
        if response.status_code == 429:
            self.limit.block_for(_retry_after(response, self.clock), self.clock)
        if self.limit.concurrency is None:
            return response
        if hasattr(response, "_content"):  # already read (e.g. httpx.MockTransport)
            permit.release()
        else:
            response.stream = _ReleasingStream(response.stream, permit.release)
        return response

    def close(self) -> None:
        self.inner.close()


class AsyncRateLimitTransport(httpx.AsyncBaseTransport):
    """The async mirror of RateLimitTransport."""

    def __init__(self, inner: httpx.AsyncBaseTransport, limit: RateLimit, clock: Clock | None = None) -> None:
        self.inner, self.limit, self.clock = inner, limit, clock or Clock()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        permit = await self.limit.aacquire(request, self.clock)
        try:
            response = await self.inner.handle_async_request(request)
        except BaseException:
            await permit.arelease()
            raise
        if response.status_code == 429:
            await self.limit.ablock_for(_retry_after(response, self.clock), self.clock)
        if self.limit.concurrency is None:
            return response
        if hasattr(response, "_content"):
            await permit.arelease()
        else:
            response.stream = _AsyncReleasingStream(response.stream, permit.arelease)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class RateLimitLayer(RateLimitTransport, AsyncRateLimitTransport):  # type: ignore[misc]
    """Both in one, for a chain built without knowing whether the pool below is sync or async."""
