"""The call path's remaining details: argument messages, what a transport is handed, the debug line,
raw responses that fail late or early, what on_error is told, and the core on its own (no hooks)."""

from __future__ import annotations

import asyncio
import http.server
import json
import logging
import select
import socket
import socketserver
import ssl
import threading
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest
import trustme
from runtime_support import ACCESS_TOKEN, API_KEY, FakeClock
from tmdb_generated.models.movie_details import MovieDetails
from tmdb_sdk import (
    TMDB,
    APIError,
    ArgumentError,
    AsyncTMDB,
    ConfigurationError,
    Hooks,
    RateLimit,
    ResponseParseError,
)
from tmdb_sdk import ConnectionError as TMDBConnectionError
from tmdb_sdk._core import Core, Credentials, Settings
from tmdb_sdk._index import operation
from tmdb_sdk._io import SYNC_IO, run_sync
from tmdb_sdk.hooks import CallEvent

MOVIE = {"id": 1, "title": "x"}
LIST_BODY = {"name": "x", "iso_639_1": "en"}


def answering(response: Callable[[], httpx.Response]) -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response()

    return seen, httpx.MockTransport(handler)


def test_too_many_positional_arguments_name_every_path_parameter() -> None:
    with (
        TMDB(api_key=API_KEY, transport=httpx.MockTransport(lambda r: httpx.Response(500))) as tmdb,
        pytest.raises(ArgumentError) as caught,
    ):
        tmdb.tv_seasons.details(1, 2, 3)  # type: ignore[arg-type, call-arg]
    assert str(caught.value) == (
        "tmdb.tv_seasons.details(series_id, season_number, *, append_to_response=None): "
        "takes 2 positional arguments (series_id, season_number) but 3 were given; pass the others by keyword"
    )


def test_a_body_given_to_an_operation_without_one_is_unexpected_and_suggests_nothing() -> None:
    with (
        TMDB(api_key=API_KEY, transport=httpx.MockTransport(lambda r: httpx.Response(500))) as tmdb,
        pytest.raises(ArgumentError) as caught,
    ):
        tmdb.movies.details(1, body={"id": 1})  # type: ignore[call-arg]
    assert str(caught.value) == (
        "tmdb.movies.details(movie_id, *, append_to_response=None, language=None): unexpected argument 'body'"
    )


def test_a_key_only_client_names_the_v4_operation_it_cannot_call() -> None:
    with (
        TMDB(api_key=API_KEY, transport=httpx.MockTransport(lambda r: httpx.Response(500))) as tmdb,
        pytest.raises(ConfigurationError) as caught,
    ):
        tmdb.v4.lists.details(1)
    assert str(caught.value) == (
        "v4_lists_details: TMDB v4 accepts only a bearer token; pass access_token= (your API Read Access Token) "
        "or set TMDB_ACCESS_TOKEN"
    )


def test_every_request_hands_the_transport_the_client_timeout() -> None:
    seen, transport = answering(lambda: httpx.Response(201, json={"id": 9, "success": True}))
    with TMDB(access_token=ACCESS_TOKEN, transport=transport, timeout=7.5) as tmdb:
        tmdb.request("GET", "/3/movie/1")
        tmdb.v4.lists.create(body=LIST_BODY)
        tmdb.request("DELETE", "/3/movie/1/rating")
    expected = {"connect": 7.5, "read": 7.5, "write": 7.5, "pool": 7.5}
    assert [(r.method, r.extensions["timeout"]) for r in seen] == [
        ("GET", expected),
        ("POST", expected),
        ("DELETE", expected),
    ]


def test_hooks_name_the_operation_of_a_call_with_a_body() -> None:
    _, transport = answering(lambda: httpx.Response(201, json={"id": 9, "success": True}))
    events: list[CallEvent] = []
    with TMDB(access_token=ACCESS_TOKEN, transport=transport, hooks=Hooks(on_response=events.append)) as tmdb:
        tmdb.v4.lists.create(body=LIST_BODY)
    assert [(e.operation, e.method, e.path, e.status) for e in events] == [("v4_lists_create", "POST", "/4/list", 201)]


def test_request_sends_the_json_body_it_is_given_whatever_the_method() -> None:
    seen, transport = answering(lambda: httpx.Response(200, json={"ok": True}))
    with TMDB(access_token=ACCESS_TOKEN, transport=transport) as tmdb:
        assert tmdb.request("GET", "/3/search/things", json={"q": 1}) == {"ok": True}
    assert (seen[0].method, seen[0].content, seen[0].headers["Content-Type"]) == ("GET", b'{"q":1}', "application/json")


