"""Hooks and raw responses in detail: the exact warning for a raising hook, callable objects as
hooks, merged views, and what a raw response reports (elapsed time, errors, late parsing, masking)."""

from __future__ import annotations

import logging

import httpx
import pytest
from services_support import Ticker, captured
from tmdb_sdk import TMDB, ConfigurationError, NotFoundError, ResponseParseError, TransportError
from tmdb_sdk.hooks import CallEvent, Hooks
from tmdb_sdk.raw import RawResponse
from tmdb_sdk.redact import public_url
from tmdb_sdk.transport.retry import Clock

PATH = "/3/movie/{movie_id}"
GUEST_TEMPLATE = "/3/guest_session/{guest_session_id}/rated/movies"
# Never given to a client, so never registered for masking by value: only the template can mask it.
GUEST_ID = "guest-d1e7a9c4b2f0"


def event(stage: str = "request") -> CallEvent:
    return CallEvent(stage, "movies_details", "GET", PATH)  # type: ignore[arg-type]


def failing_hook(event: CallEvent) -> None:
    raise RuntimeError("hook bug")


class CallableHook:
    """A hook that is an object with __call__ (no __qualname__ of its own)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, event: CallEvent) -> None:
        raise LookupError("object hook bug")

    def __repr__(self) -> str:
        return "<CallableHook>"


class AsyncCallableHook:
    """A hook object whose __call__ is a coroutine function."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def __call__(self, event: CallEvent) -> None:
        self.seen.append(event.stage)


def warnings_of(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    return [r for r in records if r.levelno == logging.WARNING]


# -- hooks ------------------------------------------------------------------------------------------


def test_a_raising_hook_is_reported_on_its_first_failure_with_the_full_message() -> None:
    hooks = Hooks(on_response=failing_hook)
    with captured() as logs:
        hooks.emit(event("response"))
    (warning,) = warnings_of(logs.records)
    assert warning.getMessage() == (
        "tmdb_sdk: the on_response hook failing_hook raised RuntimeError while movies_details was called; "
        "the call goes on (this hook's later failures are not reported)"
    )
    assert warning.exc_info is not None and isinstance(warning.exc_info[1], RuntimeError)
    assert hooks.failures(failing_hook) == 1


def test_a_hook_object_is_named_by_its_repr_in_the_warning() -> None:
    hook = CallableHook()
    hooks = Hooks(on_error=hook)
    with captured() as logs:
        hooks.emit(event("error"))
        hooks.emit(event("error"))
    (warning,) = warnings_of(logs.records)
    assert warning.getMessage().startswith("tmdb_sdk: the on_error hook <CallableHook> raised LookupError while ")
    assert hooks.failures(hook) == 2


def test_a_hook_that_never_raised_has_no_failures() -> None:
    def fine(e: CallEvent) -> None:
        pass

    hooks = Hooks(on_request=fine)
    hooks.emit(event())
    assert hooks.failures(fine) == 0
    assert Hooks().failures(failing_hook) == 0


def test_the_refusal_of_a_non_callable_hook_names_its_stage() -> None:
    with pytest.raises(ConfigurationError) as raised:
        Hooks(on_response=[print, "log"])  # type: ignore[list-item]
    assert str(raised.value) == "Hooks(on_response=...): 'log' is not callable"


def test_an_object_with_an_async_call_is_a_coroutine_hook() -> None:
    hooks = Hooks(on_request=AsyncCallableHook())
    assert hooks.has_async
    with pytest.raises(ConfigurationError, match="coroutine hooks need AsyncTMDB"):
        hooks.check_sync("TMDB")
    plain = Hooks(on_request=CallableHook(), on_error=failing_hook)
    assert not plain.has_async
    plain.check_sync("TMDB")  # plain functions and objects with a plain __call__ are fine


def test_a_view_that_adds_coroutine_hooks_is_a_coroutine_view() -> None:
    plain, coroutine = Hooks(on_error=failing_hook), Hooks(on_request=AsyncCallableHook())
    for merged in (plain.merged(coroutine), coroutine.merged(plain)):
        assert merged.has_async
        with pytest.raises(ConfigurationError, match="coroutine hooks need AsyncTMDB"):
            merged.check_sync("TMDB")
    assert not plain.merged(Hooks(on_request=print)).has_async


async def test_async_dispatch_reports_a_raising_hook_with_its_name_and_traceback() -> None:
    recorder = AsyncCallableHook()
    hooks = Hooks(on_retry=[failing_hook, recorder])
    with captured() as logs:
        await hooks.aemit(event("retry"))
        await hooks.aemit(event("retry"))
    (warning,) = warnings_of(logs.records)
    assert warning.getMessage().startswith("tmdb_sdk: the on_retry hook failing_hook raised RuntimeError while ")
    assert warning.exc_info is not None and isinstance(warning.exc_info[1], RuntimeError)
    assert hooks.failures(failing_hook) == 2
    assert recorder.seen == ["retry", "retry"]


# -- raw responses through a client -----------------------------------------------------------------


def client(handler: httpx.MockTransport, ticker: Ticker | None = None) -> TMDB:
    clock = Clock(monotonic=ticker) if ticker is not None else Clock()
    return TMDB(access_token="raw-details-token", transport=handler, retry=None, clock=clock)


def test_a_raw_response_times_the_call_with_the_clients_clock() -> None:
    ticker = Ticker()

    def slow(request: httpx.Request) -> httpx.Response:
        ticker.advance(0.75)
        return httpx.Response(200, json={"id": 550, "title": "Fight Club"})

    with client(httpx.MockTransport(slow), ticker) as tmdb:
        raw = tmdb.with_raw_response.movies.details(550)
    assert raw.elapsed == 0.75 and raw.attempts == 1
    assert repr(raw) == "<RawResponse movies_details 200 GET /3/movie/550 in 750.0 ms>"


def test_a_raw_response_is_returned_even_when_its_body_does_not_parse() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"<html>maintenance</html>"))
    with client(transport) as tmdb:
        raw = tmdb.with_raw_response.movies.details(550)
    assert raw.status_code == 200 and raw.text == "<html>maintenance</html>"
    with pytest.raises(ResponseParseError) as raised:
        raw.parse()
    assert raised.value.operation == "movies_details"
    assert str(raised.value).startswith("movies_details: response could not be parsed: body is not JSON")


