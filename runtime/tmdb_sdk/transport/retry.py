"""Retries as an httpx transport wrapper: 429 honouring Retry-After, 5xx and transport failures with
capped, jittered exponential backoff, bounded in attempts and total time.

Which requests may be repeated:
- a 429, or a connection that never opened (connect error/timeout, pool timeout), for every method:
  TMDB did not act on the request;
- 5xx, read/write timeouts and broken connections (before or while the body is read) only for methods
  in `RetryPolicy.methods`
  (default GET, HEAD, OPTIONS, PUT). TMDB's POSTs create things (lists, tokens, sessions) and a
  repeated DELETE of a session or rating fails after the first one succeeded, so both are opt-in:
  `RetryPolicy(methods=ALL_METHODS)`.
"""
from __future__ import annotations

import random
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from .. import _defaults
from .._call_limits import NO_LIMITS, CallLimits, DeadlineExceeded, exceeded, remaining
from .._io import ASYNC_IO, IO, SYNC_IO, run_sync
from ..errors import ConfigurationError, parse_retry_after

IDEMPOTENT_METHODS = _defaults.RETRY_METHODS
ALL_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "POST", "DELETE", "PATCH"})
RETRY_STATUSES = _defaults.RETRY_STATUSES
# Failures where the request never reached TMDB, so repeating it cannot act twice.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# request.extensions key: how many attempts the retry layer made (read by error messages and hooks).
ATTEMPTS = "tmdb_attempts"
# request.extensions key: the call's observer (observe.Call), told of each retry (on_retry hooks, log).
CALL = "tmdb_call"


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # importing asyncio costs ~15 ms; sync users never need it

    await asyncio.sleep(seconds)


def _buffered(response: httpx.Response, raw: bytes) -> httpx.Response:
    """`response` with its body already received (still encoded: the client decodes it as usual).

    A body is otherwise read after the transport has returned, out of the retry loop's reach; reading
    it here lets a connection that breaks mid-body be retried like one that breaks before the headers.
    Bodies that arrived whole (is_stream_consumed, e.g. from httpx.MockTransport) are returned as they are.
    """
    return httpx.Response(
        response.status_code, headers=response.headers, stream=httpx.ByteStream(raw), extensions=response.extensions
    )


@dataclass(frozen=True, slots=True, init=False)
class RetryPolicy:
    """How often and how long to retry; `RetryPolicy.none()` turns retries off.

    max_server_delay: a Retry-After longer than this is not slept through (the 429 goes to the caller, as
    RateLimitError with TMDB's `retry_after`). `max_retry_after` is its deprecated name.
    """

    max_attempts: int
    backoff_base: float
    backoff_max: float
    max_server_delay: float
    max_total: float
    methods: frozenset[str]

    def __init__(
        self,
        max_attempts: int = _defaults.RETRY_MAX_ATTEMPTS,
        backoff_base: float = _defaults.RETRY_BACKOFF_BASE,
        backoff_max: float = _defaults.RETRY_BACKOFF_MAX,
        max_server_delay: float = _defaults.RETRY_MAX_RETRY_AFTER,
        max_total: float = _defaults.RETRY_MAX_TOTAL,
        methods: frozenset[str] = IDEMPOTENT_METHODS,
        *,
        max_retry_after: float | None = None,
    ) -> None:
        if max_retry_after is not None:
            warnings.warn("RetryPolicy(max_retry_after=) is deprecated: use max_server_delay=", DeprecationWarning,
                          stacklevel=2)
            max_server_delay = max_retry_after
        for name, value in (("max_attempts", max_attempts), ("backoff_base", backoff_base),
                            ("backoff_max", backoff_max), ("max_server_delay", max_server_delay),
                            ("max_total", max_total), ("methods", methods)):
            object.__setattr__(self, name, value)
        if self.max_attempts < 1:
            raise ConfigurationError(f"RetryPolicy.max_attempts must be at least 1, got {self.max_attempts}")
        for name in ("backoff_base", "backoff_max", "max_server_delay", "max_total"):
            if getattr(self, name) < 0:
                raise ConfigurationError(f"RetryPolicy.{name} must not be negative")

    @property
    def max_retry_after(self) -> float:
        """Deprecated name of `max_server_delay`."""
        warnings.warn("RetryPolicy.max_retry_after is deprecated: use max_server_delay", DeprecationWarning,
                      stacklevel=2)
        return self.max_server_delay

    @classmethod
    def none(cls) -> RetryPolicy:
        return cls(max_attempts=1)

    def backoff(self, attempt: int, rand: float) -> float:
        """Delay before attempt `attempt + 1`: exponential, capped, with the upper half jittered."""
        ceiling = min(self.backoff_max, self.backoff_base * 2.0 ** (attempt - 1))
        return ceiling / 2 + ceiling / 2 * rand

    def delay_for_status(
        self, method: str, status: int, retry_after: float | None, attempt: int, elapsed: float, rand: float
    ) -> float | None:
        """Seconds to wait before retrying a response with `status`, or None to hand the response back."""
        if status not in RETRY_STATUSES or attempt >= self.max_attempts:
            return None
        if status != 429 and method not in self.methods:
            return None
        if retry_after is not None:
            if retry_after > self.max_server_delay:
                return None
            delay = retry_after
        else:
            delay = self.backoff(attempt, rand)
        return delay if elapsed + delay <= self.max_total else None

    def delay_for_error(self, method: str, exc: Exception, attempt: int, elapsed: float, rand: float) -> float | None:
        """Seconds to wait before retrying after a transport failure, or None to raise it."""
        if attempt >= self.max_attempts or not isinstance(exc, httpx.TransportError):
            return None
        if not isinstance(exc, _NOT_SENT) and method not in self.methods:
            return None
        delay = self.backoff(attempt, rand)
        return delay if elapsed + delay <= self.max_total else None


