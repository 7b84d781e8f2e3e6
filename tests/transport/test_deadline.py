"""A deadline for a whole call (issue 21, finding 2: calls that never end).

httpx's timeouts restart with every byte, so a server dripping one byte every 0.2 s held a call forever.
`deadline=` bounds one call: attempts, body, backoff sleeps, Retry-After and rate-limit waits. These check
the client's part: the deadline on the wire (request.extensions), the retry layer and the rate limit
stopping at it over transports that honour or ignore it, and httpx's own transport (the proxy path)
bounded by it. The lean pools' part (they read the extension) is the parser's; its drip tests are at the
end, marked until that lands.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import time
import uuid
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tmdb_sdk import TMDB, AsyncTMDB, RetryPolicy, _defaults
from tmdb_sdk.errors import ConfigurationError, RateLimitError, ServerError, TimeoutError
from tmdb_sdk.errors import ConnectionError as TMDBConnectionError
from tmdb_sdk.ratelimit import RateLimit

from tests.clock_support import FakeClock
from tests.transport.proxy_support import Drip, ForwardProxy, Origin, movie

API_KEY = "apikey-SECRET-deadline-0123456789"
MARGIN = 1.5  # seconds a deadline may be overrun on a busy machine (one drip step is 0.2 s)
MOVIE = httpx.Response(200, json={"id": 550, "title": "Fight Club"})


@pytest.fixture
def drip() -> Iterator[Drip]:
    server = Drip(every=0.2, length=100)  # 20 s of body unless the call gives up
    yield server
    server.close()


@pytest.fixture
def drip_head() -> Iterator[Drip]:
    server = Drip(every=0.2, length=100, head=True)
    yield server
    server.close()


def _seen(requests: list[httpx.Request]) -> httpx.MockTransport:
    def record(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return MOVIE

    return httpx.MockTransport(record)


# -- the options, checked and on the wire ---------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), True, "5"])
def test_a_deadline_that_cannot_work_is_refused(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="deadline= takes seconds > 0"):
        TMDB(api_key=API_KEY, deadline=value)
    with TMDB(api_key=API_KEY) as tmdb, pytest.raises(ConfigurationError, match="deadline="):
        tmdb.with_options(deadline=value)


@pytest.mark.parametrize("value", [0, -5, 1.5, True, "1000", None])
def test_a_body_cap_that_cannot_work_is_refused(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="max_response_size= takes a whole number of bytes"):
        TMDB(api_key=API_KEY, max_response_size=value)
    with TMDB(api_key=API_KEY) as tmdb, pytest.raises(ConfigurationError, match="max_response_size="):
        tmdb.with_options(max_response_size=value)


def test_the_deadline_and_the_cap_reach_the_wire_from_the_client_and_its_views() -> None:
    seen: list[httpx.Request] = []
    with TMDB(api_key=API_KEY, transport=_seen(seen)) as tmdb:
        tmdb.movies.details(550)
        tmdb.with_options(deadline=2.5, max_response_size=1000).movies.details(550)
        tmdb.with_options(deadline=None).movies.details(550)
        tmdb.with_options(retry=None, deadline=3).movies.details(550)  # the one-attempt path too
        tmdb.movies.details(550)  # the client keeps its own
    sent = [(r.extensions.get("tmdb_deadline"), r.extensions.get("tmdb_max_body")) for r in seen]
    now = time.monotonic()
    assert now - 1 < sent[0][0] - _defaults.DEADLINE_SECONDS <= now  # type: ignore[operator]
    assert sent[0][1] == _defaults.MAX_RESPONSE_BYTES == 64 * 1024 * 1024
    assert now - 1 < sent[1][0] - 2.5 <= now and sent[1][1] == 1000  # type: ignore[operator]
    assert sent[2] == (None, _defaults.MAX_RESPONSE_BYTES)
    assert now - 1 < sent[3][0] - 3 <= now  # type: ignore[operator]
    assert now - 1 < sent[4][0] - _defaults.DEADLINE_SECONDS <= now  # type: ignore[operator]


async def test_the_async_client_puts_the_deadline_on_the_wire() -> None:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return MOVIE

    async with AsyncTMDB(api_key=API_KEY, transport=httpx.MockTransport(record), deadline=4) as atmdb:
        await atmdb.with_options(max_response_size=10).movies.details(550)
    assert time.monotonic() - 1 < seen[0].extensions["tmdb_deadline"] - 4 <= time.monotonic()
    assert seen[0].extensions["tmdb_max_body"] == 10


# -- the retry layer and the rate limit stop at it -------------------------------------------------------


def _honouring(attempts: list[float]) -> httpx.MockTransport:
    """A transport that waits for an answer that never comes, until the request's deadline (as the pools do)."""

    def wait(request: httpx.Request) -> httpx.Response:
        attempts.append(time.monotonic())
        time.sleep(max(0.0, min(request.extensions["tmdb_deadline"] - time.monotonic(), 5.0)))
        raise httpx.ReadTimeout("timed out", request=request)

    return httpx.MockTransport(wait)


