"""The rate-limit layer (tmdb_sdk.ratelimit) with a fake clock: in-process, over fakeredis (with Lua),
sync and async, and Redis failing at each step (fails open, one warning). The real-Redis checks are in
test_ratelimit_redis_backend.py and test_fleet_redis.py, the multi-process ones in test_fleet_workers.py."""

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
import redis
from fleet_support import API_KEY, FakeClock
from tmdb_sdk import TMDB, AsyncTMDB, ConfigurationError, RateLimit, RateLimitError, RetryPolicy
from tmdb_sdk.ratelimit import AsyncRateLimitTransport, RateLimitTransport

from tests.clock_support import WALL_START

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
            return httpx.Response(
                429,
                headers={"Retry-After": self.retry_after},
                json={"success": False, "status_code": 25, "status_message": "over the limit"},
            )
        return httpx.Response(200, json={"id": 1, "title": "T"})


def tmdb_with(handler: Counting, limit: RateLimit, clock: FakeClock, **kwargs: Any) -> TMDB:
    return TMDB(
        api_key=API_KEY,
        base_url=BASE,
        transport=httpx.MockTransport(handler),
        rate_limit=limit,
        clock=clock.clock(),
        **kwargs,
    )


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
    with (
        tmdb_with(handler, RateLimit(rate=10, burst=1, key=key), fake_clock) as one,
        tmdb_with(handler, RateLimit(rate=10, burst=1, key=key), fake_clock) as two,
    ):
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
    with (
        tmdb_with(handler, RateLimit(rate=100, key=key), fake_clock, retry=no_retry) as one,
        tmdb_with(handler, RateLimit(rate=100, key=key), fake_clock, retry=no_retry) as two,
    ):
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
    transport = RateLimitTransport(
        httpx.MockTransport(lambda r: httpx.Response(200, stream=httpx.ByteStream(b"{}"))), limit, clock
    )
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


@pytest.mark.parametrize(
    "arguments",
    [
        {"rate": 0},
        {"rate": 1.5},
        {"per": 0},
        {"burst": 0},
        {"concurrency": 0},
        {"max_wait": -1},
        {"lease": 0},
        {"redis": "http://x"},
    ],
)
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
    tat = fakeredis.FakeRedis(server=redis_server).get(f"tmdb-rate-limit:{key}:tat")
    assert tat == str(int((WALL_START + 0.3) * 1000)).encode() + b".000"  # GCRA's state: one time, in ms
    assert limit._local.tat == 0.0  # the local one is untouched


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
    limit = RateLimit(rate=10, burst=1, key=key, redis_retry_interval=1.0, redis=fakeredis.FakeRedis(server=redis_server))
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
    return AsyncTMDB(
        api_key=API_KEY,
        base_url=BASE,
        transport=httpx.MockTransport(handler),
        rate_limit=limit,
        clock=clock.clock(),
        **kwargs,
    )


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
    limit = RateLimit(rate=10, burst=1, concurrency=5, key=key, redis=fakeredis.aioredis.FakeRedis(server=redis_server))
    async with atmdb_with(handler, limit, fake_clock) as tmdb:
        for _ in range(3):
            await tmdb.movies.details(1)
        assert await fakeredis.aioredis.FakeRedis(server=redis_server).exists(f"tmdb-rate-limit:{key}:tat")
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
    limit = RateLimit(rate=10, key=key, redis_retry_interval=0.0, redis=fakeredis.FakeRedis(server=redis_server))
    with tmdb_with(handler, limit, fake_clock) as tmdb:
        for _ in range(3):
            tmdb.movies.details(1)
    assert len(handler.times) == 3


# -- Redis failing (fakeredis) -------------------------------------------------------------------------


REDIS_DOWN = "ConnectionError: FakeRedis is emulating a connection error."


def down_warning(key: str, error: str) -> str:
    """The one warning of a Redis outage, with the default redis_retry_interval."""
    return (
        f"rate limit {key!r}: Redis failed ({error}); limiting in this process until it is back (tried again every 5s)"
    )


def limiter_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tmdb_sdk.ratelimit"]


