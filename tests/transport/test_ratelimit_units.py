"""The rate limiter's parts on their own (tmdb_sdk.ratelimit) in this process, with a fake clock: its settings
and their checks, the exact waits and refusals of `acquire`, the permit, the layer's reading of a 429.

No Redis: the limiter through Redis (fakeredis and a real redis-server) is tested in tests/fleet
(test_fleet_ratelimit.py, test_ratelimit_redis_backend.py). Every wait goes through the clock seam
(FakeClock records it), so the waits below are exact and nothing really sleeps.
"""

from __future__ import annotations

import math
import uuid
from email.utils import formatdate
from typing import Any

import httpx
import pytest
import redis
from tmdb_sdk import TMDB, AsyncTMDB, ConfigurationError, RateLimit, RateLimitError
from tmdb_sdk.ratelimit import DEFAULT_BLOCK, SLOT_POLL, Permit, RateLimitTransport
from tmdb_sdk.ratelimit.backend import gcra_turn
from tmdb_sdk.transport.retry import Clock

from tests.clock_support import WALL_START, FakeClock

BASE = "https://api.themoviedb.org"
REQUEST = httpx.Request("GET", f"{BASE}/3/movie/550")


@pytest.fixture
def key() -> str:
    """A limiter key of this test alone (clients of one process naming a key share its limiter)."""
    return f"unit-{uuid.uuid4().hex}"


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


# -- the settings ----------------------------------------------------------------------------------------


def test_the_defaults_are_tmdbs_limits_in_this_process() -> None:
    limit = RateLimit()
    assert repr(limit) == (
        "RateLimit(rate=40, per=1, burst=2, concurrency=20, max_wait=30, key='tmdb', redis='process')"
    )


