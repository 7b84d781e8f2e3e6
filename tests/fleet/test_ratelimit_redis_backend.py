"""The rate limiter's state in a real redis-server (tmdb_sdk.ratelimit.redis_backend): the same answers as the
in-process state, the clients it makes from a URL (their timeout, one connection reused, closed by close/aclose),
the block's expiry in Redis and the rate to the millisecond. Times come from a fake clock (the limiter keeps
wall times in Redis), so nothing waits; the multi-process checks are in test_fleet_workers.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis
import redis.asyncio
from fleet_support import FakeClock
from tmdb_sdk import RateLimit
from tmdb_sdk._io import SYNC_IO, run_sync
from tmdb_sdk.ratelimit.backend import BLOCKED, ENTERED, FULL, REFUSED_BLOCKED, REFUSED_RATE, RESERVED, Backend
from tmdb_sdk.ratelimit.redis_backend import HEARTBEAT, RedisBackend

REQUEST = httpx.Request("GET", "https://api.themoviedb.org/3/movie/550")
NOW = 1_800_000_000.0  # wall seconds


@pytest.fixture
def key() -> str:
    return f"redis-{uuid.uuid4().hex}"


@pytest.fixture
def observer(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


# -- one contract, two places -------------------------------------------------------------------------------


def backend(where: str, redis_url: str, key: str, concurrency: int | None) -> Backend:
    limit = RateLimit(rate=10, concurrency=concurrency, key=key, redis=redis_url if where == "redis" else None)
    return limit._local if limit._redis is None else limit._redis


def enter(state: Backend, token: str, now: float, lease: float = 1.0) -> tuple[int, float]:
    return run_sync(state.enter(SYNC_IO, token, now, lease))


@pytest.mark.parametrize("where", ["local", "redis"])
def test_slots_are_taken_until_full_and_free_again_when_their_lease_ends(where: str, redis_url: str, key: str) -> None:
    state = backend(where, redis_url, key, concurrency=2)
    assert enter(state, "a", NOW) == (ENTERED, 0.0)
    assert enter(state, "b", NOW + 0.5) == (ENTERED, 0.0)
    assert enter(state, "c", NOW + 0.999) == (FULL, 0.0)
    assert enter(state, "c", NOW + 1.0) == (ENTERED, 0.0)  # a's lease (1 s) ended exactly now
    assert enter(state, "d", NOW + 1.0) == (FULL, 0.0)
    run_sync(state.release(SYNC_IO, "b"))
    assert enter(state, "d", NOW + 1.0) == (ENTERED, 0.0)


@pytest.mark.parametrize("where", ["local", "redis"])
def test_without_a_concurrency_limit_every_request_enters(where: str, redis_url: str, key: str) -> None:
    state = backend(where, redis_url, key, concurrency=None)
    assert [enter(state, token, NOW) for token in "abc"] == [(ENTERED, 0.0)] * 3


@pytest.mark.parametrize("where", ["local", "redis"])
def test_a_block_says_how_long_it_still_lasts_and_only_ever_moves_later(where: str, redis_url: str, key: str) -> None:
    state = backend(where, redis_url, key, concurrency=1)
    run_sync(state.block(SYNC_IO, NOW + 2.0, 2.0))
    run_sync(state.block(SYNC_IO, NOW + 1.0, 1.0))
    assert enter(state, "a", NOW + 0.5) == (BLOCKED, 1.5)
    assert enter(state, "a", NOW + 2.0) == (ENTERED, 0.0)


def reserve(state: Backend, now: float, budget: float = 60.0) -> tuple[int, float]:
    found, wait, _ = run_sync(state.reserve(SYNC_IO, now, budget))
    return found, wait


@pytest.mark.parametrize("where", ["local", "redis"])
def test_turns_are_reserved_in_order_to_the_microsecond(where: str, redis_url: str, key: str) -> None:
    limit = RateLimit(rate=1, per=1, burst=1, key=key, redis=redis_url if where == "redis" else None)
    state: Backend = limit._local if limit._redis is None else limit._redis
    assert reserve(state, NOW) == (RESERVED, 0.0)
    assert reserve(state, NOW + 0.9995) == (RESERVED, 0.0005)  # the next turn, at NOW + 1
    assert reserve(state, NOW + 1.0) == (RESERVED, 1.0)  # the one after it: waiters are served in order
    assert reserve(state, NOW + 1.0, budget=0.999) == (REFUSED_RATE, 2.0)  # too far: nothing reserved
    assert reserve(state, NOW + 3.0) == (RESERVED, 0.0)
    limit.close()


@pytest.mark.parametrize("where", ["local", "redis"])
def test_a_turn_is_never_within_a_block_and_a_block_beyond_the_budget_is_refused(
    where: str, redis_url: str, key: str
) -> None:
    limit = RateLimit(rate=10, per=1, burst=1, key=key, redis=redis_url if where == "redis" else None)
    state: Backend = limit._local if limit._redis is None else limit._redis
    run_sync(state.block(SYNC_IO, NOW + 2.0, 2.0))
    assert reserve(state, NOW, budget=1.5) == (REFUSED_BLOCKED, 2.0)
    assert reserve(state, NOW) == (RESERVED, 2.0)
    assert reserve(state, NOW) == (RESERVED, 2.1)
    limit.close()


@pytest.mark.parametrize("where", ["local", "redis"])
def test_a_turn_is_given_back_only_while_it_is_the_last_one(where: str, redis_url: str, key: str) -> None:
    limit = RateLimit(rate=1, per=1, burst=1, key=key, redis=redis_url if where == "redis" else None)
    state: Backend = limit._local if limit._redis is None else limit._redis
    run_sync(state.reserve(SYNC_IO, NOW, 60.0))
    _, _, second = run_sync(state.reserve(SYNC_IO, NOW, 60.0))
    run_sync(state.cancel(SYNC_IO, second))
    _, wait, third = run_sync(state.reserve(SYNC_IO, NOW, 60.0))
    assert wait == 1.0  # the second's turn, given back
    run_sync(state.reserve(SYNC_IO, NOW, 60.0))
    run_sync(state.cancel(SYNC_IO, third))  # another came after it: kept
    assert reserve(state, NOW) == (RESERVED, 3.0)
    limit.close()


def test_each_replica_renews_its_heartbeat_and_learns_how_many_are_alive(
    redis_url: str, key: str, observer: redis.Redis
) -> None:
    limit = RateLimit(rate=10, key=key, redis=redis_url)
    assert isinstance(limit._redis, RedisBackend)
    others = observer.zadd(f"tmdb-rate-limit:{key}:replicas", {"other-1": (NOW + 5) * 1000, "gone": NOW * 1000})
    assert others == 2
    reserve(limit._redis, NOW)
    assert limit._redis.replicas == 2  # this one and other-1; "gone" stopped beating
    assert observer.zscore(f"tmdb-rate-limit:{key}:replicas", limit._local.id) == (NOW + HEARTBEAT) * 1000
    assert limit._local.replicas == 1  # told by the limiter, not by the backend (see the fallback tests)
    limit.close()


def test_a_block_is_forgotten_by_redis_a_second_after_it_ends(redis_url: str, key: str, observer: redis.Redis) -> None:
    limit = RateLimit(rate=10, key=key, redis=redis_url)
    assert isinstance(limit._redis, RedisBackend)
    ttls = []
    for attempt in range(5):  # a new, later block each time; the TTL is read right after it is set
        run_sync(limit._redis.block(SYNC_IO, NOW + 10 * (attempt + 1), 2.0))
        ttls.append(observer.pttl(f"tmdb-rate-limit:{key}:blocked"))
    assert all(2_000 < ttl <= 3_000 for ttl in ttls), ttls  # 2 s + 1 s, less the moment it took to read
    limit.close()


# -- the clients made from a URL ------------------------------------------------------------------------------


def timeouts(client: redis.Redis | redis.asyncio.Redis) -> tuple[float, float]:
    kwargs = client.connection_pool.connection_kwargs
    return kwargs["socket_timeout"], kwargs["socket_connect_timeout"]


async def test_clients_made_from_the_url_time_out_after_redis_timeout(redis_url: str, key: str) -> None:
    by_default = RateLimit(key=key, redis=redis_url)
    assert timeouts(by_default._sync_redis().client) == (0.25, 0.25)
    assert timeouts(by_default._async_redis().client) == (0.25, 0.25)
    quick = RateLimit(key=key, redis=redis_url, redis_timeout=0.05)
    assert isinstance(quick._sync_redis().client, redis.Redis)
    assert isinstance(quick._async_redis().client, redis.asyncio.Redis)
    assert timeouts(quick._sync_redis().client) == timeouts(quick._async_redis().client) == (0.05, 0.05)
    for limit in (by_default, quick):
        await limit.aclose()


def test_a_given_client_is_used_as_it_is(redis_url: str, key: str) -> None:
    client = redis.Redis.from_url(redis_url)
    limit = RateLimit(key=key, redis=client)
    assert limit._sync_redis().client is client
    limit.close()
    assert client.ping()  # not closed: it is the caller's
    client.close()


def connections(observer: redis.Redis) -> tuple[int, int]:
    """(connections made since the server started, connections open now), the observer's own included."""
    stats, clients = observer.info("stats"), observer.info("clients")
    return int(stats["total_connections_received"]), int(clients["connected_clients"])