def test_redis_is_tried_again_five_seconds_after_it_failed_by_default(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tmdb_sdk.ratelimit")
    limit = RateLimit(rate=1000, key=key, redis=fakeredis.FakeRedis(server=redis_server))
    request, clock = httpx.Request("GET", BASE), fake_clock.clock()
    redis_server.connected = False
    limit.acquire(request, clock).release()  # fails open
    redis_server.connected = True
    fake_clock.advance(4.999)
    limit.acquire(request, clock).release()  # still limited in this process: Redis is not asked
    assert limiter_warnings(caplog) == [down_warning(key, REDIS_DOWN)]
    fake_clock.advance(0.001)
    limit.acquire(request, clock).release()
    assert limiter_warnings(caplog)[1:] == [f"rate limit {key!r}: Redis reachable again; limiting across the fleet"]


class RateStoreDown(fakeredis.FakeRedis):
    """Redis that reserves a turn of the rate but fails the slot script after it (it went down in between)."""

    def evalsha(self, sha: str, numkeys: int, *keys_and_args: Any) -> Any:
        if str(keys_and_args[0]).endswith(":blocked"):
            raise redis.ConnectionError("Redis went away")
        return super().evalsha(sha, numkeys, *keys_and_args)


def test_redis_failing_after_the_slot_was_taken_moves_the_request_to_this_process(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tmdb_sdk.ratelimit")
    handler = Counting(fake_clock)
    limit = RateLimit(rate=10, burst=1, concurrency=1, max_wait=0, key=key, redis=RateStoreDown(server=redis_server))
    with tmdb_with(handler, limit, fake_clock) as tmdb:
        tmdb.movies.details(1)  # no Redis slot taken: the fallback's turn and slot, the slot freed with the body
        assert fakeredis.FakeRedis(server=redis_server).zcard(f"tmdb-rate-limit:{key}:slots") == 0
        fake_clock.advance(0.1)
        tmdb.movies.details(1)  # one slot, in this process now: free again
    assert len(handler.times) == 2
    assert limiter_warnings(caplog) == [down_warning(key, "ConnectionError: Redis went away")]


def test_with_redis_down_the_fallback_still_holds_the_concurrency(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer
) -> None:
    redis_server.connected = False
    limit = RateLimit(
        rate=1000, concurrency=1, max_wait=0, redis_retry_interval=0, key=key, redis=fakeredis.FakeRedis(server=redis_server)
    )
    request, clock = httpx.Request("GET", BASE), fake_clock.clock()
    held = limit.acquire(request, clock)
    with pytest.raises(RateLimitError, match="all 1 concurrency slots are taken"):
        limit.acquire(request, clock)  # Redis is asked again (redis_retry_interval=0), fails, and this process is full
    held.release()
    limit.acquire(request, clock).release()


def test_redis_failing_while_a_429_is_shared_still_blocks_this_process(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tmdb_sdk.ratelimit")

    def down_then_429(request: httpx.Request) -> httpx.Response:
        redis_server.connected = False
        return httpx.Response(429, headers={"Retry-After": "2"})

    limit = RateLimit(rate=1000, key=key, redis=fakeredis.FakeRedis(server=redis_server))
    transport = RateLimitTransport(httpx.MockTransport(down_then_429), limit, fake_clock.clock())
    assert transport.handle_request(httpx.Request("GET", BASE)).status_code == 429
    assert limiter_warnings(caplog) == [down_warning(key, REDIS_DOWN)]
    limit.acquire(httpx.Request("GET", BASE), fake_clock.clock()).release()
    assert fake_clock.sleeps == [2.0]


def test_a_failed_request_gives_its_redis_slot_back(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    client = fakeredis.FakeRedis(server=redis_server)
    limit = RateLimit(rate=1000, concurrency=1, max_wait=0, key=key, redis=client)
    transport = RateLimitTransport(httpx.MockTransport(broken), limit, fake_clock.clock())
    for _ in range(2):
        with pytest.raises(httpx.ConnectError):
            transport.handle_request(httpx.Request("GET", BASE))
    assert client.zcard(f"tmdb-rate-limit:{key}:slots") == 0


async def test_async_slot_in_redis_is_given_back_when_the_body_is_closed(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer
) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Body())

    client = fakeredis.aioredis.FakeRedis(server=redis_server)
    limit = RateLimit(rate=1000, concurrency=1, max_wait=0, key=key, redis=client)
    transport = AsyncRateLimitTransport(httpx.MockTransport(handler), limit, fake_clock.clock())
    response = await transport.handle_async_request(httpx.Request("GET", BASE))
    assert await client.zcard(f"tmdb-rate-limit:{key}:slots") == 1
    await response.aread()
    await response.aclose()
    assert await client.zcard(f"tmdb-rate-limit:{key}:slots") == 0


def test_a_request_refused_for_the_rate_gives_its_redis_slot_back(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer
) -> None:
    client = fakeredis.FakeRedis(server=redis_server)
    limit = RateLimit(rate=1, per=60, burst=1, concurrency=2, max_wait=5, key=key, redis=client)
    request, clock = httpx.Request("GET", BASE + "/3/movie/1"), fake_clock.clock()
    limit.acquire(request, clock).release()
    with pytest.raises(RateLimitError) as caught:
        limit.acquire(request, clock)
    assert (caught.value.method, caught.value.path, caught.value.retry_after) == ("GET", "/3/movie/1", 60.0)
    assert client.zcard(f"tmdb-rate-limit:{key}:slots") == 0


async def test_async_refusal_names_the_request_and_gives_the_redis_slot_back(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer
) -> None:
    client = fakeredis.aioredis.FakeRedis(server=redis_server)
    limit = RateLimit(rate=1, per=60, burst=1, concurrency=2, max_wait=5, key=key, redis=client)
    request, clock = httpx.Request("GET", BASE + "/3/movie/1"), fake_clock.clock()
    await (await limit.aacquire(request, clock)).arelease()
    with pytest.raises(RateLimitError) as caught:
        await limit.aacquire(request, clock)
    assert (caught.value.method, caught.value.path, caught.value.retry_after) == ("GET", "/3/movie/1", 60.0)
    assert await client.zcard(f"tmdb-rate-limit:{key}:slots") == 0


def test_a_block_given_by_hand_is_shared_through_redis(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer
) -> None:
    client = fakeredis.FakeRedis(server=redis_server)
    RateLimit(rate=100, key=key, redis=client).block_for(2.0, fake_clock.clock())
    assert client.get(f"tmdb-rate-limit:{key}:blocked") == str(int((WALL_START + 2.0) * 1000)).encode()


async def test_an_async_block_given_by_hand_is_shared_through_redis(
    fake_clock: FakeClock, key: str, redis_server: fakeredis.FakeServer
) -> None:
    client = fakeredis.aioredis.FakeRedis(server=redis_server)
    await RateLimit(rate=100, key=key, redis=client).ablock_for(2.0, fake_clock.clock())
    assert await client.get(f"tmdb-rate-limit:{key}:blocked") == str(int((WALL_START + 2.0) * 1000)).encode()
