"""The shared rate limit's promises under faults, one process against a real redis-server (the 4-process runs are
in test_fleet_fair_backoff.py): a block that reaches requests already waiting for their turn, refusals that say
how long the call waited, each replica's share while Redis is down, one warning per outage naming its cause and
nothing at ERROR, the renamed arguments (old names deprecated), and who closes a RateLimit."""
from __future__ import annotations

import asyncio
import logging
import re
import time
import urllib.request
import uuid
import warnings
from typing import Any

import httpx
import pytest
import redis
from fleet_support import API_KEY, FakeClock, RedisServer, StandInProcess
from tmdb_sdk import TMDB, AsyncTMDB, RateLimit, RateLimitError, RetryPolicy

from tests.clock_support import WALL_START

REQUEST = httpx.Request("GET", "https://api.themoviedb.org/3/movie/550")


@pytest.fixture
def key() -> str:
    return f"faults-{uuid.uuid4().hex}"


def connections(url: str) -> int:
    """Clients connected to the redis-server at `url`, this one not counted."""
    observer = redis.Redis.from_url(url)
    try:
        return len(observer.client_list()) - 1
    finally:
        observer.close()


# -- the block holds requests already waiting -----------------------------------------------------------------


class BlockWhileSleeping(FakeClock):
    """A fake clock on which another replica's 429 blocks the key while this one sleeps for its turn."""

    def __init__(self, other: RateLimit) -> None:
        super().__init__()
        self.other = other

    def sleep(self, seconds: float) -> None:
        if not self.sleeps:
            self.other.block_for(1.0, FakeClock(now=self.now).clock())
        super().sleep(seconds)


def test_a_block_set_while_a_request_waits_for_its_turn_holds_it_until_the_block_ends(
    redis_url: str, key: str
) -> None:
    limit = RateLimit(rate=2, per=1, burst=1, key=key, redis=redis_url)
    other = RateLimit(rate=2, per=1, burst=1, key=key, redis=redis.Redis.from_url(redis_url))  # another replica
    clock = BlockWhileSleeping(other)
    limit.acquire(REQUEST, clock.clock()).release()  # t=0; the next turn is at 0.5
    limit.acquire(REQUEST, clock.clock()).release()  # reserved 0.5; TMDB's 429 meanwhile blocks until 1.0
    assert clock.sleeps == [0.5, 0.5] and clock.now == 1.0  # found the block when it would have sent: waited it out
    limit.close()
    other.close()


# -- refusals -------------------------------------------------------------------------------------------------


def waited(error: RateLimitError) -> float:
    found = re.search(r"waited ([0-9.e-]+)s", str(error))
    assert found, str(error)
    return float(found[1])


def test_a_refusal_for_the_rate_comes_at_once_and_says_so(redis_url: str, key: str) -> None:
    limit = RateLimit(rate=1, per=60, burst=1, max_wait=5, key=key, redis=redis_url)
    limit.acquire(REQUEST, FakeClock().clock()).release()
    clock = FakeClock()
    with pytest.raises(RateLimitError) as caught:
        limit.acquire(REQUEST, clock.clock())
    assert clock.sleeps == [] and waited(caught.value) == 0.0
    assert "would wait 60s more: beyond max_wait=5s" in str(caught.value)
    limit.acquire(REQUEST, FakeClock(now=60.0).clock()).release()  # the refused call took no turn: 60 s, not 120
    limit.close()


def test_a_refusal_after_waiting_for_a_slot_says_how_long_the_call_waited(redis_url: str, key: str) -> None:
    limit = RateLimit(rate=1000, concurrency=1, max_wait=0.2, key=key, redis=redis_url)
    held = limit.acquire(REQUEST, FakeClock().clock())
    with pytest.raises(RateLimitError, match="all 1 concurrency slots are taken") as caught:
        limit.acquire(REQUEST, FakeClock().clock())
    assert 0.19 <= waited(caught.value) <= 0.2
    held.release()
    limit.close()


# -- Redis down: each replica takes its share -----------------------------------------------------------------


def test_with_redis_down_a_replica_takes_its_share_of_the_rate(own_redis: RedisServer, key: str) -> None:
    url = own_redis.url
    observer = redis.Redis.from_url(url)
    clock = FakeClock()
    replicas = {f"replica-{n}": (WALL_START + 10) * 1000 for n in range(3)}  # three others, alive for 10 s
    observer.zadd(f"tmdb-rate-limit:{key}:replicas", replicas)
    observer.close()
    limit = RateLimit(rate=10, per=1, key=key, redis=url, redis_retry_interval=60)
    limit.acquire(REQUEST, clock.clock()).release()  # through Redis: 4 replicas alive
    own_redis.kill()
    for _ in range(4):
        limit.acquire(REQUEST, clock.clock()).release()
    assert clock.sleeps == [pytest.approx(0.4)] * 4  # a quarter of 10/s, no burst: the outage's first one too
    limit.close()


# -- the outage log -------------------------------------------------------------------------------------------


def calls(standin: StandInProcess, limit: RateLimit, count: int) -> None:
    with TMDB(api_key=API_KEY, base_url=standin.base_url, rate_limit=limit) as tmdb:
        for movie_id in range(count):
            tmdb.movies.details(movie_id + 1)

    async def async_calls() -> None:
        async with AsyncTMDB(api_key=API_KEY, base_url=standin.base_url, rate_limit=limit) as tmdb:
            await asyncio.gather(*(tmdb.movies.details(movie_id + 1) for movie_id in range(count)))

    asyncio.run(async_calls())


