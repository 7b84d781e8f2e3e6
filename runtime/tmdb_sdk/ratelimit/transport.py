"""The rate limit as an httpx transport layer, the last before the pool (RetryTransport -> CacheLayer ->
RateLimitLayer -> pool). The logic is written once, as a coroutine doing its I/O through tmdb_sdk._io:
RateLimitTransport runs it with SyncIO, AsyncRateLimitTransport awaits it with AsyncIO, RateLimitLayer is both."""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from .._io import IO
from ..errors import parse_retry_after
from ..transport._layers import AsyncLayer, Layer, SyncLayer
from ..transport.retry import Clock
from .limit import Permit, RateLimit

# A 429 without a usable Retry-After blocks the key for this long.
DEFAULT_BLOCK = 1.0


class _ReleasingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that gives the request's concurrency slot back when it is closed."""

    def __init__(self, stream: Any, permit: Permit) -> None:
        self.stream, self.permit = stream, permit

    def __iter__(self) -> Iterator[bytes]:
        yield from self.stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.stream:
            yield chunk

    def close(self) -> None:
        try:
            self.stream.close()
        finally:
            self.permit.release()

    async def aclose(self) -> None:
        try:
            await self.stream.aclose()
        finally:
            await self.permit.arelease()


def _retry_after(response: httpx.Response, clock: Clock) -> float:
    seconds = parse_retry_after(response.headers.get("Retry-After"), clock.wall())
    return DEFAULT_BLOCK if seconds is None else seconds


class _RateLimitLogic(Layer):
    """Holds every request to `limit` before `inner` sends it; a 429 blocks the key for its Retry-After."""

    def __init__(self, inner: Any, limit: RateLimit, clock: Clock | None = None) -> None:
        self.inner, self.limit, self.clock = inner, limit, clock or Clock()

    async def send(self, request: httpx.Request, io: IO) -> httpx.Response:
        limit, clock = self.limit, self.clock
        permit = await limit.permit(request, clock, io)
        try:
            response = await io.send(self.inner, request)
        except BaseException:
            await permit.give_back(io)
            raise
        if response.status_code == 429:
            await limit.block(_retry_after(response, clock), clock, io)
        if limit.concurrency is None:
            return response
        if hasattr(response, "_content"):  # already read (e.g. httpx.MockTransport)
            await permit.give_back(io)
        else:
            response.stream = _ReleasingStream(response.stream, permit)
        return response


class RateLimitTransport(_RateLimitLogic, SyncLayer):
    """The rate-limit layer over a sync transport (TMDB)."""


class AsyncRateLimitTransport(_RateLimitLogic, AsyncLayer):
    """The rate-limit layer over an async transport (AsyncTMDB)."""


class RateLimitLayer(RateLimitTransport, AsyncRateLimitTransport):
    """Both in one, for a chain built without knowing whether the pool below is sync or async."""
