"""A key's limiter in Redis, shared by every replica: three Lua scripts (the rate's turns with the replicas'
heartbeats, the block, the concurrency slots), and the switch that skips Redis after it failed."""
from __future__ import annotations

import logging
import threading
import weakref
from typing import TYPE_CHECKING, Any

from .._backends import Outage, redis_client
from .._io import IO
from ..redact import redact
from .backend import rounded

if TYPE_CHECKING:
    import asyncio

logger = logging.getLogger("tmdb_sdk.ratelimit")

# How long a replica counts among the key's replicas after its last request through Redis.
HEARTBEAT = 15.0

# GCRA by reservation (backend.gcra_turn, in Lua): the next turn of the rate, taken atomically, so turns are
# handed out in the order requests ask for them; refused (nothing taken) when further than the caller's
# budget. It also renews this replica's heartbeat and counts the live ones (the share of each while Redis is
# down). Times are milliseconds (floats), replies strings of them.
# KEYS: tat key, blocked-until key, replicas key. ARGV: now, interval, tolerance, budget, replica id, heartbeat.
# -> {0 reserved | 1 refused: the block | 2 refused: the rate, ms until the turn, live replicas, the new tat}.
_RESERVE_LUA = """
local now = tonumber(ARGV[1])
local budget = tonumber(ARGV[4])
local heartbeat = tonumber(ARGV[6])
redis.call('ZADD', KEYS[3], now + heartbeat, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('PEXPIRE', KEYS[3], math.ceil(heartbeat))
local replicas = redis.call('ZCARD', KEYS[3])
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked - now > budget then
    return {1, string.format('%.3f', blocked - now), replicas, ''}
end
local start = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now, blocked)
local at = math.max(start - tonumber(ARGV[3]), now, blocked)
if at - now > budget then
    return {2, string.format('%.3f', at - now), replicas, ''}
end
local tat = string.format('%.3f', start + tonumber(ARGV[2]))
redis.call('SET', KEYS[1], tat, 'PX', math.ceil(tonumber(tat) - now) + 1000)
return {0, string.format('%.3f', at - now), replicas, tat}
"""
# KEYS: tat key. ARGV: the tat a reservation left, interval (ms). Gives the turn back if no other came after it.
_CANCEL_LUA = """
local tat = redis.call('GET', KEYS[1])
if tat == ARGV[1] then
    redis.call('SET', KEYS[1], string.format('%.3f', tonumber(tat) - tonumber(ARGV[2])), 'KEEPTTL')
end
return 1
"""
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
        self.tat, self.blocked, self.slots = f"{prefix}:{key}:tat", f"{prefix}:{key}:blocked", f"{prefix}:{key}:slots"
        self.replicas = f"{prefix}:{key}:replicas"


class RedisSide:
    """A Redis client (sync or async) and what the limiter runs on it."""

    def __init__(self, client: Any, keys: _RedisKeys) -> None:
        self.client, self.keys = client, keys
        self.reserve_script = client.register_script(_RESERVE_LUA)
        self.cancel_script = client.register_script(_CANCEL_LUA)
        self.enter_script = client.register_script(_ENTER_LUA)
        self.block_script = client.register_script(_BLOCK_LUA)


class RedisBackend:
    """The key's state in Redis, through a client made from the URL (one per event loop when async) or given.

    Its methods raise `errors` when Redis fails (but `release`: a slot is a lease that runs out by itself).
    """

    def __init__(
        self, redis: str | Any, key_prefix: str, key: str, spacing: tuple[float, float], concurrency: int | None,
        timeout: float, retry_interval: float, replica: str,
    ) -> None:
        self.redis, self.concurrency, self.timeout = redis, concurrency, timeout
        self.interval, self.tolerance = spacing
        self.replica = replica
        self.replicas = 1  # live replicas of the key, as the last reservation counted them
        self.keys = _RedisKeys(key_prefix, key)
        self.errors = redis_errors()

        def down(exc: BaseException | str) -> None:
            logger.warning(
                "rate limit %r: Redis failed (%s: %s); limiting in this process until it is back "
                "(tried again every %gs)",
                key, type(exc).__name__, redact(str(exc)), retry_interval,
            )

        self.outage = Outage(
            retry_interval, down, lambda: logger.warning("rate limit %r: Redis reachable again; limiting across the fleet", key)
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

    async def reserve(self, io: IO, now: float, budget: float) -> tuple[int, float, str]:
        keys = self.keys
        reply = await io.call(
            self.side(io).reserve_script,
            keys=[keys.tat, keys.blocked, keys.replicas],
            args=[repr(now * 1000), repr(self.interval * 1000), repr(self.tolerance * 1000),
                  repr(min(budget, 1e9) * 1000), self.replica, repr(HEARTBEAT * 1000)],
        )
        self.outage.worked()
        self.replicas = max(int(reply[2]), 1)
        turn = reply[3].decode() if isinstance(reply[3], bytes) else str(reply[3])
        return int(reply[0]), rounded(float(reply[1]) / 1000), turn

    async def cancel(self, io: IO, turn: str) -> None:
        await io.call(self.side(io).cancel_script, keys=[self.keys.tat], args=[turn, repr(self.interval * 1000)])

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