def test_the_debug_line_shows_the_request_and_the_status_line(caplog: pytest.LogCaptureFixture) -> None:
    status_line = {"http_version": b"HTTP/1.1", "reason_phrase": b"OK"}
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=MOVIE, extensions=status_line))
    with (
        caplog.at_level(logging.DEBUG, logger="tmdb_sdk"),
        TMDB(access_token=ACCESS_TOKEN, transport=transport) as tmdb,
    ):
        tmdb.movies.details(1)
    lines = [r.getMessage() for r in caplog.records if r.name == "tmdb_sdk" and r.levelno == logging.DEBUG]
    assert lines == ['HTTP Request: GET https://api.themoviedb.org/3/movie/1 "HTTP/1.1 200 OK"']


async def test_a_cancelled_call_ends_its_log_line_with_the_cancellation(caplog: pytest.LogCaptureFixture) -> None:
    started = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        started.set()
        await asyncio.sleep(30)
        return httpx.Response(200, json=MOVIE)

    with caplog.at_level(logging.INFO, logger="tmdb_sdk"):
        async with AsyncTMDB(access_token=ACCESS_TOKEN, transport=httpx.MockTransport(slow)) as atmdb:
            task = asyncio.ensure_future(atmdb.movies.details(1))
            await asyncio.wait_for(started.wait(), 5)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("movies_details GET")]
    assert len(lines) == 1 and lines[0].startswith("movies_details GET /3/movie/{movie_id} -> CancelledError in ")


def test_a_raw_response_leaves_a_body_that_is_not_json_to_parse() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=b"<html>maintenance</html>"))
    with TMDB(access_token=ACCESS_TOKEN, transport=transport) as tmdb:
        raw = tmdb.with_raw_response.movies.details(1)
        assert (raw.status_code, raw.text) == (200, "<html>maintenance</html>")
        with pytest.raises(ResponseParseError, match="movies_details: .*body is not JSON"):
            raw.parse()


@pytest.mark.parametrize("status", [400, 401])
def test_a_raw_response_with_an_error_status_raises_at_the_call(status: int) -> None:
    body = {"success": False, "status_code": 7, "status_message": "Invalid API key"}
    transport = httpx.MockTransport(lambda r: httpx.Response(status, json=body))
    events: list[CallEvent] = []
    hooks = Hooks(on_response=events.append, on_error=events.append)
    with TMDB(access_token=ACCESS_TOKEN, transport=transport, hooks=hooks) as tmdb, pytest.raises(APIError) as caught:
        tmdb.with_raw_response.movies.details(1)
    assert (caught.value.http_status, caught.value.status_code) == (status, 7)
    assert [(e.stage, e.status) for e in events] == [("error", status)]


def test_on_error_for_a_body_that_does_not_parse_has_the_response_status() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"id": "not a number"}))
    events: list[CallEvent] = []
    with (
        TMDB(access_token=ACCESS_TOKEN, transport=transport, hooks=Hooks(on_error=events.append)) as tmdb,
        pytest.raises(ResponseParseError) as caught,
    ):
        tmdb.movies.details(1)
    assert [(e.stage, e.status, e.error) for e in events] == [("error", 200, caught.value)]


# The core on its own: Core.hooks is optional (None: nothing is told of the call).


def bare_core(response: httpx.Response) -> Core:
    settings = Settings(credentials=Credentials(access_token=ACCESS_TOKEN), base_url="https://api.themoviedb.org")
    return Core(settings, httpx.MockTransport(lambda request: response), SYNC_IO)


def test_a_core_without_hooks_calls_and_parses() -> None:
    core = bare_core(httpx.Response(200, json=MOVIE))
    assert core.hooks is None
    movie = run_sync(core.call(operation("movies_details"), (1,), {}))
    assert isinstance(movie, MovieDetails) and (movie.id, movie.title) == (1, "x")


def exchanged(core: Core) -> tuple[httpx.Request, httpx.Response]:
    request = core.request_for(operation("movies_details"), (1,), {})
    return request, run_sync(core.exchange("movies_details", request))


def test_a_core_without_hooks_leaves_a_success_unparsed_when_asked() -> None:
    core = bare_core(httpx.Response(200, content=b"<html>"))
    request, response = exchanged(core)
    assert run_sync(core.result("movies_details", MovieDetails, request, response, parsed=False)) is None


@pytest.mark.parametrize("status", [400, 401, 404])
def test_a_core_without_hooks_raises_an_error_status_even_unparsed(status: int) -> None:
    core = bare_core(httpx.Response(status, json={"status_code": 34, "status_message": "nope"}))
    request, response = exchanged(core)
    with pytest.raises(APIError) as caught:
        run_sync(core.result("movies_details", MovieDetails, request, response, parsed=False))
    assert caught.value.http_status == status
    assert str(caught.value).startswith(f"movies_details failed with HTTP {status}")