def test_a_raw_call_raises_the_plain_calls_errors_named_by_its_operation() -> None:
    def missing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"status_code": 34, "status_message": "gone"})

    with client(httpx.MockTransport(missing)) as tmdb, pytest.raises(NotFoundError) as raised:
        tmdb.with_raw_response.movies.details(550)
    assert raised.value.operation == "movies_details"

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with client(httpx.MockTransport(refused)) as tmdb, pytest.raises(TransportError) as failed:
        tmdb.with_raw_response.movies.details(550)
    assert str(failed.value).startswith("movies_details: ConnectError talking to ")


# -- raw responses and their URL --------------------------------------------------------------------


def raw_for(url: str, template: str, **kwargs: object) -> RawResponse[object]:
    response = httpx.Response(200, request=httpx.Request("GET", url), json={})
    return RawResponse(response, operation="op", path=template, elapsed=0.25, parse=lambda r: r.json(), **kwargs)  # type: ignore[arg-type]


def test_a_raw_response_made_without_attempts_reports_one() -> None:
    assert raw_for("https://h/3/movie/1", PATH).attempts == 1


def test_a_raw_response_masks_the_path_segment_that_holds_a_session() -> None:
    raw = raw_for(f"https://h/3/guest_session/{GUEST_ID}/rated/movies?page=1", GUEST_TEMPLATE)
    assert str(raw.url) == "https://h/3/guest_session/***/rated/movies?page=1"
    assert repr(raw) == "<RawResponse op 200 GET /3/guest_session/***/rated/movies in 250.0 ms>"


def test_public_url_masks_secret_segments_by_the_template_only() -> None:
    url = httpx.URL(f"https://h/3/guest_session/{GUEST_ID}/rated/movies")
    assert str(public_url(url, GUEST_TEMPLATE)) == "https://h/3/guest_session/***/rated/movies"
    assert str(public_url(url)) == f"https://h/3/guest_session/{GUEST_ID}/rated/movies"  # no template: not known
    other = httpx.URL(f"https://h/3/movie/{GUEST_ID}")
    assert str(public_url(other, PATH)) == f"https://h/3/movie/{GUEST_ID}"  # an ordinary segment is kept


def test_public_url_masks_a_secret_whose_value_holds_an_equals_sign() -> None:
    url = httpx.URL("https://h/3/movie/1?api%5Fkey=abc=def&page=2")
    assert public_url(url).query == b"api%5Fkey=***&page=2"
