"""Callbacks around each call: on_request, on_response, on_retry and on_error.

    def log_slow(event: CallEvent) -> None:
        if event.elapsed > 1.0:
            print(event.operation, event.status, event.elapsed)

    tmdb = TMDB(hooks=Hooks(on_response=log_slow))

Every hook receives one `CallEvent`: the operationId, the method, the path *template* (never the URL,
whose query may hold the API key), the attempt number, the HTTP status when there is one, the time
since the call started and the cache status when a cache answered. On `AsyncTMDB` a hook may be a
coroutine function; it is awaited. A hook that raises is reported once on the `tmdb_sdk` logger
(with its traceback) and never breaks the call; later failures of the same hook are counted only.
"""
from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .errors import ConfigurationError

logger = logging.getLogger("tmdb_sdk")

Stage = Literal["request", "response", "retry", "error"]
STAGES: tuple[Stage, ...] = ("request", "response", "retry", "error")


@dataclass(frozen=True, slots=True)
class CallEvent:
    """What a hook is told about a call.

    stage:     "request" (before the first attempt), "retry" (an attempt failed and another follows),
               "response" (the call succeeded) or "error" (the call raises `error`).
    operation: the operationId, e.g. "movies_details".
    method:    the HTTP method.
    path:      the path template, e.g. "/3/movie/{movie_id}".
    attempt:   1 for the first attempt; on "retry", the attempt that failed.
    status:    the HTTP status of the attempt's response, None before one or after a transport failure.
    elapsed:   seconds since the call started.
    cache:     the cache's verdict on the response ("hit", "miss", ...) when a cache is installed, else None.
    error:     on "error", the exception the call raises; on "retry", the transport failure, if any.
    retry_in:  on "retry", the seconds waited before the next attempt.
    """

    stage: Stage
    operation: str
    method: str
    path: str
    attempt: int = 1
    status: int | None = None
    elapsed: float = 0.0
    cache: str | None = None
    error: BaseException | None = None
    retry_in: float | None = None


Hook = Callable[[CallEvent], Any]
AsyncHook = Callable[[CallEvent], Awaitable[Any]]


def _as_tuple(value: Hook | Iterable[Hook] | None, stage: str) -> tuple[Hook, ...]:
    if value is None:
        return ()
    hooks = (value,) if callable(value) else tuple(value)
    for hook in hooks:
        if not callable(hook):
            raise ConfigurationError(f"Hooks(on_{stage}=...): {hook!r} is not callable")
    return hooks


class Hooks:
    """The callbacks of a client; each argument is one callable or a sequence of them."""

    __slots__ = ("_by_stage", "_failed", "_lock", "has_async")

    def __init__(
        self,
        *,
        on_request: Hook | Iterable[Hook] | None = None,
        on_response: Hook | Iterable[Hook] | None = None,
        on_retry: Hook | Iterable[Hook] | None = None,
        on_error: Hook | Iterable[Hook] | None = None,
    ) -> None:
        given = {"request": on_request, "response": on_response, "retry": on_retry, "error": on_error}
        self._by_stage: dict[str, tuple[Hook, ...]] = {stage: _as_tuple(given[stage], stage) for stage in STAGES}
        self.has_async = any(_is_async(hook) for hooks in self._by_stage.values() for hook in hooks)
        self._failed: dict[int, int] = {}  # id(hook) -> failures so far
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return any(self._by_stage.values())

    def __repr__(self) -> str:
        parts = [f"on_{stage}={len(hooks)}" for stage, hooks in self._by_stage.items() if hooks]
        return f"Hooks({', '.join(parts)})"

    def hooks(self, stage: Stage) -> tuple[Hook, ...]:
        return self._by_stage[stage]

    def merged(self, other: Hooks | None) -> Hooks:
        """These hooks followed by `other`'s (with_options(hooks=...) adds to the client's)."""
        if not other:
            return self
        merged = Hooks()
        merged._by_stage = {stage: self._by_stage[stage] + other._by_stage[stage] for stage in STAGES}
        merged.has_async = self.has_async or other.has_async
        merged._failed, merged._lock = self._failed, self._lock  # a hook is still reported once
        return merged

    def check_sync(self, owner: str) -> None:
        """A synchronous client cannot await a coroutine hook: refuse it when the client is made."""
        if self.has_async:
            raise ConfigurationError(f"{owner}: coroutine hooks need AsyncTMDB; give TMDB plain functions")

    # -- dispatch ---------------------------------------------------------------------------------

    def emit(self, event: CallEvent) -> None:
        """Run the hooks of `event.stage` (synchronous client: every hook is a plain function)."""
        for hook in self._by_stage[event.stage]:
            try:
                hook(event)
            except Exception as exc:  # noqa: BLE001 - a hook never breaks the call
                self._report(hook, event, exc)

    async def aemit(self, event: CallEvent) -> None:
        """Run the hooks of `event.stage`, awaiting what they return when it is awaitable."""
        for hook in self._by_stage[event.stage]:
            try:
                result = hook(event)
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:  # noqa: BLE001 - a hook never breaks the call
                self._report(hook, event, exc)

    def _report(self, hook: Hook, event: CallEvent, exc: Exception) -> None:
        with self._lock:
            count = self._failed.get(id(hook), 0) + 1
            self._failed[id(hook)] = count
        if count == 1:
            logger.warning(
                "tmdb_sdk: the on_%s hook %s raised %s while %s was called; the call goes on "
                "(this hook's later failures are not reported)",
                event.stage, _name(hook), type(exc).__name__, event.operation, exc_info=exc,
            )

    def failures(self, hook: Hook) -> int:
        """How many times `hook` has raised (reported once, counted always)."""
        return self._failed.get(id(hook), 0)


def _is_async(hook: Hook) -> bool:
    call = getattr(hook, "__call__", None)  # noqa: B004 - callable objects with an async __call__
    return inspect.iscoroutinefunction(hook) or (call is not None and inspect.iscoroutinefunction(call))


def _name(hook: Hook) -> str:
    return getattr(hook, "__qualname__", None) or repr(hook)
