"""What the call path does around each call: hooks, the log line and the OpenTelemetry span.

The core asks its `Observer` for a `Call` when a call starts; None means nobody is watching (no
hooks, no tracer provider, the `tmdb_sdk` logger off) and the call goes the plain way. Otherwise:

    call = observer.start("movies_details", "/3/movie/{movie_id}", request)
    request.extensions["tmdb_call"] = call     # the retry layer finds it there
    call.begin()                               # on_request           (async: await call.abegin())
    ...                                        # the retry layer: call.retry(...) per retry (aretry)
    call.succeeded(response)                   # on_response, span ok, log line (asucceeded)
    call.failed(error, response)               # on_error, span error, log line (afailed)

`CoreObserver` does exactly this as the call path's `Core.hooks`.

`Call` also counts the attempts and times the call, which raw responses report.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from .logs import logger
from .redact import redact
from .telemetry import CallSpan, Tracing

if TYPE_CHECKING:
    from .hooks import CallEvent, Hooks, Stage

_INFO = logging.INFO
CALL_EXTENSION = "tmdb_call"
CACHE_EXTENSION = "tmdb_cache"


class Observer:
    """Hooks, tracing and logging of one client (or with_options view); immutable once made."""

    __slots__ = ("hooks", "monotonic", "tracing")

    def __init__(self, hooks: Hooks | None, tracing: Tracing | None, monotonic: Callable[[], float]) -> None:
        self.hooks = hooks if hooks else None
        self.tracing = tracing
        self.monotonic = monotonic

    def start(self, operation: str, path: str, request: httpx.Request, *, always: bool = False) -> Call | None:
        """A Call for this request, or None when nothing watches it (unless `always`: raw responses)."""
        span = self.tracing.start(operation, request, path) if self.tracing is not None else None
        if span is None and self.hooks is None and not always and not logger.isEnabledFor(_INFO):
            return None
        return Call(self, operation, request.method, path, span)


def cache_status(response: httpx.Response | None) -> str | None:
    """The cache's verdict on a response ("hit", "miss", ...), None without a cache."""
    if response is None:
        return None
    value = response.extensions.get(CACHE_EXTENSION)
    return None if value is None else str(value)


def _status_of(error: BaseException) -> int | None:
    status = getattr(error, "http_status", None)
    return status if isinstance(status, int) else None


