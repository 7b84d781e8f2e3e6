"""The rate-limit layer (tmdb_sdk.ratelimit) with a fake clock: in-process, over fakeredis (with Lua),
sync and async. The real-Redis and multi-process checks are in test_fleet_redis.py and test_fleet_workers.py."""
from __future__ import annotations

import gc
import itertools
import logging
from collections.abc import Iterator
from typing import Any

import fakeredis
import fakeredis.aioredis
import httpx
import pytest
from fleet_support import API_KEY, FakeClock
from tmdb_sdk import TMDB, AsyncTMDB, ConfigurationError, RateLimit, RateLimitError, RetryPolicy
from tmdb_sdk.ratelimit import AsyncRateLimitTransport, RateLimitTransport

BASE = "https://api.themoviedb.org"
_keys = itertools.count()


@pytest.fixture
def key() -> str:
    """A limiter key of this test alone (clients of one process naming a key share its limiter)."""
    return f"test-{next(_keys)}"


class Counting:
    """A MockTransport handler answering 200, or 429 with Retry-After while `too_many` > 0."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock
        self.times: list[float] = []
        self.too_many = 0
        self.retry_after = "2"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.times.append(self.clock.now if self.clock else 0.0)
        if self.too_many:
            self.too_many -= 1
            return httpx.Response(429, headers={"Retry-After": self.retry_after},
                                  json={"success": False, "status_code": 25, "status_message": "over the limit"})
        return httpx.Response(200, json={"id": 1, "title": "T"})


def tmdb_with(handler: Counting, limit: RateLimit, clock: FakeClock, **kwargs: Any) -> TMDB:
    return TMDB(api_key=API_KEY, base_url=BASE, transport=httpx.MockTransport(handler), rate_limit=limit,
                clock=clock.clock(), **kwargs)


def gaps(times: list[float]) -> list[float]:
    return [round(b - a, 3) for a, b in itertools.pairwise(times)]


# -- one process ---------------------------------------------------------------------------------------


def test_requests_are_spaced_to_the_rate(fake_clock: FakeClock, key: str) -> None:
    handler = Counting(fake_clock)
    with tmdb_with(handler, RateLimit(rate=10, burst=1, key=key), fake_clock) as tmdb:
        for _ in range(5):
            tmdb.movies.details(1)
    assert gaps(handler.times) == [0.1] * 4


def test_by_default_two_go_at_once_then_the_rate_holds(fake_clock: FakeClock, key: str) -> None:
    handler = Counting(fake_clock)
    with tmdb_with(handler, RateLimit(rate=10, key=key), fake_clock) as tmdb:
        for _ in range(5):
            tmdb.movies.details(1)
    assert gaps(handler.times) == [0.0, 0.1, 0.1, 0.1]


def test_a_burst_goes_at_once_then_the_rate_holds(fake_clock: FakeClock, key: str) -> None:
    handler = Counting(fake_clock)
    with tmdb_with(handler, RateLimit(rate=4, per=1.0, burst=3, key=key), fake_clock) as tmdb:
        for _ in range(5):
            tmdb.movies.details(1)
    assert gaps(handler.times) == [0.0, 0.0, 0.25, 0.25]


def test_waiting_longer_than_max_wait_raises_before_sending(fake_clock: FakeClock, key: str) -> None:
    handler = Counting(fake_clock)
    with tmdb_with(handler, RateLimit(rate=1, per=60, burst=1, max_wait=5, key=key), fake_clock) as tmdb:
        tmdb.movies.details(1)
        with pytest.raises(RateLimitError) as caught:
            tmdb.movies.details(1)
    assert len(handler.times) == 1 and fake_clock.sleeps == []
    error = caught.value
    assert (error.http_status, error.status_code, error.operation) == (429, None, "movies_details")
    assert error.retry_after == pytest.approx(60, abs=0.01)
    assert "client-side rate limit" in str(error) and "max_wait=5s" in str(error)


def test_clients_naming_the_same_key_share_one_budget(fake_clock: FakeClock, key: str) -> None:
    handler = Counting(fake_clock)
    with tmdb_with(handler, RateLimit(rate=10, burst=1, key=key), fake_clock) as one, \
            tmdb_with(handler, RateLimit(rate=10, burst=1, key=key), fake_clock) as two:
        for _ in range(3):
            one.movies.details(1)
            two.movies.details(1)
    assert gaps(handler.times) == [0.1] * 5


def test_a_key_named_again_with_other_settings_is_refused_while_the_first_lives(key: str) -> None:
    first = RateLimit(rate=10, key=key)
    with pytest.raises(ConfigurationError, match=key):
        RateLimit(rate=20, key=key)
    RateLimit(rate=10, key=key, max_wait=1)  # max_wait is the caller's own
    del first
    gc.collect()
    RateLimit(rate=20, key=key)


def test_a_429_blocks_every_client_of_the_key_for_its_retry_after(fake_clock: FakeClock, key: str) -> None:
    handler = Counting(fake_clock)
    handler.too_many = 1
    no_retry = RetryPolicy.none()
    with tmdb_with(handler, RateLimit(rate=100, key=key), fake_clock, retry=no_retry) as one, \
            tmdb_with(handler, RateLimit(rate=100, key=key), fake_clock, retry=no_retry) as two:
        with pytest.raises(RateLimitError):
            one.movies.details(1)  # TMDB's 429 (RetryPolicy.none: handed to the caller)
        two.movies.details(1)
    assert fake_clock.sleeps == [2.0] and gaps(handler.times) == [2.0]


def test_a_block_longer_than_max_wait_raises_at_once(fake_clock: FakeClock, key: str) -> None:
    handler = Counting(fake_clock)
    handler.too_many, handler.retry_after = 1, "30"
    with tmdb_with(handler, RateLimit(rate=100, max_wait=10, key=key), fake_clock, retry=RetryPolicy.none()) as tmdb:
        with pytest.raises(RateLimitError):
            tmdb.movies.details(1)
        with pytest.raises(RateLimitError, match="TMDB asked to wait") as caught:
            tmdb.movies.details(1)
    assert len(handler.times) == 1 and caught.value.retry_after == pytest.approx(30)


def test_retries_and_the_limiter_back_off_together(fake_clock: FakeClock, key: str) -> None:
    handler = Counting(fake_clock)
    handler.too_many = 1
    with tmdb_with(handler, RateLimit(rate=100, key=key), fake_clock) as tmdb:
        assert tmdb.movies.details(1).title == "T"
    assert gaps(handler.times) == [2.0]  # the retry slept Retry-After; the limiter then had nothing to add


def test_concurrency_slots_are_held_until_the_body_is_read(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1000, concurrency=1, max_wait=0.05, key=key)
    clock = fake_clock.clock()
    request = httpx.Request("GET", BASE + "/3/movie/1")
    transport = RateLimitTransport(httpx.MockTransport(lambda r: httpx.Response(200, stream=httpx.ByteStream(b"{}"))),
                                   limit, clock)
    response = transport.handle_request(request)
    with pytest.raises(RateLimitError, match="concurrency slots"):
        transport.handle_request(request)
    response.read()
    response.close()
    transport.handle_request(request).close()
    assert limit._local.slots == {}


def test_a_concurrency_slot_is_a_lease(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1000, concurrency=1, lease=10, max_wait=20, key=key)
    clock = fake_clock.clock()
    request = httpx.Request("GET", BASE)
    limit.acquire(request, clock)  # never released: a process that died holding it
    limit.acquire(request, clock)
    assert 10 <= fake_clock.now < 10.1


def test_a_failed_request_gives_its_slot_back(fake_clock: FakeClock, key: str) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    limit = RateLimit(rate=1000, concurrency=1, max_wait=1, key=key)
    transport = RateLimitTransport(httpx.MockTransport(broken), limit, fake_clock.clock())
    for _ in range(2):
        with pytest.raises(httpx.ConnectError):
            transport.handle_request(httpx.Request("GET", BASE))
    assert limit._local.slots == {}


@pytest.mark.parametrize("arguments", [
    {"rate": 0}, {"rate": 1.5}, {"per": 0}, {"burst": 0}, {"concurrency": 0}, {"max_wait": -1}, {"lease": 0},
    {"redis": "http://x"},
])
def test_settings_are_checked(arguments: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigurationError):
        RateLimit(key=key, **arguments)


def test_rate_limit_arguments_of_the_clients(key: str) -> None:
    assert RateLimit.coerce(None) == (None, False)
    given = RateLimit(key=key)
    assert RateLimit.coerce(given) == (given, False)
    made, owned = RateLimit.coerce("redis://:hunter2hunter2@localhost:1/0")
    assert owned and made is not None and "hunter2" not in repr(made)
    with pytest.raises(ConfigurationError):
        RateLimit.coerce(1.5)  # type: ignore[arg-type]
    with TMDB(api_key=API_KEY, rate_limit=given) as tmdb:
        assert tmdb.with_options(rate_limit=None)._settings.rate_limit is None
        with pytest.raises(ConfigurationError):
            tmdb.with_options(rate_limit="redis://x")


# -- Redis (fakeredis) ---------------------------------------------------------------------------------


@pytest.fixture
def redis_server() -> Iterator[fakeredis.FakeServer]:
    yield fakeredis.FakeServer(version=7)


def test_the_rate_is_shared_through_redis(fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer) -> None:
    handler = Counting(fake_clock)
    limit = RateLimit(rate=10, burst=1, key=key, redis=fakeredis.FakeRedis(server=redis_server))
    with tmdb_with(handler, limit, fake_clock) as tmdb:
        for _ in range(3):
            tmdb.movies.details(1)
    assert gaps(handler.times) == [0.1, 0.1]
    state = fakeredis.FakeRedis(server=redis_server).hgetall(f"tmdb-rate-limit:{key}:rate")
    assert list(state) == [b"tat1"]  # pyrate-limiter's GCRA state: one timestamp
    assert limit._local.store.read(limit._local.algorithm, limit._rates) == (0,)  # the local one is untouched


def test_a_429_blocks_through_redis(fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer) -> None:
    handler = Counting(fake_clock)
    handler.too_many, handler.retry_after = 1, "3"
    one = RateLimit(rate=100, key=key, redis=fakeredis.FakeRedis(server=redis_server))
    with tmdb_with(handler, one, fake_clock, retry=RetryPolicy.none()) as tmdb, pytest.raises(RateLimitError):
        tmdb.movies.details(1)
    one._local.blocked_until = 0.0  # as if the other client were in another process
    other = RateLimit(rate=100, key=key, redis=fakeredis.FakeRedis(server=redis_server))
    with tmdb_with(handler, other, fake_clock) as tmdb:
        tmdb.movies.details(1)
    assert fake_clock.sleeps == [3.0]


def test_concurrency_through_redis(fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer) -> None:
    client = fakeredis.FakeRedis(server=redis_server)
    limit = RateLimit(rate=1000, concurrency=2, max_wait=0.01, key=key, redis=client)
    request, clock = httpx.Request("GET", BASE), fake_clock.clock()
    permits = [limit.acquire(request, clock), limit.acquire(request, clock)]
    with pytest.raises(RateLimitError, match="concurrency"):
        limit.acquire(request, clock)
    assert client.zcard(f"tmdb-rate-limit:{key}:slots") == 2
    permits[0].release()
    limit.acquire(request, clock)


def test_redis_down_fails_open_to_this_process_and_logs_once(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tmdb_sdk.ratelimit")
    handler = Counting(fake_clock)
    limit = RateLimit(rate=10, burst=1, key=key, retry_after=1.0, redis=fakeredis.FakeRedis(server=redis_server))
    with tmdb_with(handler, limit, fake_clock) as tmdb:
        tmdb.movies.details(1)
        redis_server.connected = False
        for _ in range(4):  # limited in this process: still 10 per second
            tmdb.movies.details(1)
        fake_clock.advance(2.0)  # Redis is tried again (and still fails): no second warning
        tmdb.movies.details(1)
        redis_server.connected = True
        fake_clock.advance(2.0)
        tmdb.movies.details(1)
        tmdb.movies.details(1)
    assert gaps(handler.times)[:4] == [0.0, 0.1, 0.1, 0.1]  # the first fallback request starts a fresh bucket
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if "Redis failed" in m]) == 1
    assert len([m for m in messages if "reachable again" in m]) == 1
    assert len(handler.times) == 8


# -- async ----------------------------------------------------------------------------------------------


def atmdb_with(handler: Counting, limit: RateLimit, clock: FakeClock, **kwargs: Any) -> AsyncTMDB:
    return AsyncTMDB(api_key=API_KEY, base_url=BASE, transport=httpx.MockTransport(handler), rate_limit=limit,
                     clock=clock.clock(), **kwargs)


async def test_async_rate_max_wait_and_block(fake_clock: FakeClock, key: str) -> None:
    handler = Counting(fake_clock)
    async with atmdb_with(handler, RateLimit(rate=10, burst=1, max_wait=1, key=key), fake_clock) as tmdb:
        for _ in range(3):
            await tmdb.movies.details(1)
        handler.too_many, handler.retry_after = 1, "5"
        with pytest.raises(RateLimitError):
            await tmdb.with_options(retry=None).movies.details(1)
        with pytest.raises(RateLimitError, match="TMDB asked to wait"):
            await tmdb.movies.details(1)
    assert gaps(handler.times) == [0.1, 0.1, 0.1]


async def test_async_through_redis_and_failing_open(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tmdb_sdk.ratelimit")
    handler = Counting(fake_clock)
    limit = RateLimit(rate=10, burst=1, concurrency=5, key=key,
                      redis=fakeredis.aioredis.FakeRedis(server=redis_server))
    async with atmdb_with(handler, limit, fake_clock) as tmdb:
        for _ in range(3):
            await tmdb.movies.details(1)
        assert await fakeredis.aioredis.FakeRedis(server=redis_server).exists(f"tmdb-rate-limit:{key}:rate")
        redis_server.connected = False
        for _ in range(3):
            await tmdb.movies.details(1)
    assert gaps(handler.times) == [0.1, 0.1, 0.0, 0.1, 0.1]
    assert len([r for r in caplog.records if "Redis failed" in r.getMessage()]) == 1


async def test_async_concurrency_slot_is_released_when_the_body_is_closed(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1000, concurrency=1, max_wait=0, key=key)

    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Body())

    transport = AsyncRateLimitTransport(httpx.MockTransport(handler), limit, fake_clock.clock())
    response = await transport.handle_async_request(httpx.Request("GET", BASE))
    with pytest.raises(RateLimitError):
        await transport.handle_async_request(httpx.Request("GET", BASE))
    await response.aread()
    await response.aclose()
    assert limit._local.slots == {}


class _Body(httpx.AsyncByteStream):
    async def __aiter__(self) -> Any:
        yield b"{}"


def test_redis_down_with_no_pause_between_tries_still_ends_each_call(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer
) -> None:
    redis_server.connected = False
    handler = Counting(fake_clock)
    limit = RateLimit(rate=10, key=key, retry_after=0.0, redis=fakeredis.FakeRedis(server=redis_server))
    with tmdb_with(handler, limit, fake_clock) as tmdb:
        for _ in range(3):
            tmdb.movies.details(1)
    assert len(handler.times) == 3