def test_each_outage_is_logged_once_with_its_cause_and_nothing_at_error(
    own_redis: RedisServer, standin: StandInProcess, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    limit = RateLimit(rate=500, key=key, redis=own_redis.url, redis_retry_interval=0.2)
    port = own_redis.port
    calls(standin, limit, 3)
    for _ in range(2):  # two outages
        own_redis.kill()
        calls(standin, limit, 4)
        time.sleep(0.25)  # Redis is tried again, still down: no second warning
        calls(standin, limit, 2)
        own_redis.start(port)
        time.sleep(0.25)
        calls(standin, limit, 2)
    limit.close()
    limiter = [r.getMessage() for r in caplog.records if r.name == "tmdb_sdk.ratelimit"]
    failed = [m for m in limiter if "Redis failed" in m]
    assert len(failed) == 2 and len([m for m in limiter if "reachable again" in m]) == 2, limiter
    for message in failed:  # the cause, as redis-py words it
        assert re.search(r"Redis failed \((ConnectionError|TimeoutError): .*(refused|closed)", message), message
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


# -- the renamed arguments ----------------------------------------------------------------------------------


def test_redis_retry_interval_and_its_deprecated_name(own_redis: RedisServer, key: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        limit = RateLimit(key=key, redis=own_redis.url, redis_retry_interval=0.2)
    with pytest.warns(DeprecationWarning, match="use redis_retry_interval="):
        old = RateLimit(key=key, redis=own_redis.url, retry_after=0.3)
    with pytest.warns(DeprecationWarning, match="use redis_retry_interval"):
        assert old.retry_after == 0.3
    assert (limit.redis_retry_interval, old.redis_retry_interval) == (0.2, 0.3)
    own_redis.kill()
    clock = FakeClock()
    for each in (limit, old):
        each.acquire(REQUEST, clock.clock()).release()  # fails open, then skips Redis for its interval
    assert limit._redis is not None and old._redis is not None
    assert (limit._redis.outage.down_until, old._redis.outage.down_until) == (0.2, 0.3)
    limit.close()
    old.close()


def test_max_server_delay_and_its_deprecated_name(redis_url: str, standin: StandInProcess, key: str) -> None:
    """A Retry-After (1 s here, TMDB's own back-off) beyond max_server_delay goes to the caller, not slept through."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        policy = RetryPolicy(max_server_delay=0.5)
    with pytest.warns(DeprecationWarning, match="use max_server_delay="):
        old = RetryPolicy(max_retry_after=0.5)
    with pytest.warns(DeprecationWarning, match="use max_server_delay"):
        assert old.max_retry_after == 0.5
    assert old == policy and policy.max_server_delay == 0.5
    limit = RateLimit(rate=100, key=key, redis=redis_url)
    for retry in (policy, old):
        with (
            TMDB(api_key=API_KEY, base_url=standin.base_url, retry=retry, rate_limit=limit) as tmdb,
            urlopen_post(standin, "/__throttle?seconds=1"),
            pytest.raises(RateLimitError) as caught,
        ):
            tmdb.movies.details(550)
        assert caught.value.retry_after == 1.0 and caught.value.status_code == 25  # TMDB's Retry-After, kept
        time.sleep(1.0)  # the stand-in's back-off ends (the limiter's block too)
    limit.close()


def urlopen_post(standin: StandInProcess, path: str) -> Any:
    return urllib.request.urlopen(urllib.request.Request(standin.base_url + path, method="POST"), timeout=5)


# -- who closes what ------------------------------------------------------------------------------------------


def test_a_given_rate_limit_is_closed_by_its_owner_a_made_one_by_the_client(
    redis_url: str, standin: StandInProcess, key: str
) -> None:
    given = RateLimit(key=key, redis=redis_url)
    before = connections(redis_url)
    with TMDB(api_key=API_KEY, base_url=standin.base_url, rate_limit=given) as tmdb:
        tmdb.movies.details(1)
    assert connections(redis_url) == before + 1  # still open: the client does not close what it was given
    given.acquire(REQUEST, FakeClock().clock()).release()  # and still serves
    given.close()
    assert connections(redis_url) == before
    with TMDB(api_key=API_KEY, base_url=standin.base_url, rate_limit=redis_url) as tmdb:
        tmdb.movies.details(1)
        assert connections(redis_url) == before + 1
    assert connections(redis_url) == before  # made from the URL: closed with the client


async def test_an_async_client_closes_only_the_rate_limit_it_made(
    redis_url: str, standin: StandInProcess, key: str
) -> None:
    given = RateLimit(key=key, redis=redis_url)
    before = connections(redis_url)
    async with AsyncTMDB(api_key=API_KEY, base_url=standin.base_url, rate_limit=given) as tmdb:
        await tmdb.movies.details(1)
    assert connections(redis_url) == before + 1
    await given.aclose()
    assert connections(redis_url) == before
    async with AsyncTMDB(api_key=API_KEY, base_url=standin.base_url, rate_limit=redis_url) as tmdb:
        await tmdb.movies.details(1)
    assert connections(redis_url) == before
