"""The retry layer over httpx's own transports, whose bodies stream: what a retried or buffered
response keeps (the lean pools hand over bodies already read, so test_retry.py never streams)."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest
from pytest_httpserver import HTTPServer
from runtime_support import API_KEY, FakeClock
from tmdb_sdk import TMDB, AsyncTMDB, Hooks, RetryPolicy
from tmdb_sdk.hooks import CallEvent

MOVIE = {"id": 1, "title": "Movie 1"}


def zipped(httpserver: HTTPServer) -> None:
    body = gzip.compress(json.dumps(MOVIE).encode())
    httpserver.expect_request("/3/movie/1").respond_with_data(
        body, headers={"Content-Encoding": "gzip", "Content-Type": "application/json", "X-Served-By": "edge-7"}
    )


def test_a_streamed_gzip_body_read_by_the_retry_layer_is_still_decoded(httpserver: HTTPServer, base_url: str) -> None:
    zipped(httpserver)
    with TMDB(api_key=API_KEY, base_url=base_url, transport=httpx.HTTPTransport()) as tmdb:
        assert tmdb.movies.details(1).title == "Movie 1"
        raw = tmdb.with_raw_response.movies.details(1)
    assert raw.headers["X-Served-By"] == "edge-7"
    assert raw.headers["Content-Encoding"] == "gzip"


async def test_an_async_streamed_gzip_body_is_still_decoded(httpserver: HTTPServer, base_url: str) -> None:
    zipped(httpserver)
    async with AsyncTMDB(api_key=API_KEY, base_url=base_url, transport=httpx.AsyncHTTPTransport()) as atmdb:
        assert (await atmdb.movies.details(1)).title == "Movie 1"


def test_a_streamed_5xx_is_drained_and_retried(httpserver: HTTPServer, base_url: str, fake_clock: FakeClock) -> None:
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_data("busy " * 1000, status=503)
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_request("/3/movie/1").respond_with_json(MOVIE)
    transport = httpx.HTTPTransport()
    with TMDB(api_key=API_KEY, base_url=base_url, transport=transport, clock=fake_clock.clock()) as tmdb:
        assert tmdb.movies.details(1).id == 1
    assert fake_clock.sleeps == [0.375, 2.0]
    assert len(httpserver.log) == 3


async def test_an_async_streamed_5xx_is_drained_and_retried(
    httpserver: HTTPServer, base_url: str, fake_clock: FakeClock
) -> None:
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_data("busy", status=502)
    httpserver.expect_request("/3/movie/1").respond_with_json(MOVIE)
    transport = httpx.AsyncHTTPTransport()
    async with AsyncTMDB(api_key=API_KEY, base_url=base_url, transport=transport, clock=fake_clock.clock()) as atmdb:
        assert (await atmdb.movies.details(1)).id == 1
    assert fake_clock.sleeps == [0.375]


def test_on_retry_is_told_the_failure_and_the_wait(fake_clock: FakeClock) -> None:
    failures: list[httpx.ConnectError] = []

    def refuse_once(request: httpx.Request) -> httpx.Response:
        if not failures:
            failures.append(httpx.ConnectError("refused", request=request))
            raise failures[0]
        return httpx.Response(200, json=MOVIE)

    events: list[CallEvent] = []
    with TMDB(
        api_key=API_KEY,
        transport=httpx.MockTransport(refuse_once),
        clock=fake_clock.clock(),
        retry=RetryPolicy(max_attempts=2, backoff_base=1.0),
        hooks=Hooks(on_retry=events.append),
    ) as tmdb:
        assert tmdb.movies.details(1).id == 1
    assert [(e.attempt, e.status, e.error, e.retry_in) for e in events] == [(1, None, failures[0], 0.75)]
    assert fake_clock.sleeps == [0.75]


@pytest.mark.parametrize("status", [429, 503])
def test_on_retry_is_told_the_status_and_the_wait(status: int, fake_clock: FakeClock) -> None:
    answers = iter([httpx.Response(status, headers={"Retry-After": "3"}), httpx.Response(200, json=MOVIE)])
    events: list[CallEvent] = []
    with TMDB(
        api_key=API_KEY,
        transport=httpx.MockTransport(lambda request: next(answers)),
        clock=fake_clock.clock(),
        hooks=Hooks(on_retry=events.append),
    ) as tmdb:
        assert tmdb.movies.details(1).id == 1
    assert [(e.attempt, e.status, e.error, e.retry_in) for e in events] == [(1, status, None, 3.0)]