def test_the_rate_limit_waits_on_the_client_clock(fake_clock: FakeClock) -> None:
    limit = RateLimit(rate=1, per=1.0, burst=1, key=f"client-details-{uuid.uuid4()}")
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=MOVIE))
    with TMDB(access_token=ACCESS_TOKEN, transport=transport, rate_limit=limit, clock=fake_clock.clock()) as tmdb:
        assert [tmdb.movies.details(1).id, tmdb.movies.details(1).id] == [1, 1]
    assert fake_clock.sleeps == [pytest.approx(1.0)]


# with_options() and the client's own checks (client.py).


def test_a_view_sends_the_watch_region_and_image_languages_it_is_given() -> None:
    seen, transport = answering(lambda: httpx.Response(200, json={}))
    with TMDB(access_token=ACCESS_TOKEN, transport=transport, region="DE", language="de-DE") as tmdb:
        view = tmdb.with_options(watch_region="AT", include_image_language="en,null")
        view.with_raw_response.discover.movie()
        view.with_raw_response.movies.images(1)
    assert dict(seen[0].url.params) == {"language": "de-DE", "region": "DE", "watch_region": "AT"}
    assert dict(seen[1].url.params) == {"language": "de-DE", "include_image_language": "en,null"}


def test_with_options_refuses_a_storage_url_for_the_cache_or_the_rate_limit() -> None:
    with TMDB(access_token=ACCESS_TOKEN, transport=httpx.MockTransport(lambda r: httpx.Response(500))) as tmdb:
        with pytest.raises(ConfigurationError) as cache:
            tmdb.with_options(cache="memory")
        with pytest.raises(ConfigurationError) as limit:
            tmdb.with_options(rate_limit="redis://127.0.0.1:6379/0")
    assert str(cache.value) == "with_options(cache=...) takes a Cache object, True or False"
    assert str(limit.value) == "with_options(rate_limit=...) takes a RateLimit object or None"


def test_hooks_that_are_not_a_hooks_object_are_refused_by_the_client_and_its_views() -> None:
    with pytest.raises(ConfigurationError) as client:
        TMDB(access_token=ACCESS_TOKEN, hooks=print)  # type: ignore[arg-type]
    with (
        TMDB(access_token=ACCESS_TOKEN, transport=httpx.MockTransport(lambda r: httpx.Response(500))) as tmdb,
        pytest.raises(ConfigurationError) as view,
    ):
        tmdb.with_options(hooks=[print])
    assert str(client.value) == "hooks must be a tmdb_sdk.Hooks(on_request=..., ...), got builtin_function_or_method"
    assert str(view.value) == "hooks must be a tmdb_sdk.Hooks(on_request=..., ...), got list"


def test_the_sync_client_and_its_views_refuse_coroutine_hooks_by_name() -> None:
    async def hook(event: CallEvent) -> None:
        pass

    message = "TMDB: coroutine hooks need AsyncTMDB; give TMDB plain functions"
    with pytest.raises(ConfigurationError) as client:
        TMDB(access_token=ACCESS_TOKEN, hooks=Hooks(on_request=hook))
    with (
        TMDB(access_token=ACCESS_TOKEN, transport=httpx.MockTransport(lambda r: httpx.Response(500))) as tmdb,
        pytest.raises(ConfigurationError) as view,
    ):
        tmdb.with_options(hooks=Hooks(on_error=hook))
    assert (str(client.value), str(view.value)) == (message, message)


def test_a_view_of_a_client_without_hooks_runs_its_own_and_none_keeps_the_clients() -> None:
    seen: list[str] = []
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"genres": []}))
    with TMDB(access_token=ACCESS_TOKEN, transport=transport) as plain:
        plain.with_options(hooks=Hooks(on_response=lambda e: seen.append(f"view {e.operation}"))).genres.movie_list()
        plain.genres.movie_list()
    with TMDB(
        access_token=ACCESS_TOKEN, transport=transport, hooks=Hooks(on_response=lambda e: seen.append("client"))
    ) as hooked:
        hooked.with_options(hooks=None).genres.movie_list()
    assert seen == ["view genres_movie_list", "client"]


def test_client_options_are_sent_as_given() -> None:
    seen, transport = answering(lambda: httpx.Response(200, json={}))
    with TMDB(
        access_token=ACCESS_TOKEN,
        transport=transport,
        language="de-DE",
        region="DE",
        watch_region="AT",
        include_image_language="de,en,null",
        headers={"X-Request-Source": "nightly-sync"},
        extra_query={"include_adult": "false"},
    ) as tmdb:
        tmdb.with_raw_response.discover.movie()
        tmdb.with_raw_response.movies.images(1)
    assert dict(seen[0].url.params) == {
        "include_adult": "false",
        "language": "de-DE",
        "region": "DE",
        "watch_region": "AT",
    }
    assert dict(seen[1].url.params) == {
        "include_adult": "false",
        "language": "de-DE",
        "include_image_language": "de,en,null",
    }
    assert [request.headers["X-Request-Source"] for request in seen] == ["nightly-sync", "nightly-sync"]


