"""SyncPool and AsyncPool against a scripted keep-alive server on 127.0.0.1 (bounded in time).

The fault behaviour (resets, truncation, timeouts, gzip) is covered through the clients by
tests/reliability; these check what only the pool decides: reuse, limits, loops, cancellation.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from tmdb_sdk.transport._async_pool import AsyncPool
from tmdb_sdk.transport._http11 import SyncPool

from tests.transport.loopback import read_request

BODY = b'{"id": 550, "title": "Fight Club"}'
TIMEOUT = {"connect": 2.0, "read": 2.0, "write": 2.0, "pool": 2.0}


class Server:
    """Answers every request with BODY; counts connections; optionally closes after each answer."""

    def __init__(self, close_after: bool = False, delay: float = 0.0, gzip_body: bool = False) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.02)
        self.close_after, self.delay, self.gzip_body = close_after, delay, gzip_body
        self.connections = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/3/movie/550"

    def accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        buffer = b""
        with conn:
            while not self.stopping.is_set():
                read = read_request(conn, buffer)
                if read is None:
                    return
                buffer = read[2]
                if self.delay:
                    self.stopping.wait(self.delay)
                body, extra = BODY, b""
                if self.gzip_body:
                    body, extra = gzip.compress(BODY), b"Content-Encoding: gzip\r\n"
                head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n".encode() + extra + b"\r\n"
                try:
                    conn.sendall(head + body)
                except OSError:
                    return
                if self.close_after:
                    return

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.stop()


def get(url: str, timeout: dict[str, float] = TIMEOUT) -> httpx.Request:
    return httpx.Request("GET", url, extensions={"timeout": timeout})


def test_sync_pool_reuses_one_connection(server):
    pool = SyncPool(httpx.Limits(max_connections=5, max_keepalive_connections=5))
    for _ in range(5):
        response = pool.handle_request(get(server.url))
        assert response.status_code == 200 and response.content == BODY and response.is_stream_consumed
    pool.close()
    assert server.connections == 1


def test_sync_pool_reconnects_when_the_server_closed_the_idle_connection():
    server = Server(close_after=True)
    try:
        pool = SyncPool(httpx.Limits(max_connections=1, max_keepalive_connections=1))
        for _ in range(3):
            assert pool.handle_request(get(server.url)).content == BODY
        assert server.connections == 3
    finally:
        server.stop()


def test_sync_pool_decodes_gzip_like_httpx():
    server = Server(gzip_body=True)
    try:
        response = SyncPool(httpx.Limits()).handle_request(get(server.url))
        assert response.content == BODY and response.json()["id"] == 550
    finally:
        server.stop()


def test_sync_pool_times_out_waiting_for_a_free_connection():
    server = Server(delay=0.5)
    try:
        pool = SyncPool(httpx.Limits(max_connections=1))
        worker = threading.Thread(target=pool.handle_request, args=(get(server.url),))
        worker.start()
        try:
            with pytest.raises(httpx.PoolTimeout):
                pool.handle_request(get(server.url, {**TIMEOUT, "pool": 0.1}))
        finally:
            worker.join(3)
    finally:
        server.stop()


def test_sync_pool_refused_connection_is_a_connect_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(httpx.ConnectError):
        SyncPool(httpx.Limits()).handle_request(get(f"http://127.0.0.1:{port}/"))


def test_sync_pool_rejects_other_schemes():
    with pytest.raises(httpx.UnsupportedProtocol):
        SyncPool(httpx.Limits()).handle_request(get("ftp://127.0.0.1/"))


def test_async_pool_keeps_at_most_max_connections_and_serves_every_task(server):
    pool = AsyncPool(httpx.Limits(max_connections=4, max_keepalive_connections=4))

    async def main() -> list[bytes]:
        async def one() -> bytes:
            return (await pool.handle_async_request(get(server.url))).content

        try:
            return await asyncio.wait_for(asyncio.gather(*(one() for _ in range(40))), 10)
        finally:
            await pool.aclose()

    assert asyncio.run(main()) == [BODY] * 40
    assert server.connections <= 4


def test_async_pool_survives_a_second_event_loop(server):
    pool = AsyncPool(httpx.Limits())

    async def once() -> bytes:
        return (await asyncio.wait_for(pool.handle_async_request(get(server.url)), 5)).content

    assert asyncio.run(once()) == BODY
    assert asyncio.run(once()) == BODY  # the first loop's connection is dropped, a new one opened


def test_async_pool_cancelled_call_frees_its_slot():
    server = Server(delay=0.3)
    try:
        pool = AsyncPool(httpx.Limits(max_connections=1))

        async def main() -> bytes:
            slow = asyncio.create_task(pool.handle_async_request(get(server.url)))
            await asyncio.sleep(0.05)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            response = await asyncio.wait_for(pool.handle_async_request(get(server.url)), 5)
            await pool.aclose()
            return response.content

        assert asyncio.run(main()) == BODY
    finally:
        server.stop()


def test_async_pool_read_timeout():
    server = Server(delay=1.0)
    try:
        pool = AsyncPool(httpx.Limits())

        async def main() -> None:
            await asyncio.wait_for(pool.handle_async_request(get(server.url, {**TIMEOUT, "read": 0.1})), 5)

        with pytest.raises(httpx.ReadTimeout):
            asyncio.run(main())
    finally:
        server.stop()


def test_async_pool_reconnects_when_the_server_closed_the_idle_connection():
    server = Server(close_after=True)
    try:
        pool = AsyncPool(httpx.Limits(max_connections=1, max_keepalive_connections=1))

        async def main() -> list[bytes]:
            bodies = [(await asyncio.wait_for(pool.handle_async_request(get(server.url)), 5)).content for _ in range(3)]
            await pool.aclose()
            return bodies

        assert asyncio.run(main()) == [BODY] * 3
        assert server.connections == 3
    finally:
        server.stop()


def test_a_post_on_a_connection_closed_meanwhile_is_not_sent_twice():
    server = Server(close_after=True)
    try:
        pool = SyncPool(httpx.Limits(max_connections=1, max_keepalive_connections=1))
        pool.handle_request(get(server.url))
        post = httpx.Request("POST", server.url, content=b"{}", extensions={"timeout": TIMEOUT})
        try:
            pool.handle_request(post)
        except httpx.TransportError:
            pass  # the close was seen only once the request was out: not repeated
        assert server.connections <= 2
    finally:
        server.stop()


def test_async_pool_times_out_waiting_for_a_free_connection_and_a_cancelled_waiter_passes_its_turn_on():
    server = Server(delay=0.4)
    try:
        pool = AsyncPool(httpx.Limits(max_connections=1))

        async def main() -> list[bytes]:
            slow = asyncio.create_task(pool.handle_async_request(get(server.url)))
            await asyncio.sleep(0.05)  # `slow` holds the only connection
            with pytest.raises(httpx.PoolTimeout):
                await pool.handle_async_request(get(server.url, {**TIMEOUT, "pool": 0.05}))
            gives_up = asyncio.create_task(pool.handle_async_request(get(server.url)))
            waits = asyncio.create_task(pool.handle_async_request(get(server.url)))
            await asyncio.sleep(0.05)  # both queued behind `slow`
            gives_up.cancel()
            responses = await asyncio.wait_for(asyncio.gather(slow, waits), 5)
            assert gives_up.cancelled()
            await pool.aclose()
            return [r.content for r in responses]

        assert asyncio.run(main()) == [BODY, BODY]
        assert pool._busy == 0  # every slot given back, none lost to the timeout or the cancellation
    finally:
        server.stop()


def test_sync_pool_a_failed_request_gives_its_connection_slot_back():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pool = SyncPool(httpx.Limits(max_connections=1))
    for _ in range(3):  # would time out on the pool from the second on if a failure kept the slot
        with pytest.raises(httpx.ConnectError):
            pool.handle_request(get(f"http://127.0.0.1:{port}/", {**TIMEOUT, "pool": 0.5}))
