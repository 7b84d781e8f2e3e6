"""Both lean pools (SyncPool, AsyncPool) against a scripted plain-HTTP server on 127.0.0.1.

Each test runs on both pools: what the pools decide about a connection (reused, kept idle, closed,
replaced), the errors they raise (type, message, request, cause) and what they log. The server
counts connections and sees when the client closes one; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import os
import resource
import select
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from tmdb_sdk.transport._async_pool import AsyncPool
from tmdb_sdk.transport._http11 import SyncPool

from tests.transport.loopback import read_request

BODY = b'{"id": 550, "title": "Fight Club"}'
TIMEOUT = {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}
KINDS = ["sync", "async"]


@dataclass
class Reply:
    """`pieces` written one by one, `gap` seconds apart; then keep the connection, or end it:
    fin (close), reset (RST) or hang (answer nothing more)."""

    pieces: list[bytes] = field(default_factory=list)
    gap: float = 0.0
    then: str = "keep"


def answer(body: bytes = BODY, *headers: str, status: str = "200 OK", then: str = "keep") -> Reply:
    head = "".join(f"{h}\r\n" for h in (f"Content-Length: {len(body)}", *headers))
    return Reply([f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body], then=then)


@dataclass
class Seen:
    connection: int  # 1, 2, ... in the order accepted
    on_connection: int  # 0, 1, ... the request's place on its connection
    head: bytes
    body: bytes


class Server:
    """Answers the n-th request (0, 1, ...) with `respond(n, seen)`; counts the connections the
    client closed (`client_closed`)."""

    def __init__(self, respond: Callable[[int, Seen], Reply] = lambda n, s: answer()) -> None:
        self.respond = respond
        self.seen: list[Seen] = []
        self.connections = 0
        self.client_closed = 0
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.02)
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def url(self, path: str = "/3/movie/550") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.changed:
                self.connections += 1
                number = self.connections
            threading.Thread(target=self.serve, args=(conn, number), daemon=True).start()

    def serve(self, conn: socket.socket, number: int) -> None:
        conn.settimeout(5)
        buffer = b""
        with conn:
            for on_connection in range(100):
                read = read_request(conn, buffer)
                if read is None:
                    with self.changed:
                        self.client_closed += 1
                        self.changed.notify_all()
                    return
                head, body, buffer = read
                seen = Seen(number, on_connection, head, body)
                with self.changed:
                    n = len(self.seen)
                    self.seen.append(seen)
                    self.changed.notify_all()
                reply = self.respond(n, seen)
                try:
                    for i, piece in enumerate(reply.pieces):
                        if i and reply.gap:
                            self.stopping.wait(reply.gap)
                        conn.sendall(piece)
                except OSError:
                    return
                if reply.then == "hang":  # read on, answer nothing: see when the client gives up
                    buffer = b""
                    continue
                if reply.then == "reset":
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                if reply.then == "fin":
                    return

    def wait_client_closed(self, count: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.client_closed >= count, timeout=3)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(respond: Callable[[int, Seen], Reply] = lambda n, s: answer()) -> Server:
        servers.append(Server(respond))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def request(url: str, method: str = "GET", timeout: dict[str, float] = TIMEOUT, **kw: object) -> httpx.Request:
    return httpx.Request(method, url, extensions={"timeout": timeout}, **kw)  # type: ignore[arg-type]


Outcome = httpx.Response | Exception


class Pools:
    """One pool of `kind`; `call` sends requests through it (the async pool on one event loop that
    lives as long as this object), `concurrently` sends several at once."""

    def __init__(self, kind: str, limits: httpx.Limits) -> None:
        self.kind = kind
        self.sync = SyncPool(limits)
        self.asynchronous = AsyncPool(limits)
        self.loop = asyncio.new_event_loop()

    def call(self, req: httpx.Request) -> Outcome:
        return self.concurrently([req])[0]

    def concurrently(self, requests: list[httpx.Request]) -> list[Outcome]:
        if self.kind == "sync":
            outcomes: list[Outcome] = [Exception("not run")] * len(requests)

            def run(i: int) -> None:
                try:
                    outcomes[i] = self.sync.handle_request(requests[i])
                except httpx.HTTPError as exc:
                    outcomes[i] = exc

            threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(8)
            return outcomes

        async def one(req: httpx.Request) -> Outcome:
            try:
                async with asyncio.timeout(8):
                    return await self.asynchronous.handle_async_request(req)
            except httpx.HTTPError as exc:
                return exc

        async def all_of() -> list[Outcome]:
            return list(await asyncio.gather(*(one(r) for r in requests)))

        return self.loop.run_until_complete(all_of())

    def pause(self, seconds: float) -> None:
        """Time passes between two calls (the async pool's loop running, as in an application)."""
        if self.kind == "sync":
            time.sleep(seconds)
        else:
            self.loop.run_until_complete(asyncio.sleep(seconds))

    def close(self) -> None:
        if self.kind == "sync":
            self.sync.close()
        else:
            self.loop.run_until_complete(self.asynchronous.aclose())

    def finish(self) -> None:
        self.close()
        self.loop.run_until_complete(asyncio.sleep(0))
        self.loop.close()


@pytest.fixture
def pools() -> Iterator[Callable[..., Pools]]:
    made: list[Pools] = []

    def make(kind: str, limits: httpx.Limits | None = None) -> Pools:
        made.append(Pools(kind, limits or httpx.Limits()))
        return made[-1]

    yield make
    for pool in made:
        pool.finish()


def ok(outcome: Outcome) -> httpx.Response:
    assert isinstance(outcome, httpx.Response), repr(outcome)
    return outcome


# -- what a response carries ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_response_carries_status_reason_version_headers_body_and_request(kind, serve, pools):
    server = serve(lambda n, s: answer(b"nope", "X-Trace: a", "x-trace: b", status="404 Not Found Here"))
    req = request(server.url())
    response = ok(pools(kind).call(req))
    assert (response.status_code, response.reason_phrase, response.http_version) == (404, "Not Found Here", "HTTP/1.1")
    assert response.headers.get_list("x-trace") == ["a", "b"] and response.content == b"nope"
    assert response.request is req and response.is_stream_consumed


@pytest.mark.parametrize("kind", KINDS)
def test_a_post_sends_its_headers_and_body(kind, serve, pools):
    server = serve()
    ok(pools(kind).call(request(server.url("/3/list?x=1"), "POST", json={"name": "mine"}, headers={"X-A": "1"})))
    head, body = server.seen[0].head, server.seen[0].body
    assert head.split(b"\r\n")[0] == b"POST /3/list?x=1 HTTP/1.1"
    assert b"X-A: 1" in head.split(b"\r\n") and body == b'{"name":"mine"}'


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_gzip_body_is_a_decoding_error_of_the_request(kind, serve, pools):
    server = serve(lambda n, s: answer(b"not gzip at all", "Content-Encoding: gzip"))
    req = request(server.url())
    error = pools(kind).call(req)
    assert isinstance(error, httpx.DecodingError) and error.request is req


@pytest.mark.parametrize("kind", KINDS)
def test_a_gzip_body_arrives_decoded(kind, serve, pools):
    server = serve(lambda n, s: answer(gzip.compress(BODY), "Content-Encoding: gzip"))
    assert ok(pools(kind).call(request(server.url()))).content == BODY


# -- reuse and keep-alive --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "limits",
    [httpx.Limits(), httpx.Limits(max_connections=None, max_keepalive_connections=None)],
    ids=["default", "unlimited"],
)
def test_sequential_requests_share_one_kept_alive_connection(kind, limits, serve, pools):
    server = serve()
    pool = pools(kind, limits)
    for _ in range(3):
        assert ok(pool.call(request(server.url()))).content == BODY
    assert server.connections == 1 and [s.on_connection for s in server.seen] == [0, 1, 2]


