"""AsyncTMDB's default connection pool: aiohttp's, under httpx's transport API (httpx-aiohttp).

At 50 concurrent calls it delivers ~4x the calls/s of httpx's own async pool, whose bookkeeping
grows with the number of connections (BENCHMARKS.md). Two behaviours of httpx-aiohttp 0.2 are
corrected so that the retry layer decides as it does over httpx's pool:
- every aiohttp.ClientConnectionError, a refused or dropped connection included, arrives as
  httpx.ConnectTimeout ("never sent, safe to repeat"), while reading the body too;
- aiohttp repeats an idempotent request once by itself when the server closes the connection,
  which would multiply RetryPolicy.max_attempts.
Imported only when an AsyncTMDB is created without a transport: aiohttp costs ~60 ms at import.
"""
from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport


def _corrected(exc: httpx.ConnectTimeout, request: httpx.Request) -> httpx.TransportError:
    """The httpx error that says what happened behind a ConnectTimeout from httpx-aiohttp."""
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientConnectorError):  # DNS, refused: nothing was sent
        return httpx.ConnectError(str(cause), request=request)
    if isinstance(cause, aiohttp.ClientConnectionError) and not isinstance(cause, TimeoutError):
        return httpx.ReadError(str(cause), request=request)  # dropped after the request went out
    return exc


class _CorrectedStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._inner, self._request = inner, request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except httpx.ConnectTimeout as exc:
            raise _corrected(exc, self._request) from exc.__cause__

    async def aclose(self) -> None:
        await self._inner.aclose()


class AiohttpPool(AiohttpTransport):
    """httpx-aiohttp's transport with the two corrections above."""

    def get_client(self) -> aiohttp.ClientSession:
        session = super().get_client()
        # Retrying is RetryTransport's job. A private attribute, hence the guard: if a later aiohttp
        # drops it, the worst case is one extra attempt per failure, as before this correction.
        if hasattr(session, "_retry_connection"):
            session._retry_connection = False
        return session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await super().handle_async_request(request)
        except httpx.ConnectTimeout as exc:
            corrected = _corrected(exc, request)
            if corrected is exc:
                raise
            raise corrected from exc.__cause__
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _CorrectedStream(response.stream, request)
        return response


def async_pool(limits: httpx.Limits, proxy: str | None) -> httpx.AsyncBaseTransport:
    return AiohttpPool(limits=limits, proxy=httpx.Proxy(proxy) if proxy else None)