@dataclass(frozen=True, slots=True)
class Clock:
    """Time seams, replaced in tests so retries can be checked without waiting."""

    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    async_sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep
    random: Callable[[], float] = random.random


async def retrying(
    inner: object, request: httpx.Request, policy: RetryPolicy, clock: Clock, io: IO, limits: CallLimits = NO_LIMITS,
) -> httpx.Response:
    """Sends `request` through `inner` until it succeeds or `policy` gives up (the one retry loop).

    The number of attempts made is left on `request.extensions["tmdb_attempts"]`; `limits` puts the call's
    deadline and body cap on the request (_call_limits). No attempt starts past the deadline, and no
    sleep that would end past it: the last response or failure is handed back instead, as at max_total.
    """
    limits.apply(request)
    if policy.max_attempts == 1:
        request.extensions[ATTEMPTS] = 1
        return await io.send(inner, request)
    start, attempt, deadline = clock.monotonic(), 1, limits.deadline
    while True:
        request.extensions[ATTEMPTS] = attempt
        if attempt > 1 and (left := remaining(request)) is not None and left <= 0:
            raise exceeded(request, f"no time left for attempt {attempt}")
        response, failure = None, None
        try:
            response = await io.send(inner, request)
            if response.status_code in RETRY_STATUSES:
                retry_after = parse_retry_after(response.headers.get("Retry-After"), clock.wall())
                delay = policy.delay_for_status(
                    request.method, response.status_code, retry_after, attempt, clock.monotonic() - start,
                    clock.random(),
                )
                if delay is None or _passes(deadline, clock.monotonic() - start + delay):
                    return response
                if not response.is_stream_consumed:
                    await io.read_raw(response)  # drained, so the connection goes back to the pool
            elif request.method not in policy.methods or response.is_stream_consumed:
                return response
            else:
                return _buffered(response, await io.read_raw(response))
        except DeadlineExceeded:
            raise
        except httpx.TransportError as exc:  # also a body cut short: a failure like any other
            delay = policy.delay_for_error(request.method, exc, attempt, clock.monotonic() - start, clock.random())
            if delay is None or _passes(deadline, clock.monotonic() - start + delay):
                raise
            response, failure = None, exc
        call = request.extensions.get(CALL)
        if call is not None:
            await call.aretry(response, failure, delay)
        await io.sleep(clock, delay)
        attempt += 1


def _passes(deadline: float | None, elapsed_after_wait: float) -> bool:
    """Whether a wait ending `elapsed_after_wait` seconds into the call reaches the deadline: not started."""
    return deadline is not None and elapsed_after_wait >= deadline


class RetryTransport(httpx.BaseTransport):
    """Wraps a transport (and its connection pool) with `policy`; closing it closes the wrapped one."""

    def __init__(
        self, inner: httpx.BaseTransport, policy: RetryPolicy, clock: Clock = Clock(), limits: CallLimits = NO_LIMITS
    ) -> None:
        self.inner, self.policy, self.clock, self.limits = inner, policy, clock, limits

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return run_sync(retrying(self.inner, request, self.policy, self.clock, SYNC_IO, self.limits))

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """RetryTransport for async transports: the same loop, awaited."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, policy: RetryPolicy, clock: Clock = Clock(),
        limits: CallLimits = NO_LIMITS,
    ) -> None:
        self.inner, self.policy, self.clock, self.limits = inner, policy, clock, limits

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await retrying(self.inner, request, self.policy, self.clock, ASYNC_IO, self.limits)

    async def aclose(self) -> None:
        await self.inner.aclose()
