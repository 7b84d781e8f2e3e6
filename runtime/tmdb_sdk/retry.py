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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from ._defaults import RETRY
from .errors import parse_retry_after

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT"})
ALL_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "POST", "DELETE", "PATCH"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Failures where the request never reached TMDB, so repeating it cannot act twice.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # importing asyncio costs ~15 ms; sync users never need it

    await asyncio.sleep(seconds)


def _buffered(response: httpx.Response, raw: bytes) -> httpx.Response:
    """`response` with its body already received (still encoded: the client decodes it as usual).

    httpx reads a body only after the transport has returned, out of the retry loop's reach; reading
    it here lets a connection that breaks mid-body be retried like one that breaks before the headers.
    Bodies that arrived whole (is_stream_consumed, e.g. from httpx.MockTransport) are returned as they are.
    """
    return httpx.Response(
        response.status_code, headers=response.headers, stream=httpx.ByteStream(raw), extensions=response.extensions
    )


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry; `RetryPolicy.none()` turns retries off."""

    max_attempts: int = RETRY.max_attempts
    backoff_base: float = RETRY.backoff_base
    backoff_max: float = RETRY.backoff_max
    max_retry_after: float = RETRY.max_retry_after
    max_total: float = RETRY.max_total
    methods: frozenset[str] = IDEMPOTENT_METHODS

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be at least 1, got {self.max_attempts}")
        for name in ("backoff_base", "backoff_max", "max_retry_after", "max_total"):
            if getattr(self, name) < 0:
                raise ValueError(f"RetryPolicy.{name} must not be negative")

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
            if retry_after > self.max_retry_after:
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


class RetryTransport(httpx.BaseTransport):
    """Wraps a transport (and its connection pool) with `policy`; closing it closes the wrapped one."""

    def __init__(self, inner: httpx.BaseTransport, policy: RetryPolicy, clock: Clock = Clock()) -> None:
        self.inner, self.policy, self.clock = inner, policy, clock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        policy, clock = self.policy, self.clock
        if policy.max_attempts == 1:
            return self.inner.handle_request(request)
        start, attempt = clock.monotonic(), 1
        while True:
            try:
                response = self.inner.handle_request(request)
            except httpx.TransportError as exc:
                delay = policy.delay_for_error(request.method, exc, attempt, clock.monotonic() - start, clock.random())
                if delay is None:
                    raise
            else:
                if response.status_code not in RETRY_STATUSES:
                    if request.method not in policy.methods or response.is_stream_consumed:
                        return response
                    try:
                        return _buffered(response, b"".join(response.iter_raw()))
                    except httpx.TransportError as exc:  # the body was cut short: a failure like any other
                        response.close()
                        delay = policy.delay_for_error(
                            request.method, exc, attempt, clock.monotonic() - start, clock.random()
                        )
                        if delay is None:
                            raise
                else:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"), clock.wall())
                    delay = policy.delay_for_status(
                        request.method, response.status_code, retry_after, attempt, clock.monotonic() - start,
                        clock.random(),
                    )
                    if delay is None:
                        return response
                    response.close()
            clock.sleep(delay)
            attempt += 1

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """The async mirror of RetryTransport."""

    def __init__(self, inner: httpx.AsyncBaseTransport, policy: RetryPolicy, clock: Clock = Clock()) -> None:
        self.inner, self.policy, self.clock = inner, policy, clock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy, clock = self.policy, self.clock
        if policy.max_attempts == 1:
            return await self.inner.handle_async_request(request)
        start, attempt = clock.monotonic(), 1
        while True:
            try:
                response = await self.inner.handle_async_request(request)
            except httpx.TransportError as exc:
                delay = policy.delay_for_error(request.method, exc, attempt, clock.monotonic() - start, clock.random())
                if delay is None:
                    raise
            else:
                if response.status_code not in RETRY_STATUSES:
                    if request.method not in policy.methods or response.is_stream_consumed:
                        return response
                    try:
                        return _buffered(response, b"".join([chunk async for chunk in response.aiter_raw()]))
                    except httpx.TransportError as exc:
                        await response.aclose()
                        delay = policy.delay_for_error(
                            request.method, exc, attempt, clock.monotonic() - start, clock.random()
                        )
                        if delay is None:
                            raise
                else:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"), clock.wall())
                    delay = policy.delay_for_status(
                        request.method, response.status_code, retry_after, attempt, clock.monotonic() - start,
                        clock.random(),
                    )
                    if delay is None:
                        return response
                    await response.aclose()
            await clock.async_sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        await self.inner.aclose()