def test_a_transport_that_honours_the_deadline_ends_the_call_with_a_typed_timeout() -> None:
    attempts: list[float] = []
    start = time.monotonic()
    tmdb = TMDB(api_key=API_KEY, transport=_honouring(attempts), deadline=1, timeout=5)
    with tmdb, pytest.raises(TimeoutError) as caught:
        tmdb.movies.details(550)
    spent = time.monotonic() - start
    assert 1 <= spent < 1 + MARGIN
    assert len(attempts) == 1  # no retry starts past the deadline
    assert "movies_details: deadline of 1s for the whole call reached after 1." in str(caught.value)
    assert "ReadTimeout" in str(caught.value) and API_KEY not in str(caught.value)


def test_a_transport_that_ignores_the_deadline_gets_no_attempt_and_no_sleep_past_it() -> None:
    attempts: list[float] = []

    def slow(request: httpx.Request) -> httpx.Response:
        attempts.append(time.monotonic())
        time.sleep(0.3)
        return httpx.Response(503, json={"status_code": 11, "status_message": "busy"})

    policy = RetryPolicy(max_attempts=20, backoff_base=0.1, backoff_max=0.1)
    start = time.monotonic()
    tmdb = TMDB(api_key=API_KEY, transport=httpx.MockTransport(slow), retry=policy, deadline=1)
    with tmdb, pytest.raises(ServerError):  # the last answer, handed back when the next wait would pass the deadline
        tmdb.movies.details(550)
    assert time.monotonic() - start < 1 + 0.3 + MARGIN
    assert 2 <= len(attempts) <= 4 and attempts[-1] - start < 1


def test_a_retry_after_that_would_pass_the_deadline_is_not_waited_for() -> None:
    clock = FakeClock()
    answer = httpx.Response(429, headers={"Retry-After": "5"}, json={"status_code": 25})
    transport = httpx.MockTransport(lambda request: answer)
    with TMDB(api_key=API_KEY, transport=transport, clock=clock.clock(), deadline=4) as tmdb:
        with pytest.raises(RateLimitError):
            tmdb.movies.details(550)
        assert clock.sleeps == []
        with pytest.raises(RateLimitError):
            tmdb.with_options(deadline=None).movies.details(550)
        assert clock.sleeps == [5.0, 5.0]  # without a deadline: waited, as before


def test_a_rate_limit_wait_that_would_pass_the_deadline_is_not_started() -> None:
    limit = RateLimit(rate=1, per=10.0, burst=1, key=f"deadline-{uuid.uuid4().hex}")
    seen: list[httpx.Request] = []
    with TMDB(api_key=API_KEY, transport=_seen(seen), rate_limit=limit, deadline=1) as tmdb:
        tmdb.movies.details(550)
        start = time.monotonic()
        with pytest.raises(TimeoutError, match=r"deadline of 1s for the whole call would be passed \(0\.\d\ds spent\)") as caught:
            tmdb.movies.details(551)
        assert time.monotonic() - start < 0.5  # refused at once, not after sleeping
    assert "rate limit" in str(caught.value) and len(seen) == 1


async def test_the_async_rate_limit_stops_at_the_deadline_too() -> None:
    limit = RateLimit(rate=1, per=10.0, burst=1, key=f"deadline-{uuid.uuid4().hex}")

    async def answer(request: httpx.Request) -> httpx.Response:
        return MOVIE

    async with AsyncTMDB(api_key=API_KEY, transport=httpx.MockTransport(answer), rate_limit=limit, deadline=1) as atmdb:
        await atmdb.movies.details(550)
        with pytest.raises(TimeoutError, match="rate limit"):
            await atmdb.movies.details(551)


# -- httpx's own transport (the proxy path) ------------------------------------------------------------


def test_a_body_dripped_through_a_proxy_ends_at_the_deadline(proxy: ForwardProxy, drip: Drip) -> None:
    start = time.monotonic()
    tmdb = TMDB(api_key=API_KEY, base_url=drip.url, proxy=proxy.url, deadline=1, timeout=5)
    with tmdb, pytest.raises(TimeoutError, match=r"deadline of 1s for the whole call reached after 1\.\d\ds"):
        tmdb.request("GET", "/3/movie/550")
    assert time.monotonic() - start < 1 + MARGIN
    assert proxy.log and drip.connections == 1  # through the proxy; no retry past the deadline


