"""Retries: the policy's decisions (pure) and the transports against the local server (fake clock)."""

from __future__ import annotations

import httpx
import pytest
from pytest_httpserver import HTTPServer
from runtime_support import ACCESS_TOKEN, API_KEY, FakeClock
from tmdb_sdk import ALL_METHODS, TMDB, AsyncTMDB, RateLimitError, RetryPolicy, ServerError
from werkzeug import Response

POLICY = RetryPolicy(max_attempts=4, backoff_base=0.5, backoff_max=2.0, max_server_delay=30.0, max_total=10.0)
REQUEST = httpx.Request("GET", "http://127.0.0.1/3/movie/1")


def test_backoff_grows_exponentially_is_capped_and_jittered() -> None:
    assert [POLICY.backoff(n, 1.0) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 2.0, 2.0]
    assert [POLICY.backoff(n, 0.0) for n in (1, 2, 3)] == [0.25, 0.5, 1.0]


def test_429_waits_retry_after_for_any_method() -> None:
    assert POLICY.delay_for_status("GET", 429, 1.0, attempt=1, elapsed=0, rand=0.5) == 1.0
    assert POLICY.delay_for_status("POST", 429, 1.0, attempt=1, elapsed=0, rand=0.5) == 1.0
    assert POLICY.delay_for_status("GET", 429, None, attempt=2, elapsed=0, rand=1.0) == 1.0


def test_retry_after_over_the_cap_or_the_time_budget_gives_up() -> None:
    assert POLICY.delay_for_status("GET", 429, 31.0, attempt=1, elapsed=0, rand=0.5) is None
    assert POLICY.delay_for_status("GET", 429, 5.0, attempt=1, elapsed=6.0, rand=0.5) is None


def test_5xx_is_retried_for_idempotent_methods_only() -> None:
    assert POLICY.delay_for_status("GET", 503, None, attempt=1, elapsed=0, rand=1.0) == 0.5
    assert POLICY.delay_for_status("PUT", 500, None, attempt=1, elapsed=0, rand=1.0) == 0.5
    assert POLICY.delay_for_status("POST", 503, None, attempt=1, elapsed=0, rand=1.0) is None
    assert POLICY.delay_for_status("DELETE", 502, None, attempt=1, elapsed=0, rand=1.0) is None
    opted_in = RetryPolicy(methods=ALL_METHODS)
    assert opted_in.delay_for_status("POST", 503, None, attempt=1, elapsed=0, rand=1.0) == 0.5


def test_other_statuses_and_the_last_attempt_are_not_retried() -> None:
    assert POLICY.delay_for_status("GET", 404, None, attempt=1, elapsed=0, rand=1.0) is None
    assert POLICY.delay_for_status("GET", 503, None, attempt=4, elapsed=0, rand=1.0) is None


def test_transport_errors_depend_on_whether_the_request_was_sent() -> None:
    refused = httpx.ConnectError("refused", request=REQUEST)
    read = httpx.ReadTimeout("timed out", request=REQUEST)
    assert POLICY.delay_for_error("POST", refused, attempt=1, elapsed=0, rand=1.0) == 0.5
    assert POLICY.delay_for_error("GET", read, attempt=1, elapsed=0, rand=1.0) == 0.5
    assert POLICY.delay_for_error("POST", read, attempt=1, elapsed=0, rand=1.0) is None
    assert POLICY.delay_for_error("GET", read, attempt=4, elapsed=0, rand=1.0) is None


def test_policy_rejects_impossible_values() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="backoff_base"):
        RetryPolicy(backoff_base=-1)


def rate_limited(retry_after: str) -> Response:
    return Response(
        '{"status_code": 25}', status=429, headers={"Retry-After": retry_after}, content_type="application/json"
    )


