"""The call path's details: headers, hooks, query defaults, argument messages, base URLs, pools,
attempt counts and secrets registered late (mutation testing found them untested, MUTATION.md)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import replace
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from runtime_support import ACCESS_TOKEN, API_KEY, FakeClock
from tmdb_generated._build_info import __version__
from tmdb_sdk import TMDB, APIError, ArgumentError, AsyncTMDB, ConfigurationError, RateLimitError, RetryPolicy
from tmdb_sdk import ConnectionError as TMDBConnectionError
from tmdb_sdk.redact import _FILTER, install_log_filter, redact, register_secrets
from tmdb_sdk.transport.retry import Clock

MOVIE = {"id": 1, "title": "x"}


def test_every_request_says_what_it_accepts_and_who_sends_it(httpserver: HTTPServer, bearer_tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json(MOVIE)
    bearer_tmdb.movies.details(1)
    headers = httpserver.log[0][0].headers
    assert headers["Accept"] == "application/json"
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert headers["User-Agent"] == f"tmdb-sdk-internal/{__version__} python-httpx/{httpx.__version__}"
    assert headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"


class Recorder:
    def __init__(self, suspend: bool = False) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.suspend = suspend

    async def before(self, info: Any, request: httpx.Request) -> None:
        if self.suspend:
            await asyncio.sleep(0)
        self.calls.append(("before", info, request))

    async def after(self, info: Any, request: httpx.Request, response: httpx.Response) -> None:
        self.calls.append(("after", info, request, response.status_code))

    async def error(self, info: Any, request: httpx.Request, error: BaseException, response: Any = None) -> None:
        self.calls.append(("error", info, request, type(error).__name__))

    def abandon(self, request: httpx.Request, error: BaseException) -> None:
        self.calls.append(("abandon", request, type(error).__name__))


def test_hooks_see_the_entry_the_request_and_the_outcome(httpserver: HTTPServer, tmdb: TMDB, base_url: str) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json(MOVIE)
    hooks = Recorder()
    tmdb._core.hooks = hooks
    tmdb.movies.details(1)
    (before, info, sent), after = hooks.calls[0], hooks.calls[1]
    assert before == "before" and info.operation_id == "movies_details" and sent.url.path == "/3/movie/1"
    assert after == ("after", info, sent, 200)
    closed = TMDB(api_key=API_KEY, base_url=f"http://127.0.0.1:{free_port()}", retry=None)
    closed._core.hooks = hooks
    with pytest.raises(TMDBConnectionError):
        closed.movies.details(1)
    closed.close()
    kind, info, sent, error = hooks.calls[-1]
    assert (kind, info.operation_id, sent.url.path, error) == (
        "error",
        "movies_details",
        "/3/movie/1",
        "ConnectionError",
    )


def test_a_hook_that_suspends_a_sync_call_is_named(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json(MOVIE)
    tmdb._core.hooks = Recorder(suspend=True)
    with pytest.raises(RuntimeError) as caught:
        tmdb.movies.details(1)
    assert str(caught.value) == "a TMDB call suspended: an async hook or transport was given to the sync client"


def test_query_defaults_fill_only_parameters_the_call_left_out(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_oneshot_request(
        "/3/movie/1", query_string={"api_key": API_KEY, "language": "de"}
    ).respond_with_json(MOVIE)
    httpserver.expect_oneshot_request(
        "/3/movie/1", query_string={"api_key": API_KEY, "language": "fr"}
    ).respond_with_json(MOVIE)
    httpserver.expect_oneshot_request(
        "/3/genre/movie/list", query_string={"api_key": API_KEY, "language": "de"}
    ).respond_with_json({"genres": []})
    tmdb._core.settings = replace(tmdb._core.settings, query_defaults={"language": "de", "movie_id": 5, "nope": 1})
    assert tmdb.movies.details(1).id == 1
    assert tmdb.movies.details(1, language="fr").id == 1
    assert tmdb.genres.movie_list().genres == []


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_transport_errors_name_the_call_and_count_the_attempts(fake_clock: FakeClock) -> None:
    base = f"http://127.0.0.1:{free_port()}"
    with TMDB(api_key=API_KEY, base_url=base, clock=fake_clock.clock(), retry=RetryPolicy(max_attempts=3)) as tmdb:
        with pytest.raises(TMDBConnectionError) as by_path:
            tmdb.request("GET", "/3/movie/1")
        with pytest.raises(TMDBConnectionError) as config:
            tmdb.image_config()
    assert str(by_path.value).startswith("GET /3/movie/1: ConnectError talking to 127.0.0.1:")
    assert "(3 attempts)" in str(by_path.value) and by_path.value.attempts == 3
    assert str(config.value).startswith("configuration_details: ConnectError")
    with TMDB(api_key=API_KEY, base_url=base, retry=None) as once, pytest.raises(TMDBConnectionError) as single:
        once.movies.details(1)
    assert single.value.attempts == 1 and "(1 attempt)" in str(single.value)


def test_two_attempts_are_retried(httpserver: HTTPServer, base_url: str, fake_clock: FakeClock) -> None:
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_data("busy", status=503)
    httpserver.expect_request("/3/movie/1").respond_with_json(MOVIE)
    with TMDB(api_key=API_KEY, base_url=base_url, clock=fake_clock.clock(), retry=RetryPolicy(max_attempts=2)) as tmdb:
        assert tmdb.movies.details(1).id == 1
    assert len(httpserver.log) == 2


def test_time_is_counted_from_the_first_attempt_whatever_the_clock_reads(httpserver: HTTPServer, base_url: str) -> None:
    now = {"t": 1000.0}
    clock = Clock(monotonic=lambda: now["t"], wall=lambda: 1_800_000_000.0, sleep=lambda s: None, random=lambda: 0.5)
    closed = f"http://127.0.0.1:{free_port()}"
    tmdb = TMDB(api_key=API_KEY, base_url=closed, clock=clock, retry=RetryPolicy(max_attempts=2))
    with tmdb, pytest.raises(TMDBConnectionError) as caught:
        tmdb.movies.details(1)
    assert caught.value.attempts == 2  # elapsed 0 s, not 2000 s: the second attempt was made


def test_a_429_with_a_date_waits_until_then_by_the_wall_clock(httpserver: HTTPServer, tmdb: TMDB) -> None:
    # The fake wall clock starts at 1_800_000_000 = Fri, 15 Jan 2027 08:00:00 GMT.
    httpserver.expect_request("/3/movie/1").respond_with_json(
        {"status_code": 25}, status=429, headers={"Retry-After": "Fri, 15 Jan 2027 08:00:04 GMT"}
    )
    with pytest.raises(RateLimitError) as caught:
        tmdb.with_options(retry=None).movies.details(1)
    assert caught.value.retry_after == 4.0


def test_a_tmdb_error_sent_with_201_keeps_its_status(tmdb: TMDB) -> None:
    from tmdb_generated.models.movie_details import MovieDetails

    answer = httpx.Response(201, json={"success": False, "status_code": 5, "status_message": "Invalid parameters"})
    with pytest.raises(APIError) as caught:
        tmdb._core.outcome("movies_details", MovieDetails, answer)
    assert (caught.value.http_status, caught.value.status_code) == (201, 5)


def test_a_body_that_is_not_text_is_not_json(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/x").respond_with_data(b"\xff\xfe\xfa", status=200)
    with pytest.raises(Exception, match=r"^GET /3/x: response could not be parsed: body is not JSON$"):
        tmdb.request("GET", "/3/x")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: t.movies.details("550"), "movie_id must be an int, got str '550' (int('550') if it is one)"),
        (lambda t: t.movies.details("abc"), "movie_id must be an int, got str 'abc'"),
        (lambda t: t.movies.details(True), "movie_id must be an int, got bool True"),
        (lambda t: t.collections.details(1, 2), "takes 1 positional argument (collection_id) but 2 were given"),
        (lambda t: t.genres.movie_list(1), "takes 0 positional arguments but 1 were given; pass the others by keyword"),
        (lambda t: t.movies.details(1, movie_id=1), "movie_id given twice"),
        (lambda t: t.lists.add_movie(1), "missing required argument: body"),
        (lambda t: t.lists.add_movie(), "missing required arguments: list_id, body"),
        (
            lambda t: t.lists.add_movie(body={"media_id": 1}, bodyy=1),
            "unexpected argument 'bodyy'; did you mean 'body'?",
        ),
        (lambda t: t.movies.details(1, body={}), "unexpected argument 'body'"),
    ],
)
def test_argument_messages_name_the_operation_and_the_problem(tmdb: TMDB, call: Any, message: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        call(tmdb)
    assert str(caught.value).startswith("tmdb.")
    assert str(caught.value).endswith(message) or message + ";" in str(caught.value)


def test_a_string_path_parameter_is_quoted_whole_and_must_not_be_empty() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    with TMDB(api_key=API_KEY, transport=httpx.MockTransport(handler)) as tmdb:
        with pytest.raises(ArgumentError, match=r"external_id must be a non-empty str, got str ' '$"):
            tmdb.find.by_id(" ", external_source="imdb_id")
        tmdb.find.by_id("a/b c", external_source="imdb_id")
    assert sent[0].url.raw_path.startswith(b"/3/find/a%2Fb%20c?")


def test_a_body_given_before_a_path_parameter_keeps_both(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/list/7/add_item", method="POST", json={"media_id": 5}).respond_with_json(
        {"status_code": 12, "status_message": "ok", "success": True}, status=201
    )
    assert tmdb.lists.add_movie(body={"media_id": 5}, list_id=7).status_code == 12


def test_an_optional_body_may_be_left_out(httpserver: HTTPServer, bearer_tmdb: TMDB) -> None:
    httpserver.expect_request("/4/auth/request_token", method="POST").respond_with_json(
        {"success": True, "request_token": "t" * 20, "status_code": 1, "status_message": "ok"}
    )
    bearer_tmdb.v4.auth.create_request_token()
    assert httpserver.log[0][0].get_data() == b""


class Unset:  # named like the generated Unset, but not it: sent as any other value
    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return "mine"


def test_only_the_generated_unset_is_left_out(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1", query_string={"api_key": API_KEY, "language": "mine"}).respond_with_json(
        MOVIE
    )
    assert tmdb.movies.details(1, language=Unset()).id == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://x", "base_url 'ftp://x' needs http:// or https:// and a host, e.g. https://api.themoviedb.org"),
        ("https:///p", "base_url 'https:///p' needs http:// or https:// and a host"),
        ("https://x/3", "base_url 'https://x/3' ends with the API version '/3': every path starts with /3 or /4"),
        ("https://x/4/", "base_url 'https://x/4/' ends with the API version '/4'"),
        ("https://x/?q=1", "base_url 'https://x/?q=1' must not have a query or a fragment"),
        ("https://x/#top", "base_url 'https://x/#top' must not have a query or a fragment"),
    ],
)
def test_a_base_url_that_cannot_work_is_refused(url: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        TMDB(api_key=API_KEY, base_url=url)
    assert str(caught.value).startswith(message)


def test_a_base_url_keeps_its_path_without_the_trailing_slash() -> None:
    with TMDB(api_key=API_KEY, base_url=" https://x/proxy/tmdb/ ") as tmdb:
        assert tmdb._settings.base_url == "https://x/proxy/tmdb"
    with TMDB(api_key=API_KEY, base_url="https://x/v3/") as tmdb:
        assert tmdb._settings.base_url == "https://x/v3"


def test_the_pools_take_the_proxy_and_the_connection_limit() -> None:
    # With a proxy, httpx's own pool; without, the lean one (_http11.SyncPool); both hold at most 20.
    with TMDB(api_key=API_KEY, proxy="http://127.0.0.1:9") as tmdb:
        pool = tmdb._pool._pool
        assert type(pool).__name__ == "HTTPProxy" and pool._max_connections == 20
        assert tmdb.is_closed is False
    with TMDB(api_key=API_KEY) as plain:
        assert type(plain._pool).__name__ == "SyncPool" and plain._pool._slots._initial_value == 20
    assert TMDB(api_key=API_KEY, retry=None)._settings.retry == RetryPolicy.none()


async def test_the_async_pool_takes_the_proxy() -> None:
    async with AsyncTMDB(api_key=API_KEY, proxy="http://127.0.0.1:9") as atmdb:
        assert isinstance(atmdb._pool, httpx.AsyncHTTPTransport)  # bounded by the call's deadline (_proxies)
        assert str(atmdb._pool._pool._proxy_url.origin) == "http://127.0.0.1:9"
    async with AsyncTMDB(api_key=API_KEY) as lean:
        assert type(lean._pool).__name__ == "AsyncPool" and lean._pool._max_busy == 20
    async with AsyncTMDB(api_key=API_KEY) as atmdb:
        policy = RetryPolicy(max_attempts=2)
        assert atmdb.with_options(retry=policy)._settings.retry is policy


def test_secrets_registered_late_are_masked_from_six_characters_on() -> None:
    fresh, six, five = f"late-{uuid.uuid4().hex}", uuid.uuid4().hex[:6], uuid.uuid4().hex[:5]
    register_secrets([fresh, six, five])
    assert redact(f"a {fresh} b {six} c {five}") == f"a *** b *** c {five}"


def test_the_log_filter_is_installed_once_on_httpx_s_loggers() -> None:
    logger = logging.getLogger("httpx")
    logger.removeFilter(_FILTER)
    install_log_filter()
    install_log_filter()
    assert logger.filters.count(_FILTER) == 1
    assert _FILTER not in logging.getLogger().filters


def test_policies_may_wait_nothing() -> None:
    assert RetryPolicy(backoff_base=0, backoff_max=0, max_server_delay=0, max_total=0).max_total == 0


def test_request_by_path_names_the_operation_given_in_every_error(tmdb: TMDB) -> None:
    with pytest.raises(ConfigurationError, match=r"^mine: TMDB v4 accepts only a bearer token"):
        tmdb.request("GET", "/4/list/1", operation="mine")
    closed = TMDB(api_key=API_KEY, base_url=f"http://127.0.0.1:{free_port()}", retry=None)
    with closed, pytest.raises(TMDBConnectionError, match=r"^mine: ConnectError talking to 127\.0\.0\.1:"):
        closed.request("GET", "/3/movie/1", operation="mine")