def wait_for_clients(observer: redis.Redis, count: int) -> int:
    """The open connections once the server has seen `count` (a closed socket is noticed within a few ms)."""
    for _ in range(200):
        found = connections(observer)[1]
        if found == count:
            return found
        observer.execute_command("PING")
    return connections(observer)[1]


def test_one_connection_serves_every_request_and_close_ends_it(
    redis_url: str, key: str, observer: redis.Redis, fake_clock: FakeClock
) -> None:
    made, open_before = connections(observer)
    limit = RateLimit(rate=1000, key=key, redis=redis_url)
    for _ in range(5):
        limit.acquire(REQUEST, fake_clock.clock()).release()
    assert connections(observer) == (made + 1, open_before + 1)
    limit.close()
    assert wait_for_clients(observer, open_before) == open_before


async def test_one_async_connection_serves_every_request_and_aclose_ends_it(
    redis_url: str, key: str, observer: redis.Redis, fake_clock: FakeClock
) -> None:
    made, open_before = connections(observer)
    limit = RateLimit(rate=1000, key=key, redis=redis_url)
    for _ in range(5):
        await (await limit.aacquire(REQUEST, fake_clock.clock())).arelease()
    assert connections(observer) == (made + 1, open_before + 1)
    await limit.aclose()
    assert wait_for_clients(observer, open_before) == open_before


async def test_sync_and_async_clients_of_one_limit_share_its_rate_each_with_its_own_connection(
    redis_url: str, key: str, observer: redis.Redis, fake_clock: FakeClock
) -> None:
    made, _ = connections(observer)
    limit = RateLimit(rate=10, burst=1, key=key, redis=redis_url)
    limit.acquire(REQUEST, fake_clock.clock()).release()
    await (await limit.aacquire(REQUEST, fake_clock.clock())).arelease()
    limit.acquire(REQUEST, fake_clock.clock()).release()
    assert fake_clock.sleeps == [0.1, 0.1]
    assert connections(observer)[0] == made + 2
    await limit.aclose()