def test_the_repr_says_where_the_state_lives_without_a_password(key: str) -> None:
    by_url = RateLimit(key=key, redis="redis://:hunter2@cache.internal:6379/0")
    assert repr(by_url).endswith(f"key='{key}', redis='redis://:***@cache.internal:6379/0')")
    given = RateLimit(key=key, redis=redis.Redis(host="127.0.0.1", port=1))  # a client: nothing is connected yet
    assert repr(given).endswith(f"key='{key}', redis='Redis')")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("rediss://user:secret@cache.internal:6380/0", "rediss://user:***@cache.internal:6380/0"),
        ("unix:///run/redis/redis.sock", "unix:///run/redis/redis.sock"),
    ],
)
def test_tls_and_unix_socket_urls_are_accepted(url: str, shown: str, key: str) -> None:
    assert repr(RateLimit(key=key, redis=url)).endswith(f"redis={shown!r})")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"rate": 0}, "RateLimit rate must be a whole number of requests >= 1, got 0"),
        ({"rate": 1.5}, "RateLimit rate must be a whole number of requests >= 1, got 1.5"),
        ({"per": 0}, "RateLimit per must be at least 0.001 seconds, got 0"),
        ({"per": -math.inf}, "RateLimit per must be at least 0.001 seconds, got -inf"),
        ({"per": 0.0009999}, "RateLimit per must be at least 0.001 seconds, got 0.0009999"),
        ({"burst": 0}, "RateLimit burst must be >= 1, got 0"),
        ({"concurrency": 0}, "RateLimit concurrency must be >= 1 or None, got 0"),
        ({"max_wait": -1}, "RateLimit max_wait and redis_retry_interval must not be negative, lease must be > 0"),
        ({"lease": 0}, "RateLimit max_wait and redis_retry_interval must not be negative, lease must be > 0"),
        (
            {"redis_retry_interval": -0.5},
            "RateLimit max_wait and redis_retry_interval must not be negative, lease must be > 0",
        ),
        (
            {"redis": "http://user:secret@cache.internal"},
            "RateLimit redis= takes a redis:// URL or a client, not 'http://user:***@cache.internal'",
        ),
    ],
)
def test_wrong_settings_are_refused_with_what_is_wrong(arguments: dict[str, Any], message: str, key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        RateLimit(key=key, **arguments)
    assert str(caught.value) == message


def test_a_per_of_one_millisecond_is_the_finest(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1, per=0.001, burst=1, key=key)
    for _ in range(3):
        limit.acquire(REQUEST, fake_clock.clock()).release()
    assert fake_clock.sleeps == [0.001, 0.001]


def test_a_key_named_again_with_other_settings_says_both(key: str) -> None:
    first = RateLimit(rate=10, key=key)
    with pytest.raises(ConfigurationError) as caught:
        RateLimit(rate=20, per=2, burst=3, concurrency=None, key=key)
    assert str(caught.value) == (
        f"rate limit key {key!r} is already used in this process with (rate, per, burst, concurrency) = "
        "(10, 1.0, 2, 20), not (20, 2, 3, None): use another key or the same settings"
    )
    assert first.rate == 10


def test_the_clients_rate_limit_argument(key: str) -> None:
    made, owned = RateLimit.coerce("redis://:hunter2@cache.internal:6379/0")
    assert owned and repr(made).endswith("redis='redis://:***@cache.internal:6379/0')")
    defaults, owned = RateLimit.coerce(True)
    assert owned and repr(defaults) == repr(RateLimit())
    with pytest.raises(ConfigurationError) as caught:
        RateLimit.coerce(1.5)  # type: ignore[arg-type]
    assert str(caught.value) == "rate_limit= takes a RateLimit, a redis:// URL, True or None, not float"


def test_a_client_closes_the_default_limit_it_made() -> None:
    with TMDB(api_key="k", rate_limit=True) as tmdb:
        assert tmdb._settings.rate_limit is not None
    assert tmdb.is_closed


async def test_an_async_client_closes_the_default_limit_it_made() -> None:
    async with AsyncTMDB(api_key="k", rate_limit=True) as tmdb:
        assert tmdb._settings.rate_limit is not None
    assert tmdb.is_closed


# -- the waits: exact, up to max_wait ---------------------------------------------------------------------


def test_with_max_wait_0_a_free_turn_is_taken_on_a_real_clock(key: str) -> None:
    limit = RateLimit(rate=1, per=60, burst=1, max_wait=0, key=key)
    limit.acquire(REQUEST, Clock()).release()  # time passes while it is decided: still no wait, no refusal
    with pytest.raises(RateLimitError):
        limit.acquire(REQUEST, Clock())


def test_a_rate_wait_of_exactly_max_wait_is_waited(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1, per=1, burst=1, max_wait=1, key=key)
    limit.acquire(REQUEST, fake_clock.clock()).release()
    limit.acquire(REQUEST, fake_clock.clock()).release()
    assert fake_clock.sleeps == [1.0]


def test_the_rate_is_kept_to_the_millisecond(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1, per=1, burst=1, key=key)
    limit.acquire(REQUEST, fake_clock.clock()).release()
    fake_clock.advance(0.9995)
    limit.acquire(REQUEST, fake_clock.clock()).release()
    assert fake_clock.sleeps == [pytest.approx(0.0005)]


def test_a_rate_wait_beyond_max_wait_is_refused_with_the_request_and_the_wait(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1, per=1, burst=1, max_wait=0.999, key=key)
    limit.acquire(REQUEST, fake_clock.clock()).release()
    with pytest.raises(RateLimitError) as caught:
        limit.acquire(REQUEST, fake_clock.clock())
    error = caught.value
    assert (error.http_status, error.status_code, error.method, error.path) == (429, None, "GET", "/3/movie/550")
    assert error.retry_after == 1.0 and fake_clock.sleeps == []
    assert (
        error.status_message
        == f"client-side rate limit {key!r}: 1 requests per 1s; waited 0s, would wait 1s more: beyond max_wait=0.999s"
    )


def test_a_block_of_exactly_max_wait_is_waited(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=100, max_wait=2, key=key)
    limit.block_for(2.0, fake_clock.clock())
    limit.acquire(REQUEST, fake_clock.clock()).release()
    assert fake_clock.sleeps == [2.0]


def test_a_block_beyond_max_wait_is_refused_as_tmdbs(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=100, max_wait=2, key=key)
    limit.block_for(2.5, fake_clock.clock())
    with pytest.raises(RateLimitError) as caught:
        limit.acquire(REQUEST, fake_clock.clock())
    assert caught.value.status_message == (
        f"client-side rate limit {key!r}: TMDB asked to wait (429); waited 0s, would wait 2.5s more: beyond max_wait=2s"
    )
    assert caught.value.retry_after == 2.5 and fake_clock.sleeps == []


def test_a_later_block_never_shortens_an_earlier_one(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=100, max_wait=10, key=key)
    limit.block_for(3.0, fake_clock.clock())
    limit.block_for(1.0, fake_clock.clock())
    limit.acquire(REQUEST, fake_clock.clock()).release()
    assert fake_clock.sleeps == [3.0]


def test_taken_slots_are_polled_then_refused_past_max_wait(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1000, concurrency=1, max_wait=0.012, key=key)
    held = limit.acquire(REQUEST, fake_clock.clock())
    with pytest.raises(RateLimitError) as caught:
        limit.acquire(REQUEST, fake_clock.clock())
    assert fake_clock.sleeps == [SLOT_POLL, SLOT_POLL] and caught.value.retry_after == SLOT_POLL
    assert caught.value.status_message == (
        f"client-side rate limit {key!r}: all 1 concurrency slots are taken; waited 0.01s, would wait 0.005s more: "
        "beyond max_wait=0.012s"
    )
    held.release()
    limit.acquire(REQUEST, fake_clock.clock()).release()


def test_by_default_a_slot_held_by_a_dead_process_comes_back_after_a_minute(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1000, concurrency=1, max_wait=120, key=key)
    limit.acquire(REQUEST, fake_clock.clock())  # never released
    limit.acquire(REQUEST, fake_clock.clock())
    assert 60 <= fake_clock.now < 60 + SLOT_POLL


def test_a_lease_may_be_under_a_second(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=1000, concurrency=1, lease=0.5, max_wait=1, key=key)
    limit.acquire(REQUEST, fake_clock.clock())  # never released
    limit.acquire(REQUEST, fake_clock.clock())
    assert 0.5 <= fake_clock.now < 0.5 + SLOT_POLL


def test_a_slot_is_free_the_moment_its_lease_ends_and_its_late_release_is_harmless(
    fake_clock: FakeClock, key: str
) -> None:
    limit = RateLimit(rate=1000, concurrency=1, lease=1, max_wait=0, key=key)
    outlived = limit.acquire(REQUEST, fake_clock.clock())
    fake_clock.advance(1.0)
    taken_over = limit.acquire(REQUEST, fake_clock.clock())  # the lease ended: no wait
    outlived.release()  # its slot is already gone: nothing to give back, no error
    with pytest.raises(RateLimitError):
        limit.acquire(REQUEST, fake_clock.clock())  # the late release did not free the new holder's slot
    taken_over.release()
    limit.acquire(REQUEST, fake_clock.clock()).release()
    assert fake_clock.sleeps == []


async def test_the_async_twins_wait_the_same(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=100, concurrency=1, max_wait=2, key=key)
    await limit.ablock_for(1.5, fake_clock.clock())
    permit = await limit.aacquire(REQUEST, fake_clock.clock())
    await permit.arelease()
    await (await limit.aacquire(REQUEST, fake_clock.clock())).arelease()  # the slot was given back: no wait
    assert fake_clock.sleeps == [1.5]
    await limit.aclose()


# -- the permit --------------------------------------------------------------------------------------------


class RecordingBackend:
    """A key's state that only records the slots given back."""

    def __init__(self) -> None:
        self.released: list[str] = []

    async def release(self, io: Any, token: str) -> None:
        self.released.append(token)


def test_a_permit_gives_its_slot_back_once_however_often_it_is_released(key: str) -> None:
    backend = RecordingBackend()
    permit = Permit(RateLimit(concurrency=3, key=key), "token-1", backend)  # type: ignore[arg-type]
    permit.release()
    permit.release()
    assert backend.released == ["token-1"]


def test_without_a_concurrency_limit_a_permit_has_no_slot_to_give_back(key: str) -> None:
    backend = RecordingBackend()
    permit = Permit(RateLimit(concurrency=None, key=key), "token-1", backend)  # type: ignore[arg-type]
    permit.release()
    assert backend.released == []


# -- GCRA's turns ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tat", "now", "blocked", "turn"),
    [
        (0.0, 10.0, 0.0, (10.0, 11.0)),  # idle: now, and the next one an interval later
        (10.5, 10.0, 0.0, (10.0, 11.5)),  # within the tolerance (a burst of 2): now too
        (12.0, 10.0, 0.0, (11.0, 13.0)),  # beyond it: at tat - tolerance
        (0.0, 10.0, 12.0, (12.0, 13.0)),  # never before the block ends
        (12.5, 10.0, 12.0, (12.0, 13.5)),  # the tolerance applies, but the block still holds
    ],
)
def test_a_turn_is_the_next_one_free_and_never_within_a_block(
    tat: float, now: float, blocked: float, turn: tuple[float, float]
) -> None:
    assert gcra_turn(tat, now, blocked, interval=1.0, tolerance=1.0) == turn


# -- the layer's reading of a 429 ---------------------------------------------------------------------------


def send_429(limit: RateLimit, fake_clock: FakeClock, headers: dict[str, str]) -> None:
    transport = RateLimitTransport(
        httpx.MockTransport(lambda r: httpx.Response(429, headers=headers)), limit, fake_clock.clock()
    )
    assert transport.handle_request(REQUEST).status_code == 429


def test_a_429_without_retry_after_blocks_the_key_for_a_second(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=100, key=key)
    send_429(limit, fake_clock, {})
    limit.acquire(REQUEST, fake_clock.clock()).release()
    assert fake_clock.sleeps == [DEFAULT_BLOCK] == [1.0]


def test_a_429_retry_after_date_blocks_the_key_until_then(fake_clock: FakeClock, key: str) -> None:
    limit = RateLimit(rate=100, key=key)
    send_429(limit, fake_clock, {"Retry-After": formatdate(WALL_START + 3, usegmt=True)})
    limit.acquire(REQUEST, fake_clock.clock()).release()
    assert fake_clock.sleeps == [3.0]
