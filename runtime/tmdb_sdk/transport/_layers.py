"""What the cache and rate-limit layers share: an httpx transport over one coroutine, and the reading
of a client's `cache=` / `rate_limit=` argument.

A layer's logic is `send(request, io)`, written once (tmdb_sdk._io); SyncLayer runs it for TMDB,
AsyncLayer awaits it for AsyncTMDB, and a class deriving from both serves either pool.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from .._io import ASYNC_IO, IO, SYNC_IO, run_sync
from ..errors import ConfigurationError

T = TypeVar("T")


class Layer:
    """A transport layer over `inner`."""

    inner: Any

    async def send(self, request: httpx.Request, io: IO) -> httpx.Response:
        raise NotImplementedError


class SyncLayer(Layer, httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return run_sync(self.send(request, SYNC_IO))

    def close(self) -> None:
        self.inner.close()


class AsyncLayer(Layer, httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.send(request, ASYNC_IO)

    async def aclose(self) -> None:
        await self.inner.aclose()


def coerce(value: object, cls: type[T], from_url: Callable[[str], T], argument: str, takes: str) -> tuple[T | None, bool]:
    """(the layer for a client's argument, whether the client owns it): None or False for none, True for
    the defaults, a URL for one made from it (all three owned), or a `cls` instance to share."""
    if value is None or value is False:
        return None, False
    if value is True:
        return cls(), True
    if isinstance(value, str):
        return from_url(value), True
    if isinstance(value, cls):
        return value, False
    raise ConfigurationError(f"{argument}= takes {takes}, True or None, not {type(value).__name__}")
