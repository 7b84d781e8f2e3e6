"""The per-call observer and the TMDB_LOG switch in detail: statuses and cache verdicts of failed
and retried attempts, the exact log lines, calls by path, and installing/uninstalling the switch."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from services_support import API_KEY, Ticker, captured
from tmdb_sdk import TMDB, ResponseParseError
from tmdb_sdk import logs as tmdb_logs
from tmdb_sdk.hooks import CallEvent, Hooks
from tmdb_sdk.logs import configure_from_env, logger, uninstall
from tmdb_sdk.observe import Call, Observer

PATH = "/3/movie/{movie_id}"


def request() -> httpx.Request:
    return httpx.Request("GET", "https://api.example/3/movie/550?language=de-DE")


def response(status: int, cache: str | None = None) -> httpx.Response:
    extensions = {"tmdb_cache": cache} if cache else {}
    return httpx.Response(status, request=request(), extensions=extensions)


def watched(events: list[CallEvent], ticker: Ticker | None = None) -> Call:
    hooks = Hooks(on_request=events.append, on_retry=events.append, on_response=events.append, on_error=events.append)
    call = Observer(hooks, None, ticker or Ticker()).start("movies_details", PATH, request())
    assert call is not None
    return call


class ForeignError(Exception):
    """Another library's error, whose http_status is not a number."""

    http_status = "404"


@pytest.fixture(autouse=True)
def saved_logging() -> Iterator[None]:
    """The package logger at WARNING during each test; both loggers as they were afterwards."""
    httpx_logger = logging.getLogger("httpx")
    saved = (logger.level, httpx_logger.level, list(logger.handlers), list(httpx_logger.handlers), list(logger.filters))
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(saved[0])
    httpx_logger.setLevel(saved[1])
    logger.handlers[:] = saved[2]
    httpx_logger.handlers[:] = saved[3]
    logger.filters[:] = saved[4]


# -- the observer -----------------------------------------------------------------------------------


def test_empty_hooks_watch_nothing() -> None:
    observer = Observer(Hooks(), None, Ticker())
    assert observer.hooks is None
    assert observer.start("movies_details", PATH, request()) is None


def test_a_failure_with_a_response_reports_its_status_and_cache_verdict() -> None:
    events: list[CallEvent] = []
    call = watched(events)
    error = ResponseParseError("movies_details", "body is not JSON")
    call.failed(error, response(200, cache="miss"))
    assert [(e.stage, e.status, e.cache, e.error) for e in events] == [("error", 200, "miss", error)]


async def test_an_async_failure_with_a_response_reports_its_status_and_cache_verdict() -> None:
    events: list[CallEvent] = []
    call = watched(events)
    await call.afailed(RuntimeError("parse"), response(200, cache="hit"))
    assert [(e.stage, e.status, e.cache) for e in events] == [("error", 200, "hit")]


def test_an_error_whose_http_status_is_not_a_number_has_no_status() -> None:
    events: list[CallEvent] = []
    watched(events).failed(ForeignError("elsewhere"))
    assert [(e.stage, e.status) for e in events] == [("error", None)]


def test_a_retried_response_passes_on_its_cache_verdict() -> None:
    events: list[CallEvent] = []
    watched(events).retry(response(503, cache="stale"), None, 1.0)
    assert [(e.stage, e.status, e.cache, e.retry_in) for e in events] == [("retry", 503, "stale", 1.0)]


async def test_an_async_retry_after_a_transport_failure_carries_the_error() -> None:
    events: list[CallEvent] = []
    call = watched(events)
    failure = httpx.ReadError("reset")
    await call.aretry(None, failure, 0.25)
    assert [(e.stage, e.attempt, e.status, e.error, e.retry_in) for e in events] == [("retry", 1, None, failure, 0.25)]
    assert call.attempt == 2


def test_log_lines_of_a_failure_with_a_response_and_of_a_transport_retry() -> None:
    ticker = Ticker()
    with captured(level=logging.DEBUG) as logs:
        call = Observer(None, None, ticker).start("movies_details", PATH, request())
        assert call is not None
        call.retry(None, httpx.ReadError("reset"), 0.5)
        ticker.advance(0.5)
        call.failed(RuntimeError("parse"), response(200, cache="miss"))
        foreign = Observer(None, None, ticker).start("movies_details", PATH, request())
        assert foreign is not None
        foreign.failed(ForeignError("elsewhere"))
    assert logs.messages() == [
        "movies_details GET /3/movie/{movie_id}: attempt 1 got ReadError, retrying in 0.50 s",
        "movies_details GET /3/movie/{movie_id} -> 200 RuntimeError in 500.0 ms (attempt 2, cache miss)",
        "movies_details GET /3/movie/{movie_id} -> ForeignError in 0.0 ms (attempt 1)",
    ]


def test_a_call_by_path_is_named_by_its_method_and_path_and_its_parse_failure_has_a_status() -> None:
    events: list[CallEvent] = []
    hooks = Hooks(on_request=events.append, on_error=events.append)
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=b"<html>maintenance</html>"))
    tmdb = TMDB(access_token="observe-token", transport=transport, retry=None, hooks=hooks)
    with tmdb, pytest.raises(ResponseParseError):
        tmdb.request("GET", "/3/movie/550")
    assert [(e.stage, e.operation, e.path, e.status) for e in events] == [
        ("request", "GET /3/movie/550", "/3/movie/550", None),
        ("error", "GET /3/movie/550", "/3/movie/550", 200),
    ]


# -- the TMDB_LOG switch ----------------------------------------------------------------------------


def switch_handlers(name: str) -> list[logging.Handler]:
    return [h for h in logging.getLogger(name).handlers if isinstance(h, tmdb_logs._SwitchHandler)]


def test_configuring_puts_the_redacting_filter_back_on_the_package_logger(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logger, "filters", [])
    configure_from_env({})
    assert len(logger.filters) == 1
    with captured(level=logging.INFO) as logs:
        logger.info("GET /3/movie/550?api_key=%s", API_KEY)
    assert logs.messages() == ["GET /3/movie/550?api_key=***"]


def test_an_unknown_value_is_reported_once_with_the_values_it_takes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(configure_from_env, "warned", raising=False)
    handlers = list(logger.handlers)
    with captured(level=logging.WARNING) as logs:
        configure_from_env({"TMDB_LOG": " Verbose "})
        configure_from_env({"TMDB_LOG": "trace"})
    assert logs.messages() == ["TMDB_LOG='verbose' is not one of: debug, info; ignored"]
    assert logger.handlers == handlers and logger.level == logging.WARNING


def test_without_tmdb_log_nothing_is_configured_or_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(configure_from_env, "warned", raising=False)
    handlers = list(logger.handlers)
    with captured(level=logging.WARNING) as logs:
        configure_from_env({})
        configure_from_env({"TMDB_LOG": "  "})
    assert logs.messages() == []
    assert logger.handlers == handlers and logger.level == logging.WARNING


def test_uninstall_undoes_the_switch_on_both_loggers() -> None:
    httpx_logger = logging.getLogger("httpx")
    configure_from_env({"TMDB_LOG": "debug"})
    assert len(switch_handlers("tmdb_sdk")) == 1 and len(switch_handlers("httpx")) == 1
    assert (logger.level, httpx_logger.level) == (logging.DEBUG, logging.DEBUG)
    uninstall()
    assert switch_handlers("tmdb_sdk") == [] and switch_handlers("httpx") == []
    assert (logger.level, httpx_logger.level) == (logging.NOTSET, logging.NOTSET)