def test_a_base_url_ending_with_the_api_version_is_refused_naming_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        TMDB(access_token=ACCESS_TOKEN, base_url="https://gateway.example/tmdb/3")
    assert str(caught.value) == (
        "base_url 'https://gateway.example/tmdb/3' ends with the API version '/3': every path starts with /3 or /4 "
        "already, so drop it (e.g. https://api.themoviedb.org)"
    )


def test_a_base_url_keeps_its_whole_path_but_its_trailing_slashes() -> None:
    """A last segment that only starts like the API version ("3X") is not taken for it, nor cut."""
    seen, transport = answering(lambda: httpx.Response(200, json={}))
    with TMDB(access_token=ACCESS_TOKEN, base_url="https://gateway.example/3X//", transport=transport) as tmdb:
        tmdb.request("GET", "/3/configuration")
    assert str(seen[0].url) == "https://gateway.example/3X/3/configuration"


class ErrorRecorder:
    """A Core.hooks object (the core's own protocol, _core.Hooks) that keeps what `error` is given."""

    def __init__(self) -> None:
        self.errors: list[tuple[object, httpx.Request, BaseException, httpx.Response | None]] = []

    async def before(self, info: object, request: httpx.Request) -> None:
        pass

    async def after(self, info: object, request: httpx.Request, response: httpx.Response) -> None:
        pass

    async def error(
        self, info: object, request: httpx.Request, error: BaseException, response: httpx.Response | None = None
    ) -> None:
        self.errors.append((info, request, error, response))

    def abandon(self, request: httpx.Request, error: BaseException) -> None:
        pass


def test_core_hooks_are_told_the_operation_and_the_response_of_an_error_status() -> None:
    core = bare_core(httpx.Response(404, json={"status_code": 34, "status_message": "gone"}))
    recorder = ErrorRecorder()
    core.hooks = recorder
    with pytest.raises(APIError) as caught:
        run_sync(core.call(operation("movies_details"), (1,), {}))
    ((info, request, error, response),) = recorder.errors
    assert info is operation("movies_details") and request.url.path == "/3/movie/1"
    assert error is caught.value and response is not None and response.status_code == 404


# A proxy (proxy=) is httpx's own transport; verify= reaches it too.


class _Movie(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(MOVIE).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Tunnel(socketserver.BaseRequestHandler):
    """An HTTP CONNECT proxy: opens the tunnel it is asked for, then copies bytes both ways."""

    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        host, port = head.split(b" ", 2)[1].decode().rsplit(":", 1)
        self.server.connects.append(f"{host}:{port}")  # type: ignore[attr-defined]
        with socket.create_connection((host, int(port)), timeout=3) as upstream:
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            ends = [self.request, upstream]
            while True:
                readable, _, _ = select.select(ends, [], [], 3)
                if not readable:
                    return
                for end in readable:
                    data = end.recv(65536)
                    if not data:
                        return
                    (upstream if end is self.request else self.request).sendall(data)


@pytest.fixture
def tls_behind_proxy() -> Iterator[tuple[str, str, list[str], trustme.CA]]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    origin = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Movie)
    origin.socket = context.wrap_socket(origin.socket, server_side=True)
    proxy = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Tunnel)
    proxy.daemon_threads = True
    proxy.connects = []  # type: ignore[attr-defined]
    threads = [threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True) for server in (origin, proxy)]
    for thread in threads:
        thread.start()
    try:
        yield (
            f"https://127.0.0.1:{origin.server_address[1]}",
            f"http://127.0.0.1:{proxy.server_address[1]}",
            proxy.connects,  # type: ignore[attr-defined]
            ca,
        )
    finally:
        for server in (origin, proxy):
            server.shutdown()
            server.server_close()


def test_verify_reaches_the_transport_used_through_a_proxy(
    tls_behind_proxy: tuple[str, str, list[str], trustme.CA],
) -> None:
    origin, proxy, connects, ca = tls_behind_proxy
    options = {"access_token": ACCESS_TOKEN, "base_url": origin, "proxy": proxy, "retry": None, "timeout": 3.0}
    with TMDB(**options, verify=False) as unchecked:  # type: ignore[arg-type]
        assert unchecked.movies.details(1).id == 1
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    with TMDB(**options, verify=trusting) as checked:  # type: ignore[arg-type]
        assert checked.movies.details(1).id == 1
    with TMDB(**options) as default, pytest.raises(TMDBConnectionError, match="CERTIFICATE_VERIFY_FAILED"):  # type: ignore[arg-type]
        default.movies.details(1)
    assert connects == [origin.removeprefix("https://")] * 3
