"""The per-call observer: events with attempts and elapsed time, the log line, the fast path."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from services_support import API_KEY, Ticker, assert_no_secret, captured
from tmdb_sdk import NotFoundError
from tmdb_sdk.hooks import CallEvent, Hooks
from tmdb_sdk.logs import configure_from_env, logger
from tmdb_sdk.observe import Observer

PATH = "/3/movie/{movie_id}"


def request() -> httpx.Request:
    return httpx.Request("GET", f"https://api.example/3/movie/550?api_key={API_KEY}&language=de-DE")


def response(status: int, cache: str | None = None) -> httpx.Response:
    extensions = {"tmdb_cache": cache} if cache else {}
    return httpx.Response(status, request=request(), extensions=extensions)


@pytest.fixture(autouse=True)
def quiet_logger() -> Iterator[None]:
    """The package logger at WARNING during each test, and as it was afterwards (httpx's too)."""
    httpx_logger = logging.getLogger("httpx")
    saved = (logger.level, httpx_logger.level, list(logger.handlers), list(httpx_logger.handlers))
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(saved[0])
    httpx_logger.setLevel(saved[1])
    logger.handlers[:] = saved[2]
    httpx_logger.handlers[:] = saved[3]


def test_nobody_watching_means_no_call_object() -> None:
    observer = Observer(None, None, Ticker())
    assert observer.start("movies_details", PATH, request()) is None
    assert observer.start("movies_details", PATH, request(), always=True) is not None
    with captured(level=logging.INFO):
        assert observer.start("movies_details", PATH, request()) is not None  # the log line needs one


def test_hooks_see_every_stage_with_attempts_status_elapsed_and_cache() -> None:
    events: list[CallEvent] = []
    ticker = Ticker()
    hooks = Hooks(on_request=events.append, on_retry=events.append, on_response=events.append)
    call = Observer(hooks, None, ticker).start("movies_details", PATH, request())
    assert call is not None
    call.begin()
    ticker.advance(0.25)
    call.retry(response(429), None, 1.5)
    ticker.advance(0.25)
    call.retry(None, httpx.ReadError("reset"), 0.5)
    ticker.advance(0.5)
    call.succeeded(response(200, cache="miss"))
    assert [(e.stage, e.attempt, e.status, e.elapsed, e.retry_in, e.cache) for e in events] == [
        ("request", 1, None, 0.0, None, None),
        ("retry", 1, 429, 0.25, 1.5, None),
        ("retry", 2, None, 0.5, 0.5, None),
        ("response", 3, 200, 1.0, None, "miss"),
    ]
    assert isinstance(events[2].error, httpx.ReadError)
    assert {(e.operation, e.method, e.path) for e in events} == {("movies_details", "GET", PATH)}
    assert call.retries == 2


def test_an_error_reaches_on_error_with_its_status() -> None:
    events: list[CallEvent] = []
    call = Observer(Hooks(on_error=events.append), None, Ticker()).start("movies_details", PATH, request())
    assert call is not None
    error = NotFoundError(404, 34, "not found", operation="movies_details")
    call.failed(error)
    assert [(e.stage, e.status, e.error) for e in events] == [("error", 404, error)]


async def test_async_stages_await_coroutine_hooks() -> None:
    seen: list[tuple[str, int]] = []

    async def record(e: CallEvent) -> None:
        seen.append((e.stage, e.attempt))

    call = Observer(
        Hooks(on_request=record, on_retry=record, on_response=record, on_error=record), None, Ticker()
    ).start("movies_details", PATH, request())
    assert call is not None
    await call.abegin()
    await call.aretry(response(503), None, 0.1)
    await call.asucceeded(response(200))
    await call.afailed(RuntimeError("after"))
    assert seen == [("request", 1), ("retry", 1), ("response", 2), ("error", 2)]


def test_one_info_line_per_call_and_a_debug_line_per_retry() -> None:
    ticker = Ticker()
    with captured(level=logging.DEBUG) as logs:
        call = Observer(None, None, ticker).start("movies_details", PATH, request())
        assert call is not None
        call.begin()
        call.retry(response(429), None, 2.0)
        ticker.advance(0.0123)
        call.succeeded(response(200, cache="hit"))
        failing = Observer(None, None, ticker).start("movies_details", PATH, request())
        assert failing is not None
        failing.failed(NotFoundError(404, 34, None, operation="movies_details"))
        transport = Observer(None, None, ticker).start("movies_details", PATH, request())
        assert transport is not None
        transport.failed(httpx.ConnectError("refused"))
    assert logs.messages(logging.DEBUG) == [
        "movies_details GET /3/movie/{movie_id}: attempt 1 got 429, retrying in 2.00 s",
        "movies_details GET /3/movie/{movie_id} -> 200 in 12.3 ms (attempt 2, cache hit)",
        "movies_details GET /3/movie/{movie_id} -> 404 NotFoundError in 0.0 ms (attempt 1)",
        "movies_details GET /3/movie/{movie_id} -> ConnectError in 0.0 ms (attempt 1)",
    ]
    assert logs.messages(logging.INFO) == logs.messages()[1:]


def test_tmdb_log_switch_installs_one_redacting_handler(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    saved_handlers, httpx_logger = list(logger.handlers), logging.getLogger("httpx")
    saved_httpx = (list(httpx_logger.handlers), httpx_logger.level)
    try:
        configure_from_env({"TMDB_LOG": "info"})
        configure_from_env({"TMDB_LOG": "INFO"})  # idempotent
        added = [h for h in logger.handlers if h not in saved_handlers]
        assert len(added) == 1 and logger.level == logging.INFO
        assert httpx_logger.level == saved_httpx[1]  # info leaves httpx alone
        logger.info("GET /3/movie/550?api_key=%s", API_KEY)
        logger.debug("not shown at info")
        err = capsys.readouterr().err
        assert "GET /3/movie/550?api_key=***" in err and "not shown" not in err
        assert_no_secret(err)
        configure_from_env({"TMDB_LOG": "debug"})
        assert logger.level == logging.DEBUG and httpx_logger.level == logging.DEBUG
        assert added[0] in httpx_logger.handlers
        httpx_logger.debug("HTTP Request: GET https://x/3/movie/1?api_key=%s", API_KEY)
        err = capsys.readouterr().err
        assert "api_key=***" in err
        assert_no_secret(err)
    finally:
        for handler in [h for h in logger.handlers if h not in saved_handlers]:
            logger.removeHandler(handler)
        httpx_logger.handlers[:] = saved_httpx[0]
        httpx_logger.setLevel(saved_httpx[1])


def test_an_unknown_tmdb_log_value_is_reported_and_ignored() -> None:
    with captured(level=logging.WARNING) as logs:
        before = list(logger.handlers)
        configure_from_env({"TMDB_LOG": "verbose"})
        assert logger.handlers == before
    assert any("TMDB_LOG='verbose'" in m for m in logs.messages()) or getattr(configure_from_env, "warned", False)


def test_the_switch_handler_writes_to_the_current_stderr() -> None:
    import contextlib
    import io

    saved = list(logger.handlers)
    try:
        configure_from_env({"TMDB_LOG": "info"})
        target = io.StringIO()
        with contextlib.redirect_stderr(target):
            logger.info("redirected %s", "line")
        assert "tmdb_sdk: redirected line" in target.getvalue()
    finally:
        for handler in [h for h in logger.handlers if h not in saved]:
            logger.removeHandler(handler)
