"""A key's limiter in Redis, shared by every replica: pyrate-limiter's GCRA script for the rate, two
scripts of ours for the block and the concurrency slots, and the switch that skips Redis after it failed."""
from __future__ import annotations

import logging
import threading
import weakref
from typing import TYPE_CHECKING, Any

from .._backends import Outage, redis_client
from .._io import IO
from ..redact import redact
from .backend import gcra_wait

if TYPE_CHECKING:
    import asyncio

logger = logging.getLogger("tmdb_sdk.ratelimit")

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


def redis_errors() -> tuple[type[BaseException], ...]:
    """What a Redis failure raises: the limiter then fails open to this process."""
    import asyncio

    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - only without the redis extra
        return (OSError,)
    return (RedisError, OSError, asyncio.TimeoutError)


class _RedisKeys:
    def __init__(self, prefix: str, key: str) -> None:
        self.rate, self.blocked, self.slots = f"{prefix}:{key}:rate", f"{prefix}:{key}:blocked", f"{prefix}:{key}:slots"


class RedisSide:
    """A Redis client (sync or async) and what the limiter runs on it."""

    def __init__(self, client: Any, keys: _RedisKeys) -> None:
        from pyrate_limiter import GCRA, RedisStateStore

        self.client, self.keys = client, keys
        self.store: Any = RedisStateStore(client, keys.rate)
        self.algorithm = GCRA()
        self.enter_script = client.register_script(_ENTER_LUA)
        self.block_script = client.register_script(_BLOCK_LUA)


class RedisBackend:
    """The key's state in Redis, through a client made from the URL (one per event loop when async) or given.

    Its methods raise `errors` when Redis fails (but `release`: a slot is a lease that runs out by itself).
    """

    def __init__(
        self, redis: str | Any, key_prefix: str, key: str, rates: list[Any], concurrency: int | None,
        timeout: float, retry_after: float,
    ) -> None:
        self.redis, self.rates, self.concurrency, self.timeout = redis, rates, concurrency, timeout
        self.keys = _RedisKeys(key_prefix, key)
        self.errors = redis_errors()

        def down(exc: BaseException | str) -> None:
            logger.warning(
                "rate limit %r: Redis failed (%s: %s); limiting in this process until it is back "
                "(tried again every %gs)",
                key, type(exc).__name__, redact(str(exc)), retry_after,
            )

        self.outage = Outage(
            retry_after, down, lambda: logger.warning("rate limit %r: Redis reachable again; limiting across the fleet", key)
        )
        self._sync_side: RedisSide | None = None
        self._async_sides: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RedisSide] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def side(self, io: IO) -> RedisSide:
        """The client of io's flavour: TMDB's, or the running event loop's for AsyncTMDB (made on first use)."""
        loop = None
        if io.is_async:
            import asyncio

            loop = asyncio.get_running_loop()
        with self._lock:
            side = self._sync_side if loop is None else self._async_sides.get(loop)
            if side is None:
                client = redis_client(self.redis, self.timeout, io) if isinstance(self.redis, str) else self.redis
                side = RedisSide(client, self.keys)
                if loop is None:
                    self._sync_side = side
                else:
                    self._async_sides[loop] = side
            return side

    async def enter(self, io: IO, token: str, now: float, lease: float) -> tuple[int, float]:
        reply = await io.call(
            self.side(io).enter_script,
            keys=[self.keys.blocked, self.keys.slots],
            args=[int(now * 1000), int(lease * 1000), self.concurrency or 0, token],
        )
        self.outage.worked()
        return int(reply[0]), int(reply[1]) / 1000

    async def take(self, io: IO, now: float) -> float:
        side = self.side(io)
        return gcra_wait(await io.call(side.store.check, side.algorithm, self.rates, int(now * 1000), 1))

    async def release(self, io: IO, token: str) -> None:
        try:
            await io.call(self.side(io).client.zrem, self.keys.slots, token)
        except self.errors:
            pass  # the lease runs out by itself

    async def block(self, io: IO, until: float, seconds: float) -> None:
        await io.call(
            self.side(io).block_script, keys=[self.keys.blocked], args=[int(until * 1000), int(seconds * 1000) + 1000]
        )

    def close(self) -> None:
        """Closes the sync client made from a URL (async ones: `await aclose()`)."""
        with self._lock:
            side, self._sync_side = self._sync_side, None
        if side is not None and isinstance(self.redis, str):
            side.client.close()

    async def aclose(self) -> None:
        """Closes every client made from a URL."""
        self.close()
        with self._lock:
            sides = list(self._async_sides.values())
            self._async_sides.clear()
        if isinstance(self.redis, str):
            for side in sides:
                await side.client.aclose()
