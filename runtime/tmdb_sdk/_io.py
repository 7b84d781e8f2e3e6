"""How one source serves TMDB and AsyncTMDB: the logic is written once, as coroutines, and only I/O differs.

Every piece of logic that waits on I/O (a call, the retry loop, the user flows, paging) is an
`async def` that does its I/O through an `IO` object. AsyncTMDB awaits it with `AsyncIO`, whose
methods await the async pool and `asyncio.sleep`. TMDB runs the same coroutine with `SyncIO`, whose
methods block on the sync pool and `time.sleep` and never suspend, so `run_sync` finishes the
coroutine in one step, without an event loop. The twins are the one-line methods below.
"""
from __future__ import annotations

from collections.abc import AsyncGenerator, Coroutine, Iterator
from typing import Any, Protocol, TypeVar

import httpx

T = TypeVar("T")


class IO(Protocol):
    async def send(self, transport: Any, request: httpx.Request) -> httpx.Response: ...
    async def read(self, response: httpx.Response) -> bytes: ...
    async def read_raw(self, response: httpx.Response) -> bytes: ...
    async def sleep(self, clock: Any, seconds: float) -> None: ...


class SyncIO:
    """Blocking I/O; its coroutines complete without suspending."""

    async def send(self, transport: httpx.BaseTransport, request: httpx.Request) -> httpx.Response:
        return transport.handle_request(request)

    async def read(self, response: httpx.Response) -> bytes:
        return response.read()

    async def read_raw(self, response: httpx.Response) -> bytes:
        return b"".join(response.iter_raw())

    async def sleep(self, clock: Any, seconds: float) -> None:
        clock.sleep(seconds)


class AsyncIO:
    """Awaited I/O for AsyncTMDB."""

    async def send(self, transport: httpx.AsyncBaseTransport, request: httpx.Request) -> httpx.Response:
        return await transport.handle_async_request(request)

    async def read(self, response: httpx.Response) -> bytes:
        return await response.aread()

    async def read_raw(self, response: httpx.Response) -> bytes:
        return b"".join([chunk async for chunk in response.aiter_raw()])

    async def sleep(self, clock: Any, seconds: float) -> None:
        await clock.async_sleep(seconds)


SYNC_IO = SyncIO()
ASYNC_IO = AsyncIO()


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that does its I/O through SyncIO (it never suspends)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a TMDB call suspended: an async hook or transport was given to the sync client")


def iterate_sync(iterator: AsyncGenerator[T, None]) -> Iterator[T]:
    """A sync iterator over an async generator that does its I/O through SyncIO."""
    try:
        while True:
            try:
                item: T = run_sync(iterator.__anext__())
            except StopAsyncIteration:
                return
            yield item
    finally:
        run_sync(iterator.aclose())