@pytest.mark.parametrize("kind", KINDS)
def test_with_no_keepalive_connections_each_request_opens_and_closes_its_own(kind, serve, pools):
    server = serve()
    pool = pools(kind, httpx.Limits(max_connections=5, max_keepalive_connections=0))
    for _ in range(2):
        ok(pool.call(request(server.url())))
    assert server.connections == 2 and server.wait_client_closed(2)


@pytest.mark.parametrize("kind", KINDS)
def test_at_most_max_keepalive_connections_stay_idle(kind, serve, pools):
    together = threading.Barrier(3, timeout=3)

    def respond(n: int, seen: Seen) -> Reply:
        if n < 3:
            together.wait()  # three requests under way at once, on three connections
        return answer()

    server = serve(respond)
    pool = pools(kind, httpx.Limits(max_connections=3, max_keepalive_connections=1))
    assert all(ok(r).content == BODY for r in pool.concurrently([request(server.url()) for _ in range(3)]))
    assert server.connections == 3 and server.wait_client_closed(2)
    ok(pool.call(request(server.url())))
    assert server.connections == 3 and server.client_closed == 2  # the one kept idle served it


@pytest.mark.parametrize("kind", KINDS)
def test_no_more_than_max_connections_are_open_at_once(kind, serve, pools):
    def respond(n: int, seen: Seen) -> Reply:
        time.sleep(0.05)
        return answer()

    server = serve(respond)
    pool = pools(kind, httpx.Limits(max_connections=2, max_keepalive_connections=2))
    outcomes = pool.concurrently([request(server.url()) for _ in range(5)])
    assert all(ok(r).content == BODY for r in outcomes)
    assert server.connections == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "reply",
    [
        answer(BODY, "Connection: close"),
        Reply([b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"]),
        Reply([b"HTTP/1.1 200 OK\r\n\r\nuntil close"], then="fin"),
        Reply([b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"]),
    ],
    ids=["connection-close", "http-1.0", "read-until-close", "more-than-announced"],
)
def test_a_connection_that_cannot_be_reused_is_closed_and_a_new_one_opened(kind, reply, serve, pools):
    server = serve(lambda n, s: reply if n == 0 else answer())
    pool = pools(kind)
    first = ok(pool.call(request(server.url())))
    assert first.status_code == 200 and first.http_version == reply.pieces[0][:8].decode()
    assert reply.then == "fin" or server.wait_client_closed(1)
    assert ok(pool.call(request(server.url()))).content == BODY
    assert server.connections == 2


@pytest.mark.parametrize("kind", KINDS)
def test_a_body_read_until_close_is_returned_whole(kind, serve, pools):
    server = serve(lambda n, s: Reply([b'HTTP/1.1 200 OK\r\n\r\n{"id":', b" 550}"], gap=0.02, then="fin"))
    assert ok(pools(kind).call(request(server.url()))).content == b'{"id": 550}'


@pytest.mark.parametrize("kind", KINDS)
def test_a_head_response_has_no_body_and_keeps_the_connection(kind, serve, pools):
    server = serve(lambda n, s: Reply([b"HTTP/1.1 200 OK\r\nContent-Length: 34\r\n\r\n"]) if n % 2 == 0 else answer())
    pool = pools(kind)
    for _ in range(2):  # on a new connection, then on the kept one
        head = ok(pool.call(request(server.url(), "HEAD", timeout={**TIMEOUT, "read": 0.5})))
        assert head.content == b"" and head.headers["content-length"] == "34"
        assert ok(pool.call(request(server.url()))).content == BODY
    assert server.connections == 1


@pytest.mark.parametrize("kind", KINDS)
def test_closing_the_pool_closes_its_idle_connections_and_any_finishing_later(kind, serve, pools):
    release, together = threading.Event(), threading.Barrier(2, timeout=3)

    def respond(n: int, seen: Seen) -> Reply:
        if n < 2:
            together.wait()  # two connections, both kept idle
        if n == 2:
            release.wait(3)
        return answer()

    server = serve(respond)
    pool = pools(kind, httpx.Limits(max_connections=2, max_keepalive_connections=2))
    assert all(ok(r) for r in pool.concurrently([request(server.url()), request(server.url())]))
    if kind == "sync":
        late: list[Outcome] = []
        worker = threading.Thread(target=lambda: late.append(pool.call(request(server.url()))))
        worker.start()
        with server.changed:
            assert server.changed.wait_for(lambda: len(server.seen) == 3, timeout=3)
        pool.close()
        assert server.wait_client_closed(1)  # the idle one
        release.set()
        worker.join(5)
        ok(late[0])
    else:

        async def main() -> None:
            late = asyncio.ensure_future(pool.asynchronous.handle_async_request(request(server.url())))
            for _ in range(300):
                if len(server.seen) == 3:
                    break
                await asyncio.sleep(0.01)
            await pool.asynchronous.aclose()
            release.set()
            ok(await asyncio.wait_for(late, 5))

        pool.loop.run_until_complete(main())
    assert server.wait_client_closed(2)  # the late one was not kept either


@pytest.mark.parametrize("kind", KINDS)
def test_a_pool_given_an_ssl_context_speaks_plain_http_to_an_http_url(kind, serve):
    server = serve()
    context = ssl.create_default_context()
    if kind == "sync":
        pool = SyncPool(httpx.Limits(), ssl_context=context)
        response = pool.handle_request(request(server.url()))
        pool.close()
    else:

        async def main() -> httpx.Response:
            pool = AsyncPool(httpx.Limits(), ssl_context=context)
            try:
                return await asyncio.wait_for(pool.handle_async_request(request(server.url())), 5)
            finally:
                await pool.aclose()

        response = asyncio.run(main())
    assert response.content == BODY and server.seen[0].head.startswith(b"GET /3/movie/550 HTTP/1.1")


def test_without_poll_select_finds_the_idle_connections_the_server_closed(serve, pools, monkeypatch):
    # Where select.poll does not exist (Windows), select.select tells an idle connection closed by the
    # server (a POST is then not sent on it) from one still open (reused at once, without waiting).
    monkeypatch.delattr(select, "poll")
    server = serve(lambda n, s: Reply([answer().pieces[0], b""], gap=0.02, then="fin") if n == 0 else answer())
    pool = pools("sync")
    ok(pool.call(request(server.url())))
    time.sleep(0.1)  # the server has closed the idle connection
    assert ok(pool.call(request(server.url(), "POST", content=b"{}"))).content == BODY
    started = time.monotonic()
    for _ in range(3):
        assert ok(pool.call(request(server.url()))).content == BODY
    assert time.monotonic() - started < 0.5 and server.connections == 2


def test_a_connection_whose_descriptor_is_beyond_selects_limit_is_still_reused(serve, pools):
    # poll() has no descriptor limit: in a process with over 1024 files open, idle connections are
    # still checked and reused (select() would refuse such a descriptor).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1400:
        pytest.skip("cannot open over 1024 files here")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1400) if soft != resource.RLIM_INFINITY else soft, hard))
    filler: list[int] = []
    try:
        for _ in range(1100):
            filler.append(os.open(os.devnull, os.O_RDONLY))
            if filler[-1] >= 1100:
                break
        server = serve()
        pool = pools("sync")
        for _ in range(3):
            assert ok(pool.call(request(server.url()))).content == BODY
        assert server.connections == 1
        pool.close()
    finally:
        for fd in filler:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# -- errors: type, message, request, cause ----------------------------------------------------------------