class Call:
    """One call under observation; `attempt` is the attempt in progress (1-based)."""

    __slots__ = ("_hooks", "_monotonic", "_span", "attempt", "method", "operation", "path", "started")

    def __init__(self, observer: Observer, operation: str, method: str, path: str, span: CallSpan | None) -> None:
        self._hooks = observer.hooks
        self._monotonic = observer.monotonic
        self._span = span
        self.operation, self.method, self.path = operation, method, path
        self.attempt = 1
        self.started = observer.monotonic()

    @property
    def elapsed(self) -> float:
        return self._monotonic() - self.started

    @property
    def retries(self) -> int:
        return self.attempt - 1

    def _event(self, stage: Stage, **fields: object) -> CallEvent | None:
        if self._hooks is None or not self._hooks.hooks(stage):
            return None
        from .hooks import CallEvent  # loaded already: self._hooks is a Hooks

        return CallEvent(stage, self.operation, self.method, self.path, self.attempt, elapsed=self.elapsed, **fields)  # type: ignore[arg-type]

    # -- stages, sync ----------------------------------------------------------------------------

    def begin(self) -> None:
        event = self._event("request")
        if event is not None:
            self._hooks.emit(event)  # type: ignore[union-attr]

    def retry(self, response: httpx.Response | None, error: BaseException | None, delay: float) -> None:
        """Attempt `self.attempt` failed (a response to retry, or a transport error); another follows."""
        event = self._retrying(response, error, delay)
        if event is not None:
            self._hooks.emit(event)  # type: ignore[union-attr]

    def succeeded(self, response: httpx.Response) -> None:
        event = self._succeeded(response)
        if event is not None:
            self._hooks.emit(event)  # type: ignore[union-attr]

    def failed(self, error: BaseException, response: httpx.Response | None = None) -> None:
        event = self._failed(error, response)
        if event is not None:
            self._hooks.emit(event)  # type: ignore[union-attr]

    # -- stages, async: the same, awaiting coroutine hooks ----------------------------------------

    async def abegin(self) -> None:
        event = self._event("request")
        if event is not None:
            await self._hooks.aemit(event)  # type: ignore[union-attr]

    async def aretry(self, response: httpx.Response | None, error: BaseException | None, delay: float) -> None:
        event = self._retrying(response, error, delay)
        if event is not None:
            await self._hooks.aemit(event)  # type: ignore[union-attr]

    async def asucceeded(self, response: httpx.Response) -> None:
        event = self._succeeded(response)
        if event is not None:
            await self._hooks.aemit(event)  # type: ignore[union-attr]

    async def afailed(self, error: BaseException, response: httpx.Response | None = None) -> None:
        event = self._failed(error, response)
        if event is not None:
            await self._hooks.aemit(event)  # type: ignore[union-attr]

    def abandoned(self, error: BaseException) -> None:
        """Cancelled or interrupted: the span and the log line end, no hook runs."""
        self._failed(error, None)

    # -- shared ----------------------------------------------------------------------------------

    def _retrying(self, response: httpx.Response | None, error: BaseException | None, delay: float) -> CallEvent | None:
        status = response.status_code if response is not None else None
        if logger.isEnabledFor(logging.DEBUG):
            outcome = status if status is not None else type(error).__name__
            logger.debug(
                "%s %s %s: attempt %d got %s, retrying in %.2f s",
                self.operation, self.method, self.path, self.attempt, outcome, delay,
            )
        event = self._event("retry", status=status, error=error, retry_in=delay, cache=cache_status(response))
        self.attempt += 1
        return event

    def _succeeded(self, response: httpx.Response) -> CallEvent | None:
        cache = cache_status(response)
        if self._span is not None:
            self._span.success(response.status_code, self.retries, cache)
        if logger.isEnabledFor(_INFO):
            self._log(str(response.status_code), cache)
        return self._event("response", status=response.status_code, cache=cache)

    def _failed(self, error: BaseException, response: httpx.Response | None) -> CallEvent | None:
        status = response.status_code if response is not None else _status_of(error)
        cache = cache_status(response)
        if self._span is not None:
            self._span.failure(error, status, self.retries, cache)
        if logger.isEnabledFor(_INFO):
            self._log(f"{status} {type(error).__name__}" if status is not None else type(error).__name__, cache)
        return self._event("error", status=status, error=error, cache=cache)

    def _log(self, outcome: str, cache: str | None) -> None:
        logger.info(
            "%s %s %s -> %s in %.1f ms (attempt %d%s)",
            self.operation, self.method, self.path, outcome, self.elapsed * 1000, self.attempt,
            f", cache {cache}" if cache is not None else "",
        )


class CoreObserver:
    """The core's hooks object (_core.Hooks): starts a Call before the first attempt, leaves it on
    request.extensions["tmdb_call"] for the retry layer, and ends it with the call's outcome."""

    __slots__ = ("observer",)

    def __init__(self, observer: Observer) -> None:
        self.observer = observer

    async def before(self, info: Any, request: httpx.Request) -> None:
        if info is not None:
            operation, path = info.operation_id, info.path
        else:  # request("GET", "/3/...") by path: the path is its own template
            path = redact(request.url.path)
            operation = f"{request.method} {path}"
        call = self.observer.start(operation, path, request)
        if call is not None:
            request.extensions[CALL_EXTENSION] = call
            await call.abegin()

    async def after(self, info: Any, request: httpx.Request, response: httpx.Response) -> None:
        call = request.extensions.get(CALL_EXTENSION)
        if call is not None:
            await call.asucceeded(response)

    async def error(
        self, info: Any, request: httpx.Request, error: BaseException, response: httpx.Response | None = None
    ) -> None:
        call = request.extensions.get(CALL_EXTENSION)
        if call is not None:
            await call.afailed(error, response)

    def abandon(self, request: httpx.Request, error: BaseException) -> None:
        call = request.extensions.get(CALL_EXTENSION)
        if call is not None:
            call.abandoned(error)