def test_429_with_retry_after_1_then_200_succeeds_in_one_call_after_one_second(
    httpserver: HTTPServer, tmdb: TMDB, fake_clock: FakeClock
) -> None:
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_response(rate_limited("1"))
    httpserver.expect_request("/3/movie/1").respond_with_json({"id": 1, "title": "Movie 1"})
    assert tmdb.movies.details(1).id == 1
    assert fake_clock.sleeps == [1.0]
    assert len(httpserver.log) == 2


def test_retry_after_as_an_http_date(httpserver: HTTPServer, tmdb: TMDB, fake_clock: FakeClock) -> None:
    # The fake wall clock starts at 1_800_000_000 = Fri, 15 Jan 2027 08:00:00 GMT.
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_response(rate_limited("Fri, 15 Jan 2027 08:00:02 GMT"))
    httpserver.expect_request("/3/movie/1").respond_with_json({"id": 1, "title": "Movie 1"})
    assert tmdb.movies.details(1).id == 1
    assert fake_clock.sleeps == [2.0]


def test_5xx_backs_off_then_succeeds(httpserver: HTTPServer, tmdb: TMDB, fake_clock: FakeClock) -> None:
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_data("busy", status=503)
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_data("busy", status=502)
    httpserver.expect_request("/3/movie/1").respond_with_json({"id": 1, "title": "Movie 1"})
    assert tmdb.movies.details(1).id == 1
    # random() is 0.5 on the fake clock: 0.75 of each ceiling (0.5, then 1.0).
    assert fake_clock.sleeps == [0.375, 0.75]


def test_attempts_are_bounded(httpserver: HTTPServer, base_url: str, fake_clock: FakeClock) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_data("down", status=500)
    policy = RetryPolicy(max_attempts=5, backoff_base=0.1)
    with (
        TMDB(api_key=API_KEY, base_url=base_url, retry=policy, clock=fake_clock.clock()) as tmdb,
        pytest.raises(ServerError),
    ):
        tmdb.movies.details(1)
    assert len(httpserver.log) == 5
    assert len(fake_clock.sleeps) == 4


def test_total_time_is_bounded(httpserver: HTTPServer, base_url: str, fake_clock: FakeClock) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_response(rate_limited("4"))
    policy = RetryPolicy(max_attempts=10, max_total=10.0)
    with (
        TMDB(api_key=API_KEY, base_url=base_url, retry=policy, clock=fake_clock.clock()) as tmdb,
        pytest.raises(RateLimitError) as caught,
    ):
        tmdb.movies.details(1)
    assert fake_clock.sleeps == [4.0, 4.0]  # a third wait would end after 12 s
    assert caught.value.retry_after == 4.0


def test_post_is_not_repeated_after_a_5xx_unless_opted_in(
    httpserver: HTTPServer, base_url: str, fake_clock: FakeClock
) -> None:
    httpserver.expect_request("/4/list", method="POST").respond_with_data("oops", status=500)
    with TMDB(access_token=ACCESS_TOKEN, base_url=base_url, clock=fake_clock.clock()) as tmdb:
        with pytest.raises(ServerError):
            tmdb.v4.lists.create(body={"name": "x", "iso_639_1": "en"})
        assert len(httpserver.log) == 1
        assert fake_clock.sleeps == []
        opted_in = RetryPolicy(max_attempts=3, backoff_base=0.5, methods=ALL_METHODS)
        with pytest.raises(ServerError):
            tmdb.with_options(retry=opted_in).v4.lists.create(body={"name": "x", "iso_639_1": "en"})
        assert len(httpserver.log) == 1 + 3
        assert fake_clock.sleeps == [0.375, 0.75]  # the view's policy: backoff 0.5, random() 0.5


def test_post_is_repeated_after_a_429(httpserver: HTTPServer, bearer_tmdb: TMDB, fake_clock: FakeClock) -> None:
    httpserver.expect_oneshot_request("/4/list", method="POST").respond_with_response(rate_limited("1"))
    httpserver.expect_request("/4/list", method="POST").respond_with_json(
        {"id": 9, "success": True, "status_code": 1, "status_message": "ok"}, status=201
    )
    result = bearer_tmdb.v4.lists.create(body={"name": "x", "iso_639_1": "en"})
    assert (result.id, result.success, result.status_code) == (9, True, 1)
    assert fake_clock.sleeps == [1.0]
    assert len(httpserver.log) == 2