async def test_a_response_dripped_through_a_proxy_ends_at_the_deadline_async(
    proxy: ForwardProxy, drip: Drip, drip_head: Drip
) -> None:
    for server in (drip, drip_head):  # the body dripped, then the head itself
        start = time.monotonic()
        async with AsyncTMDB(api_key=API_KEY, base_url=server.url, proxy=proxy.url, deadline=1, timeout=5) as atmdb:
            with pytest.raises(TimeoutError, match=r"deadline of 1s for the whole call reached after 1\.\d\ds"):
                await atmdb.request("GET", "/3/movie/550")
        assert time.monotonic() - start < 1 + MARGIN
        assert server.connections == 1


def test_each_httpx_timeout_is_cut_to_the_time_left(proxy: ForwardProxy) -> None:
    silent = Origin(respond=lambda line: (time.sleep(4), movie())[1])  # answers after 4 s
    try:
        start = time.monotonic()
        tmdb = TMDB(api_key=API_KEY, base_url=silent.url, proxy=proxy.url, deadline=1, timeout=10)
        with tmdb, pytest.raises(TimeoutError, match="deadline of 1s"):
            tmdb.movies.details(550)
        assert time.monotonic() - start < 1 + MARGIN
    finally:
        silent.close()


def test_a_body_over_the_cap_through_a_proxy_is_refused(proxy: ForwardProxy) -> None:
    origin = Origin()
    try:
        with TMDB(api_key=API_KEY, base_url=origin.url, proxy=proxy.url, retry=None, max_response_size=10) as tmdb:
            with pytest.raises(Exception, match="larger than max_response_size=10 bytes") as caught:
                tmdb.movies.details(550)
            assert type(caught.value).__name__ == "ConnectionError"
            assert tmdb.with_options(max_response_size=1000).movies.details(550).id == 550
    finally:
        origin.close()


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw deflate"])
async def test_a_compressed_body_is_capped_by_its_decoded_size_through_a_proxy(encoding: str, proxy: ForwardProxy) -> None:
    def pack(data: bytes) -> bytes:
        if encoding == "gzip":
            return gzip.compress(data)
        packer = zlib.compressobj(wbits=zlib.MAX_WBITS if encoding == "deflate" else -zlib.MAX_WBITS)
        return packer.compress(data) + packer.flush()

    small = json.dumps({"id": 550, "title": "x" * 500_000}).encode()  # 0.5 MB, well under the cap
    bomb = b'{"id": 550, "title": "' + b"0" * (50 * 1024 * 1024) + b'"}'  # 50 MiB from ~50 KB
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding.split()[-1]}
    origin = Origin(lambda line: (200, headers, pack(bomb if "/551" in line else small)))
    try:
        options: dict[str, Any] = {"base_url": origin.url, "proxy": proxy.url, "retry": None,
                                   "max_response_size": 1024 * 1024}
        with TMDB(api_key=API_KEY, **options) as tmdb:
            assert len(tmdb.movies.details(550).title) == 500_000  # type: ignore[arg-type]
            with pytest.raises(TMDBConnectionError, match="larger than max_response_size=1048576 bytes"):
                tmdb.movies.details(551)
        async with AsyncTMDB(api_key=API_KEY, **options) as atmdb:
            assert (await atmdb.movies.details(550)).id == 550
            with pytest.raises(TMDBConnectionError, match="larger than max_response_size"):
                await atmdb.movies.details(551)
    finally:
        origin.close()


# -- the lean pools: they read request.extensions["tmdb_deadline"] ------------------------------------------


def test_a_drip_server_ends_in_a_typed_timeout_over_the_lean_pool() -> None:
    server = Drip(every=0.05, length=15, head=True)  # ends by itself after ~5 s if nothing stops it
    try:
        start = time.monotonic()
        tmdb = TMDB(api_key=API_KEY, base_url=server.url, deadline=1, timeout=5)
        with tmdb, pytest.raises(TimeoutError, match="deadline of 1s"):
            tmdb.request("GET", "/3/movie/550")
        assert time.monotonic() - start < 1 + MARGIN
    finally:
        server.close()


async def test_a_drip_server_ends_in_a_typed_timeout_over_the_lean_async_pool() -> None:
    server = Drip(every=0.05, length=15, head=True)
    try:
        start = time.monotonic()
        async with AsyncTMDB(api_key=API_KEY, base_url=server.url, deadline=1, timeout=5) as atmdb:
            with pytest.raises(TimeoutError, match="deadline of 1s"):
                await asyncio.wait_for(atmdb.request("GET", "/3/movie/550"), 20)
        assert time.monotonic() - start < 1 + MARGIN
    finally:
        server.close()