def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("kind", KINDS)
def test_a_refused_connection_is_a_connect_error_naming_the_os_error(kind, pools):
    port = refused_port()
    req = request(f"http://127.0.0.1:{port}/3/movie/550")
    error = pools(kind).call(req)
    assert isinstance(error, httpx.ConnectError) and error.request is req
    assert isinstance(error.__cause__, ConnectionRefusedError)
    expected = (
        "[Errno 111] Connection refused" if kind == "sync" else f"[Errno 111] Connect call failed ('127.0.0.1', {port})"
    )
    assert str(error) == expected


@pytest.mark.parametrize("kind", KINDS)
def test_another_scheme_is_an_unsupported_protocol(kind, pools):
    req = request("ftp://127.0.0.1/3/movie/550")
    error = pools(kind).call(req)
    assert isinstance(error, httpx.UnsupportedProtocol) and error.request is req
    assert str(error) == "Request URL has an unsupported protocol 'ftp://'."


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply([], then="fin"), "server disconnected without sending a response"),
        (Reply([b"HTTP/1.1 200 OK\r\nContent-Len"], then="fin"), "server disconnected without sending a response"),
        (Reply([b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"], then="fin"), "server disconnected without sending a complete body"),
        (Reply([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"], then="fin"), "server disconnected without sending a complete body"),
        (Reply([b"HTTP/1.1 2OO OK\r\n\r\n"]), "malformed response: Invalid status code"),
        (Reply([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY"]), "malformed response: Expected LF after chunk data"),
    ],
    ids=["nothing", "part-of-head", "short-body", "short-chunked", "bad-status", "bad-chunk"],
)  # fmt: skip
def test_a_broken_response_is_a_remote_protocol_error_of_the_request(kind, reply, message, serve, pools):
    server = serve(lambda n, s: reply if n == 0 else answer())
    pool = pools(kind)
    req = request(server.url())
    error = pool.call(req)
    assert isinstance(error, httpx.RemoteProtocolError) and error.request is req
    assert str(error) == message
    assert reply.then == "fin" or server.wait_client_closed(1)  # the broken connection is not kept
    assert ok(pool.call(request(server.url()))).content == BODY and server.connections == 2


@pytest.mark.parametrize("kind", KINDS)
def test_a_reset_during_the_body_is_a_read_error_naming_the_os_error(kind, serve, pools):
    server = serve(lambda n, s: Reply([b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"], then="reset"))
    req = request(server.url())
    error = pools(kind).call(req)
    assert isinstance(error, httpx.ReadError) and error.request is req
    assert str(error) == "[Errno 104] Connection reset by peer"
    assert isinstance(error.__cause__, ConnectionResetError)


@pytest.mark.parametrize("kind", KINDS)
def test_no_answer_is_a_read_timeout_of_the_request(kind, serve, pools):
    server = serve(lambda n, s: Reply([], then="hang"))
    req = request(server.url(), timeout={**TIMEOUT, "read": 0.05})
    error = pools(kind).call(req)
    assert isinstance(error, httpx.ReadTimeout) and error.request is req
    assert str(error) == ("timed out" if kind == "sync" else "timed out while reading the response")
    assert server.wait_client_closed(1)  # the connection is given up, not kept


@pytest.mark.parametrize("kind", KINDS)
def test_a_full_pool_is_a_pool_timeout_of_the_request(kind, serve, pools):
    server = serve(lambda n, s: Reply([b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", b"ok"], gap=0.3))
    pool = pools(kind, httpx.Limits(max_connections=1))
    slow, waiting = request(server.url()), request(server.url(), timeout={**TIMEOUT, "pool": 0.05})
    if kind == "async":

        async def main() -> list[Outcome]:
            first = asyncio.ensure_future(pool.asynchronous.handle_async_request(slow))
            await asyncio.sleep(0.02)
            try:
                second: Outcome = await pool.asynchronous.handle_async_request(waiting)
            except httpx.TransportError as exc:
                second = exc
            return [await asyncio.wait_for(first, 5), second]

        outcomes = pool.loop.run_until_complete(main())
    else:
        outcomes = pool.concurrently([slow, waiting])
        if isinstance(outcomes[0], httpx.PoolTimeout):
            outcomes.reverse()
    assert ok(outcomes[0]).content == b"ok"
    error = outcomes[1]
    assert isinstance(error, httpx.PoolTimeout) and error.request is waiting
    assert str(error) == "no connection became free in time"


@pytest.mark.parametrize("kind", KINDS)
def test_the_read_timeout_counts_from_the_last_bytes_received(kind, serve, pools):
    # Bytes at ~0.03 s, then silence: the 0.2 s timeout runs from those bytes, not from the request
    # (about 0.23 s), and not longer than one timeout after them.
    server = serve(lambda n, s: Reply([b"", b"HTTP/1.1 200 OK\r\n"], gap=0.03, then="hang"))
    req = request(server.url(), timeout={**TIMEOUT, "read": 0.2})
    started = time.monotonic()
    error = pools(kind).call(req)
    elapsed = time.monotonic() - started
    assert isinstance(error, httpx.ReadTimeout) and error.request is req
    assert 0.2 <= elapsed < 0.42
    assert server.wait_client_closed(1)


@pytest.mark.parametrize("kind", KINDS)
def test_without_a_read_timeout_a_slow_answer_is_awaited(kind, serve, pools):
    server = serve(lambda n, s: Reply([b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", b"ok"], gap=0.05))
    pool = pools(kind)
    for read in (None, 3.0, None):  # on a new connection, then on the kept one after a timed exchange
        assert ok(pool.call(request(server.url(), timeout={**TIMEOUT, "read": read}))).content == b"ok"
    assert server.connections == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("then", ["stray-bytes", "fin"])
def test_an_idle_connection_the_server_writes_to_or_closes_is_retired_quietly(kind, then, serve, pools, caplog):
    def respond(n: int, seen: Seen) -> Reply:
        if n == 0 and then == "fin":  # the answer (kept alive, says its framing), then a close
            return Reply([answer().pieces[0], b""], gap=0.02, then="fin")
        if n == 0:  # the answer, then a stray second one on the idle connection
            return Reply([answer().pieces[0], answer(b"{}").pieces[0]], gap=0.02)
        return answer()

    server = serve(respond)
    pool = pools(kind)
    with caplog.at_level(logging.DEBUG):
        ok(pool.call(request(server.url())))
        pool.pause(0.1)
        assert ok(pool.call(request(server.url()))).content == BODY
        assert server.connections == 2 and (then == "fin" or server.wait_client_closed(1))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_reset_while_the_request_is_sent_is_a_write_error_sync_and_a_read_error_async(kind, pools):
    # The server resets the connection once the request has begun: the large body cannot all be sent.
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(3)
    port = listener.getsockname()[1]

    def reset_each() -> None:
        with listener:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.settimeout(3)
            try:
                conn.recv(65536)  # the request has begun
            finally:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()

    thread = threading.Thread(target=reset_each, daemon=True)
    thread.start()
    try:
        req = request(f"http://127.0.0.1:{port}/3/list", "POST", content=b"x" * (32 << 20))
        error = pools(kind).call(req)
    finally:
        thread.join(3)
    assert isinstance(error, httpx.WriteError if kind == "sync" else httpx.ReadError) and error.request is req
    assert isinstance(error.__cause__, ConnectionError) and str(error) == str(error.__cause__)
    assert str(error) in ("[Errno 32] Broken pipe", "[Errno 104] Connection reset by peer")


def test_a_url_without_a_port_connects_to_the_default_port_of_its_scheme(monkeypatch):
    addresses: list[tuple[str, int]] = []

    def refuse(address: tuple[str, int], timeout: float | None = None) -> socket.socket:
        addresses.append(address)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket, "create_connection", refuse)
    pool = SyncPool(httpx.Limits())
    for url in ("http://api.example.test/3", "https://api.example.test/3", "http://bücher.example/3"):
        with pytest.raises(httpx.ConnectError, match="Connection refused"):
            pool.handle_request(request(url))
    assert addresses == [("api.example.test", 80), ("api.example.test", 443), ("xn--bcher-kva.example", 80)]


# -- a kept-alive connection that fails -------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_kept_alive_connection_that_fails_after_part_of_the_answer_is_not_used_again(kind, serve, pools):
    # Only a connection that failed before any byte of the response is replaced: this GET's answer began.
    server = serve(lambda n, s: answer() if n == 0 else Reply([b"HTTP/1.1 200 OK\r\n"], then="fin"))
    pool = pools(kind)
    ok(pool.call(request(server.url())))
    error = pool.call(request(server.url()))
    assert isinstance(error, httpx.RemoteProtocolError)
    assert str(error) == "server disconnected without sending a response"
    assert server.connections == 1 and len(server.seen) == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_a_safe_request_on_a_kept_alive_connection_closed_unseen_is_sent_again_once(kind, method, serve, pools, caplog):
    # The server closes right as the request arrives, before answering: the pool cannot have known.
    server = serve(lambda n, s: Reply([], then="reset" if n == 1 else "keep") if n == 1 else answer())
    pool = pools(kind)
    ok(pool.call(request(server.url())))
    with caplog.at_level(logging.DEBUG, logger="tmdb_sdk.http"):
        response = ok(pool.call(request(server.url(), method)))
    assert response.status_code == 200 and server.connections == 2
    assert f"{method}: the kept-alive connection was closed by the server; sending again" in caplog.messages
    assert [s.head.split(b" ")[0] for s in server.seen] == [b"GET", method.encode(), method.encode()]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("second", "connections"), [("hang", 1), ("reset", 2)], ids=["reused", "sent-again"])
def test_a_request_on_a_kept_alive_connection_or_sent_again_keeps_its_read_timeout(
    kind, second, connections, serve, pools
):  # fmt: skip
    server = serve(lambda n, s: answer() if n == 0 else Reply([], then=second if n == 1 else "hang"))
    pool = pools(kind)
    ok(pool.call(request(server.url())))
    req = request(server.url(), timeout={**TIMEOUT, "read": 0.1})
    started = time.monotonic()
    error = pool.call(req)
    assert isinstance(error, httpx.ReadTimeout) and error.request is req
    assert time.monotonic() - started < 2 and server.connections == connections


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["POST", "DELETE", "PUT"])
def test_an_unsafe_request_on_a_kept_alive_connection_closed_unseen_is_not_sent_again(kind, method, serve, pools):
    server = serve(lambda n, s: Reply([], then="reset") if n == 1 else answer())
    pool = pools(kind)
    ok(pool.call(request(server.url())))
    error = pool.call(request(server.url(), method, content=b"{}"))
    assert isinstance(error, (httpx.ReadError, httpx.RemoteProtocolError))
    assert server.connections == 1 and len(server.seen) == 2


def test_an_async_get_polls_a_connection_whose_close_the_loop_has_not_seen_and_opens_another(serve, pools, caplog):
    # The close came while the event loop was not running: the socket is polled before the reuse (as for
    # any method: unread bytes there would be taken for the next call's answer), so a new connection
    # carries the request and nothing is sent on the closed one.
    server = serve(lambda n, s: Reply([answer().pieces[0], b""], gap=0.02, then="fin"))
    pool = pools("async")
    ok(pool.call(request(server.url())))
    time.sleep(0.1)  # the server closes meanwhile; the loop does not run
    with caplog.at_level(logging.DEBUG, logger="tmdb_sdk.http"):
        assert ok(pool.call(request(server.url()))).content == BODY
    messages = [r.getMessage() for r in caplog.records if r.name == "tmdb_sdk.http"]
    assert messages == [f"connected to 127.0.0.1:{server.port}", "GET answered 200 (34 bytes; connection kept)"]
    assert server.connections == 2 and [s.connection for s in server.seen] == [1, 2]


# -- logging -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_connections_and_answers_are_logged_at_debug_without_the_url(kind, serve, pools, caplog):
    server = serve(lambda n, s: answer(b"{}", "Connection: close") if n == 1 else answer())
    pool = pools(kind)
    with caplog.at_level(logging.DEBUG, logger="tmdb_sdk.http"):
        ok(pool.call(request(server.url("/3/movie/550?api_key=SECRET"))))
        ok(pool.call(request(server.url("/3/movie/550?api_key=SECRET"), "DELETE")))
    messages = [r.getMessage() for r in caplog.records if r.name == "tmdb_sdk.http"]
    assert messages == [
        f"connected to 127.0.0.1:{server.port}",
        "GET answered 200 (34 bytes; connection kept)",
        "DELETE answered 200 (2 bytes; connection closed)",
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_failures_are_logged_at_debug_with_their_cause(kind, serve, pools, caplog):
    port = refused_port()
    server = serve(
        lambda n, s: Reply([b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc"], then="reset" if n == 0 else "fin")
    )
    pool = pools(kind)
    with caplog.at_level(logging.DEBUG, logger="tmdb_sdk.http"):
        assert isinstance(pool.call(request(f"http://127.0.0.1:{port}/")), httpx.ConnectError)
        assert isinstance(pool.call(request(server.url())), httpx.ReadError)
        assert isinstance(pool.call(request(server.url(), "DELETE")), httpx.RemoteProtocolError)
    messages = [r.getMessage() for r in caplog.records if r.name == "tmdb_sdk.http"]
    assert len(messages) == 5
    assert messages[0].startswith(f"connecting to 127.0.0.1:{port} failed: ConnectionRefusedError(111, ")
    assert messages[1] == messages[3] == f"connected to 127.0.0.1:{server.port}"
    assert messages[2].startswith("GET failed: ") and "Connection reset by peer" in messages[2]
    assert messages[4].startswith("DELETE failed: ")
    if kind == "sync":  # the async pool logs what the connection told it, before it becomes httpx's error
        assert (
            messages[4] == "DELETE failed: RemoteProtocolError('server disconnected without sending a complete body')"
        )