def test_per_call_override_turns_retries_off(httpserver: HTTPServer, tmdb: TMDB, fake_clock: FakeClock) -> None:
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_response(rate_limited("1"))
    httpserver.expect_request("/3/movie/1").respond_with_json({"id": 1, "title": "Movie 1"})
    with pytest.raises(RateLimitError):
        tmdb.with_options(retry=None).movies.details(1)
    assert fake_clock.sleeps == []
    assert tmdb.movies.details(1).id == 1  # the client itself still has its policy


async def test_async_429_then_200(httpserver: HTTPServer, atmdb: AsyncTMDB, fake_clock: FakeClock) -> None:
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_response(rate_limited("1"))
    httpserver.expect_request("/3/movie/1").respond_with_json({"id": 1, "title": "Movie 1"})
    assert (await atmdb.movies.details(1)).id == 1
    assert fake_clock.sleeps == [1.0]


async def test_async_5xx_bounded_and_override(httpserver: HTTPServer, atmdb: AsyncTMDB, fake_clock: FakeClock) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_data("down", status=503)
    with pytest.raises(ServerError):
        await atmdb.movies.details(1)
    assert len(fake_clock.sleeps) == RetryPolicy().max_attempts - 1
    with pytest.raises(ServerError):
        await atmdb.with_options(retry=None).movies.details(1)
    assert len(httpserver.log) == RetryPolicy().max_attempts + 1


def test_the_real_clock_waits_about_retry_after(httpserver: HTTPServer, base_url: str) -> None:
    """The one test on wall time: Retry-After: 1 really pauses about a second."""
    import time

    httpserver.expect_oneshot_request("/3/movie/1").respond_with_response(rate_limited("1"))
    httpserver.expect_request("/3/movie/1").respond_with_json({"id": 1, "title": "Movie 1"})
    with TMDB(api_key=API_KEY, base_url=base_url) as tmdb:
        start = time.monotonic()
        assert tmdb.movies.details(1).id == 1
        assert 0.9 <= time.monotonic() - start < 5


class _CutShort(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body whose connection breaks after the first chunk, as a reset mid-body does."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield b'{"id": '
        raise httpx.ReadError("connection reset")

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        yield b'{"id": '
        raise httpx.ReadError("connection reset")


def _first_cut_then_whole(method: str) -> tuple[list[str], httpx.MockTransport]:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        if len(sent) == 1:
            return httpx.Response(200, stream=_CutShort())
        return httpx.Response(200, json={"id": 1})

    return sent, httpx.MockTransport(handler)


@pytest.mark.parametrize(("method", "attempts"), [("GET", 2), ("POST", 1)])
def test_a_body_cut_short_is_retried_for_retryable_methods(method: str, attempts: int, fake_clock: FakeClock) -> None:
    from tmdb_sdk.transport.retry import RetryTransport

    sent, inner = _first_cut_then_whole(method)
    with httpx.Client(transport=RetryTransport(inner, POLICY, fake_clock.clock())) as client:
        if attempts == 1:
            with pytest.raises(httpx.ReadError):
                client.request(method, "http://127.0.0.1/3/movie/1")
        else:
            assert client.request(method, "http://127.0.0.1/3/movie/1").json() == {"id": 1}
    assert len(sent) == attempts


async def test_async_body_cut_short_is_retried(fake_clock: FakeClock) -> None:
    from tmdb_sdk.transport.retry import AsyncRetryTransport

    sent, inner = _first_cut_then_whole("GET")
    async with httpx.AsyncClient(transport=AsyncRetryTransport(inner, POLICY, fake_clock.clock())) as client:
        assert (await client.get("http://127.0.0.1/3/movie/1")).json() == {"id": 1}
    assert len(sent) == 2
