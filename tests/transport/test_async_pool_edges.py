"""AsyncPool's own edges: slots handed over between tasks, cancellation at the hand-over, event
loops that end or change, against a small asyncio server on 127.0.0.1 (every wait bounded)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Self

import httpx
import pytest
from tmdb_sdk.transport._async_pool import AsyncPool

BODY = b'{"id": 550}'
TIMEOUT = {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}


class Server:
    """Answers each request after `await delay(n)` (n: 0, 1, ... in arrival order) with BODY."""

    def __init__(self, delay: Callable[[int], Awaitable[None]] | None = None) -> None:
        self.delay = delay
        self.requests = 0
        self.connections = 0
        self.closed_by_client = 0
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def __aenter__(self) -> Self:
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        await asyncio.wait_for(self.server.wait_closed(), 3)

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/3/movie/550"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.add(writer)
        try:
            for _ in range(100):
                try:
                    await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    self.closed_by_client += 1
                    return
                n, self.requests = self.requests, self.requests + 1
                if self.delay is not None:
                    await self.delay(n)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY))
                await writer.drain()
        finally:
            writer.close()


def get(url: str, pool_timeout: float = 3.0) -> httpx.Request:
    return httpx.Request("GET", url, extensions={"timeout": {**TIMEOUT, "pool": pool_timeout}})


def test_a_waiter_cancelled_just_as_it_is_handed_the_slot_passes_it_on():
    # The only slot goes from `first` to `second` at the very moment `second` is cancelled: `third`,
    # queued behind it, must get the slot, not wait for ever.
    release = asyncio.Event()

    async def delay(n: int) -> None:
        if n == 0:
            await asyncio.wait_for(release.wait(), 3)

    async def main() -> None:
        pool = AsyncPool(httpx.Limits(max_connections=1))
        async with Server(delay) as server:
            second: asyncio.Task[httpx.Response] | None = None

            async def first_then_cancel_second() -> httpx.Response:
                response = await pool.handle_async_request(get(server.url))
                assert second is not None
                second.cancel()  # the slot was just handed to `second`, which has not run yet
                return response

            first = asyncio.create_task(first_then_cancel_second())
            await asyncio.sleep(0.02)
            second = asyncio.create_task(pool.handle_async_request(get(server.url)))
            third = asyncio.create_task(pool.handle_async_request(get(server.url)))
            await asyncio.sleep(0.02)  # both wait for the slot
            release.set()
            assert (await asyncio.wait_for(first, 3)).content == BODY
            with pytest.raises(asyncio.CancelledError):
                await second
            assert (await asyncio.wait_for(third, 3)).content == BODY
            assert (await asyncio.wait_for(pool.handle_async_request(get(server.url, 0.5)), 3)).content == BODY
            assert server.requests == 3  # `second` never sent its request
            await pool.aclose()

    asyncio.run(main())


def test_a_waiter_that_timed_out_is_skipped_when_the_slot_is_handed_over():
    release = asyncio.Event()

    async def delay(n: int) -> None:
        if n == 0:
            await asyncio.wait_for(release.wait(), 3)

    async def main() -> None:
        pool = AsyncPool(httpx.Limits(max_connections=1))
        async with Server(delay) as server:
            first = asyncio.create_task(pool.handle_async_request(get(server.url)))
            await asyncio.sleep(0.02)
            with pytest.raises(httpx.PoolTimeout):
                await pool.handle_async_request(get(server.url, 0.02))
            patient = asyncio.create_task(pool.handle_async_request(get(server.url)))
            await asyncio.sleep(0.02)
            release.set()
            assert [r.content for r in await asyncio.wait_for(asyncio.gather(first, patient), 3)] == [BODY, BODY]
            await pool.aclose()

    asyncio.run(main())


def test_every_slot_is_usable_again_after_the_queue_drained():
    async def delay(n: int) -> None:
        await asyncio.sleep(0.01)

    async def main() -> None:
        pool = AsyncPool(httpx.Limits(max_connections=2, max_keepalive_connections=2))
        async with Server(delay) as server:
            calls = [pool.handle_async_request(get(server.url)) for _ in range(6)]
            assert all(r.content == BODY for r in await asyncio.wait_for(asyncio.gather(*calls), 5))
            # Both slots free: two calls at once, neither waits for the pool.
            both = [pool.handle_async_request(get(server.url, 0.005)) for _ in range(2)]
            assert all(r.content == BODY for r in await asyncio.wait_for(asyncio.gather(*both), 5))
            assert server.connections == 2
            await pool.aclose()

    asyncio.run(main())


def test_a_second_event_loop_gets_every_slot_and_a_new_connection():
    pool = AsyncPool(httpx.Limits(max_connections=1, max_keepalive_connections=1))

    async def main() -> int:
        async with Server() as server:
            stuck = asyncio.create_task(pool.handle_async_request(get(server.url)))
            response = await asyncio.wait_for(pool.handle_async_request(get(server.url)), 3)
            assert response.content == BODY
            stuck.cancel()  # this loop ends with the slot free again; the next starts afresh anyway
            return server.connections

    assert asyncio.run(main()) == 1

    async def again() -> tuple[bytes, int]:
        async with Server() as server:
            response = await asyncio.wait_for(pool.handle_async_request(get(server.url, 0.2)), 3)
            await pool.aclose()
            return response.content, server.connections

    assert asyncio.run(again()) == (BODY, 1)


def test_a_loop_that_ended_while_holding_the_slot_does_not_starve_the_next_loop():
    pool = AsyncPool(httpx.Limits(max_connections=1))

    async def hold() -> None:
        gate = asyncio.Event()

        async def delay(n: int) -> None:
            gate.set()
            await asyncio.sleep(3)

        async with Server(delay) as server:
            call = asyncio.create_task(pool.handle_async_request(get(server.url)))
            await asyncio.wait_for(gate.wait(), 3)
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            second = asyncio.create_task(pool.handle_async_request(get(server.url)))
            await asyncio.sleep(0.01)
            second.cancel()
            with pytest.raises(asyncio.CancelledError):
                await second

    asyncio.run(hold())

    async def next_loop() -> bytes:
        async with Server() as server:
            return (await asyncio.wait_for(pool.handle_async_request(get(server.url, 0.2)), 3)).content

    assert asyncio.run(next_loop()) == BODY


def test_closing_the_pool_after_its_event_loop_ended_does_not_fail():
    pool = AsyncPool(httpx.Limits())

    async def use() -> bytes:
        async with Server() as server:
            return (await asyncio.wait_for(pool.handle_async_request(get(server.url)), 3)).content

    assert asyncio.run(use()) == BODY
    asyncio.run(pool.aclose())  # the connection's loop is closed: nothing to do for it
