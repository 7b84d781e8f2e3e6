"""TMDB and AsyncTMDB, over their lean pools, against a hostile HTTP/1.1 server on 127.0.0.1 (issue 21).

One case per class of response a broken or hostile server (or a proxy on the way) may send: framing,
status range and digits, 101, a bare LF or CR, NUL and control characters, header names, version
tokens, unrequested or exploding content codings, oversized bodies. Each must end in the package's
typed transport error (a TMDBError), never a raw exception, a wrong result or an asyncio error log.
Then the connection-level cases at the pool: stray bytes left on an idle connection, a server that
drips a byte at a time past the call's deadline, and the memory a decompression bomb may take.
Every wait and loop is bounded.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterable, Iterator

import httpx
import pytest
from tmdb_sdk import TMDB, AsyncTMDB, TMDBError, TransportError
from tmdb_sdk import TimeoutError as TMDBTimeoutError
from tmdb_sdk.transport._async_pool import AsyncPool
from tmdb_sdk.transport._decode import ResponseTooLarge
from tmdb_sdk.transport._http11 import SyncPool

from tests.transport.loopback import ThreadedServer, read_request

KINDS = ["sync", "async"]
TIMEOUT = {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}
MiB = 1024 * 1024

# What the server sends for one request: pieces (bytes, or a lazy iterable of them, e.g. a bomb),
# written in order; the connection is then kept for the next request, or closed.
Script = Callable[[int, bytes], tuple[list[bytes | Iterable[bytes]], bool]]


def movie(movie_id: int) -> bytes:
    return json.dumps({"id": movie_id, "title": f"movie {movie_id}"}).encode()


def ok_response(movie_id: int, *headers: bytes) -> bytes:
    body = movie(movie_id)
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s" % (
        len(body), b"".join(h + b"\r\n" for h in headers), body,
    )  # fmt: skip


class Hostile(ThreadedServer):
    """Answers the n-th request with `script(n, request_head)`; serves each connection in a thread."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests = 0
        self.lock = threading.Lock()
        super().__init__()

    @property
    def base_url(self) -> str:
        return self.url

    @property
    def connections(self) -> int:
        return self.accepted

    def serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        buffer = b""
        with conn:
            for _ in range(50):
                read = read_request(conn, buffer)
                if read is None or self.stopped.is_set():
                    return
                head, _, buffer = read
                with self.lock:
                    n, self.requests = self.requests, self.requests + 1
                pieces, keep = self.script(n, head)
                try:
                    for piece in pieces:
                        for part in [piece] if isinstance(piece, bytes) else piece:
                            if self.stopped.is_set():
                                return
                            conn.sendall(part)
                except OSError:  # the client gave up (a bomb refused): as it should
                    return
                if not keep:
                    return

    def stop(self) -> None:
        self.close()


@pytest.fixture
def hostile() -> Iterator[Callable[[Script], Hostile]]:
    servers: list[Hostile] = []

    def start(script: Script) -> Hostile:
        servers.append(Hostile(script))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def call(kind: str, server: Hostile, movie_id: int = 2) -> object:
    """movies.details(movie_id) through TMDB or AsyncTMDB (retries off: one answer, one outcome)."""
    if kind == "sync":
        with TMDB("key", base_url=server.base_url, retry=None, timeout=5) as tmdb:
            return tmdb.movies.details(movie_id)

    async def run() -> object:
        async with AsyncTMDB("key", base_url=server.base_url, retry=None, timeout=5) as tmdb:
            return await tmdb.movies.details(movie_id)

    return asyncio.run(run())


class Lazy:
    """Pieces made anew each time they are sent (a generator would be spent by its first test)."""

    def __init__(self, make: Callable[[], Iterator[bytes]]) -> None:
        self.make = make

    def __iter__(self) -> Iterator[bytes]:
        return self.make()


def zeros_compressed(wbits: int, total: int, step: int = MiB) -> Iterator[bytes]:
    """`total` zero bytes, compressed lazily (a 10 GiB bomb is never made whole, on either side)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(step)
    for _ in range(total // step):
        out = compressor.compress(block)
        if out:
            yield out
    yield compressor.flush()


def bomb(coding: bytes, wbits: int) -> list[bytes | Iterable[bytes]]:
    # Announced as 10 MiB on the wire (what 10 GiB of zeros takes compressed); inflated, 10 GiB.
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: %s\r\nContent-Length: %d\r\n\r\n"
    return [head % (coding, 10 * MiB), Lazy(lambda: zeros_compressed(wbits, 10 * 1024 * MiB))]


def body_of(size: int) -> Iterator[bytes]:
    block = b" " * MiB
    for _ in range(size // MiB):
        yield block


BODY = movie(2)
LEN = b"Content-Length: %d\r\n" % len(BODY)

# One hostile response per class; none may become a result or a raw exception.
HOSTILE: dict[str, list[bytes | Iterable[bytes]]] = {
    # framing
    "content-length-and-chunked": [b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   + b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY)],
    "two-content-lengths": [b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n" + LEN + b"\r\n" + BODY],
    "bad-chunk-size": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n" + BODY + b"\r\n0\r\n\r\n"],
    "chunk-size-overflow": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"f" * 40 + b"\r\n" + BODY],
    "gzip-transfer-coding": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                             + b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY)],
    "content-length-5000-digits": [b"HTTP/1.1 200 OK\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\n" + BODY],
    # status range and digits
    "status-0": [b"HTTP/1.1 0 OK\r\n" + LEN + b"\r\n" + BODY],
    "status-000": [b"HTTP/1.1 000 OK\r\n" + LEN + b"\r\n" + BODY],
    "status-099": [b"HTTP/1.1 099 OK\r\n" + LEN + b"\r\n" + BODY],
    "status-600": [b"HTTP/1.1 600 OK\r\n" + LEN + b"\r\n" + BODY],
    "status-1000": [b"HTTP/1.1 1000 OK\r\n" + LEN + b"\r\n" + BODY],
    "status-5000-digits": [b"HTTP/1.1 " + b"2" * 5000 + b" OK\r\n" + LEN + b"\r\n" + BODY],
    "101-not-asked": [b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n" + BODY],
    "101-bare": [b"HTTP/1.1 101 Switching Protocols\r\n\r\n" + ok_response(2)],
    # bare LF / CR, NUL, control characters
    "bare-lf-hides-content-length": [b"HTTP/1.1 200 OK\r\nX-Lf: a\nContent-Length: 5\r\n" + LEN + b"\r\n" + BODY],
    "bare-lf-line-ends": [b"HTTP/1.1 200 OK\n" + LEN.replace(b"\r\n", b"\n") + b"\n" + BODY],
    "nul-in-value": [b"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\n" + LEN + b"\r\n" + BODY],
    "bare-cr-in-value": [b"HTTP/1.1 200 OK\r\nX-A: a\rb\r\n" + LEN + b"\r\n" + BODY],
    "control-in-value": [b"HTTP/1.1 200 OK\r\nX-A: a\x01b\r\n" + LEN + b"\r\n" + BODY],
    "control-in-reason": [b"HTTP/1.1 200 O\x0bK\r\n" + LEN + b"\r\n" + BODY],
    "nul-in-reason": [b"HTTP/1.1 200 O\x00K\r\n" + LEN + b"\r\n" + BODY],
    "bare-cr-in-reason-hides-a-head": [b"HTTP/1.1 200 OK\rHTTP/1.1 200 OK\r\n" + LEN + b"\r\n" + BODY],
    # header names
    "space-in-name": [b"HTTP/1.1 200 OK\r\nX A: 1\r\n" + LEN + b"\r\n" + BODY],
    "at-in-name": [b"HTTP/1.1 200 OK\r\nX@A: 1\r\n" + LEN + b"\r\n" + BODY],
    "space-before-colon": [b"HTTP/1.1 200 OK\r\nContent-Length : 5\r\n" + LEN + b"\r\n" + BODY],
    # version token
    "version-1.1x": [b"HTTP/1.1x 200 OK\r\n" + LEN + b"\r\n" + BODY],
    "version-2.0": [b"HTTP/2.0 200 OK\r\n" + LEN + b"\r\n" + BODY],
    "version-0.9": [b"HTTP/0.9 200 OK\r\n" + LEN + b"\r\n" + BODY],
    "lower-case-version": [b"http/1.1 200 OK\r\n" + LEN + b"\r\n" + BODY],
    "blank-line-before-status": [b"\r\n" + ok_response(2)],
    # content codings and sizes
    "gzip-bomb": bomb(b"gzip", zlib.MAX_WBITS | 16),
    "deflate-bomb": bomb(b"deflate", zlib.MAX_WBITS),
    "brotli-not-asked": [b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 8\r\n\r\n\x1b\xff\xff\xff\xff\x00\x00\x00"],
    "oversized-plain-with-length": [b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (256 * MiB), Lazy(lambda: body_of(256 * MiB))],
    "oversized-plain-until-close": [b"HTTP/1.1 200 OK\r\n\r\n", Lazy(lambda: body_of(256 * MiB))],
    "oversized-plain-chunked": [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                                Lazy(lambda: (b"%x\r\n%s\r\n" % (len(b), b) for b in body_of(256 * MiB)))],
}  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_response_is_a_typed_transport_error(kind, case, hostile, caplog):
    server = hostile(lambda n, head: (HOSTILE[case], False))
    started = time.monotonic()
    with caplog.at_level(logging.DEBUG), pytest.raises(TMDBError) as caught:
        call(kind, server)
    assert isinstance(caught.value, TransportError), repr(caught.value)
    assert type(caught.value.__cause__) is not ValueError and caught.value.__cause__ is None
    assert not [r for r in caplog.records if r.name == "asyncio" and r.levelno >= logging.ERROR]
    assert time.monotonic() - started < 8  # refused as it arrives: a bomb is not inflated to its end


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("gzip-bomb", "exceeds the cap of 67,108,864 bytes"),
        ("oversized-plain-with-length", "exceeds the cap of 67,108,864 bytes"),
        ("brotli-not-asked", "Content-Encoding b'br' was not asked for"),
        ("status-099", "invalid status code 099"),
        ("101-bare", "no upgrade was asked"),
        ("bare-lf-hides-content-length", "Missing expected CR"),
        ("control-in-reason", "control character in the reason phrase"),
        ("version-2.0", "unsupported HTTP version 2.0"),
    ],
)
def test_the_error_names_the_fault(kind, case, message, hostile):
    server = hostile(lambda n, head: (HOSTILE[case], False))
    with pytest.raises(TransportError, match=message):
        call(kind, server)


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_server_answering_well_gives_the_movie(kind, hostile):
    # The suite's control: the server and clients above do work when the response is sound.
    server = hostile(lambda n, head: ([ok_response(2, b"X-Tab: a\tb", b"X-Obs: caf\xe9")], True))
    assert call(kind, server).id == 2  # type: ignore[attr-defined]


# -- at the pool: stray bytes, the deadline, memory --------------------------------------------------------


def pool_call(kind: str, requests: list[httpx.Request], pause: Callable[[], None] | None = None) -> list[object]:
    """Sends `requests` one after the other through a fresh pool of `kind`; `pause` runs between them
    (for the async pool, inside the event loop's task, without letting the loop run)."""
    outcomes: list[object] = []
    limits = httpx.Limits(max_connections=5, max_keepalive_connections=5)
    if kind == "sync":
        sync_pool = SyncPool(limits)
        try:
            for i, req in enumerate(requests):
                if i and pause is not None:
                    pause()
                try:
                    outcomes.append(sync_pool.handle_request(req))
                except httpx.HTTPError as exc:
                    outcomes.append(exc)
        finally:
            sync_pool.close()
        return outcomes

    async def run() -> None:
        async_pool = AsyncPool(limits)
        try:
            for i, req in enumerate(requests):
                if i and pause is not None:
                    pause()
                try:
                    async with asyncio.timeout(10):
                        outcomes.append(await async_pool.handle_async_request(req))
                except httpx.HTTPError as exc:
                    outcomes.append(exc)
        finally:
            await async_pool.aclose()

    asyncio.run(run())
    return outcomes


def get(server: Hostile, movie_id: int, **extensions: object) -> httpx.Request:
    return httpx.Request(
        "GET", f"{server.base_url}/3/movie/{movie_id}", headers={"Accept-Encoding": "gzip, deflate"},
        extensions={"timeout": TIMEOUT, **extensions},
    )  # fmt: skip


def stray_after_first(n: int, head: bytes) -> tuple[list[bytes | Iterable[bytes]], bool]:
    """The first answer, then (a moment later, on the idle kept-alive connection) another movie's."""
    movie_id = int(head.split(b" ")[1].split(b"?")[0].rsplit(b"/", 1)[1])
    if n == 0:
        return [ok_response(movie_id), _later(0.05, ok_response(666))], True
    return [ok_response(movie_id)], True


def _later(seconds: float, data: bytes) -> Iterator[bytes]:
    time.sleep(seconds)
    yield data


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("loop_runs", [True, False], ids=["loop-runs", "loop-blocked"])
def test_stray_bytes_on_an_idle_connection_never_become_the_next_calls_answer(kind, loop_runs, hostile):
    # loop-blocked: the async pool's loop does not run between the calls, so only a poll of the socket
    # can see the stray bytes (the case where AsyncTMDB returned movie 666 for movies.details(2)).
    server = hostile(stray_after_first)

    def pause() -> None:
        time.sleep(0.3)

    first, second = pool_call(kind, [get(server, 1), get(server, 2)], pause)
    assert isinstance(first, httpx.Response) and first.json()["id"] == 1
    assert isinstance(second, httpx.Response) and second.json()["id"] == 2, second
    assert server.connections == 2  # the dirty connection was closed, not reused


@pytest.mark.parametrize("kind", KINDS)
def test_stray_bytes_through_the_clients_never_become_the_next_calls_answer(kind, hostile):
    server = hostile(stray_after_first)
    if kind == "sync":
        with TMDB("key", base_url=server.base_url, retry=None) as tmdb:
            assert tmdb.movies.details(1).id == 1
            time.sleep(0.3)
            assert tmdb.movies.details(2).id == 2
        return

    async def run() -> None:
        async with AsyncTMDB("key", base_url=server.base_url, retry=None) as tmdb:
            assert (await tmdb.movies.details(1)).id == 1
            time.sleep(0.3)  # noqa: ASYNC251 - the loop must not run: the stray answer waits unread in the socket
            assert (await tmdb.movies.details(2)).id == 2

    asyncio.run(run())


def drip(n: int, head: bytes) -> tuple[list[bytes | Iterable[bytes]], bool]:
    """A response that never ends: one byte every 0.2 s (each well within the read timeout)."""

    def pieces() -> Iterator[bytes]:
        yield b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
        for _ in range(100):  # 20 s at most
            time.sleep(0.2)
            yield b" "

    return [pieces()], False


@pytest.mark.parametrize("kind", KINDS)
def test_a_drip_ends_at_the_calls_deadline(kind, hostile):
    server = hostile(drip)
    started = time.monotonic()
    [outcome] = pool_call(kind, [get(server, 2, tmdb_deadline=started + 1.0)])
    elapsed = time.monotonic() - started
    assert isinstance(outcome, httpx.ReadTimeout) and "deadline passed" in str(outcome), outcome
    assert 0.9 <= elapsed < 2.0  # the deadline, and a margin for a loaded machine (the drip alone lasts 20 s)


@pytest.mark.parametrize("kind", KINDS)
def test_a_deadline_already_passed_fails_before_anything_is_sent(kind, hostile):
    server = hostile(drip)
    [outcome] = pool_call(kind, [get(server, 2, tmdb_deadline=time.monotonic() - 1)])
    assert isinstance(outcome, httpx.TimeoutException) and "deadline passed before" in str(outcome)
    assert server.requests == 0


@pytest.mark.parametrize("kind", KINDS)
def test_a_passed_deadline_on_a_kept_alive_connection_fails_and_the_next_call_works(kind, hostile):
    server = hostile(lambda n, head: ([ok_response(n + 1)], True))
    first, late, third = pool_call(kind, [get(server, 1), get(server, 2, tmdb_deadline=time.monotonic() - 1),
                                          get(server, 3)])  # fmt: skip
    assert isinstance(first, httpx.Response) and isinstance(third, httpx.Response)
    assert isinstance(late, httpx.TimeoutException) and "deadline passed before" in str(late)
    assert server.requests == 2 and third.json()["id"] == 2  # the late call sent nothing


@pytest.mark.parametrize("kind", KINDS)
def test_a_deadline_later_than_the_response_changes_nothing(kind, hostile):
    server = hostile(lambda n, head: ([ok_response(2)], True))
    [outcome] = pool_call(kind, [get(server, 2, tmdb_deadline=time.monotonic() + 30)])
    assert isinstance(outcome, httpx.Response) and outcome.json()["id"] == 2


def _status_kib(field: str) -> int | None:
    try:
        with open(f"/proc/{os.getpid()}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Start VmHWM (the resident high-water mark) afresh at the current RSS (Linux: clear_refs 5)."""
    try:
        with open(f"/proc/{os.getpid()}/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", ["gzip-bomb", "deflate-bomb", "oversized-plain-until-close", "oversized-plain-chunked"])
def test_a_bomb_or_an_endless_body_stops_at_the_cap_with_memory_near_it(kind, case, hostile):
    cap = 8 * MiB
    server = hostile(lambda n, head: (HOSTILE[case], False))
    tracemalloc.start()
    try:
        started = time.monotonic()
        [outcome] = pool_call(kind, [get(server, 2, tmdb_max_body=cap)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(outcome, ResponseTooLarge) and "8,388,608 bytes" in str(outcome), outcome
    assert time.monotonic() - started < 5
    assert peak < 4 * cap, f"{peak / MiB:.1f} MiB allocated for a cap of {cap / MiB:.0f} MiB"


def test_the_resident_memory_stays_near_the_default_cap_through_tmdb(hostile):
    # The whole process: a 10 GiB gzip bomb through TMDB with the default cap of 64 MiB. Before the cap,
    # it grew to 2.8 GB of RSS before a MemoryError.
    server = hostile(lambda n, head: (HOSTILE["gzip-bomb"], False))
    if not _reset_peak():
        pytest.skip("no /proc/self/clear_refs here")
    before = _status_kib("VmRSS")
    with pytest.raises(TransportError, match="exceeds the cap"):
        call("sync", server)
    peak = _status_kib("VmHWM")
    assert before is not None and peak is not None
    assert (peak - before) * 1024 < 4 * 64 * MiB, f"the peak RSS grew by {(peak - before) / 1024:.0f} MiB"


@pytest.mark.parametrize("kind", KINDS)
def test_a_body_right_at_the_cap_is_read_and_one_byte_more_is_refused(kind, hostile):
    body = b"x" * 1000
    gz = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    packed = gz.compress(body) + gz.flush()
    head = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(packed)
    server = hostile(lambda n, h: ([head + packed], True))
    at_cap, over = pool_call(kind, [get(server, 2, tmdb_max_body=1000), get(server, 2, tmdb_max_body=999)])
    assert isinstance(at_cap, httpx.Response) and at_cap.content == body
    assert "content-encoding" not in at_cap.headers and at_cap.headers["content-length"] == "1000"
    assert isinstance(over, ResponseTooLarge)


@pytest.mark.parametrize("kind", KINDS)
def test_an_unexpected_error_in_the_reader_is_a_protocol_error_and_not_an_event_loop_failure(
    kind, hostile, monkeypatch, caplog
):
    # The async pool's data_received catches everything: a bug in the reader becomes the call's protocol
    # error, never asyncio's "Fatal error: protocol.data_received() call failed" log and a call left waiting;
    # the sync pool turns it into the same error.
    from tmdb_sdk.transport._reader import ResponseReader

    def broken(self: ResponseReader, data: bytes) -> bool:
        raise IndexError("a bug")

    monkeypatch.setattr(ResponseReader, "feed", broken)
    server = hostile(lambda n, head: ([ok_response(2)], True))
    with caplog.at_level(logging.DEBUG):
        [outcome] = pool_call(kind, [get(server, 2)])
    assert isinstance(outcome, httpx.RemoteProtocolError) and "IndexError('a bug')" in str(outcome)
    assert not [r for r in caplog.records if r.name == "asyncio" and r.levelno >= logging.ERROR]


class _Deadline(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Puts a deadline 1 s ahead on each request, as the retry layer does for a whole call, over a lean pool."""

    def __init__(self, pool: SyncPool | AsyncPool) -> None:
        self.pool = pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(self.pool, SyncPool)
        request.extensions["tmdb_deadline"] = time.monotonic() + 1.0
        return self.pool.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(self.pool, AsyncPool)
        request.extensions["tmdb_deadline"] = time.monotonic() + 1.0
        return await self.pool.handle_async_request(request)


def call_over_lean_pool_with_deadline(kind: str, server: Hostile) -> object:
    """movies.details(2) through TMDB or AsyncTMDB, over a lean pool that gets a 1 s deadline per request."""
    limits = httpx.Limits(max_connections=5, max_keepalive_connections=5)
    if kind == "sync":
        with TMDB("key", base_url=server.base_url, retry=None, transport=_Deadline(SyncPool(limits))) as tmdb:
            return tmdb.movies.details(2)

    async def run() -> object:
        async with AsyncTMDB("key", base_url=server.base_url, retry=None, transport=_Deadline(AsyncPool(limits))) as tmdb:
            return await tmdb.movies.details(2)

    return asyncio.run(run())


@pytest.mark.parametrize("kind", KINDS)
def test_a_drip_through_the_clients_ends_in_a_typed_timeout_at_the_deadline(kind, hostile):
    server = hostile(drip)
    started = time.monotonic()
    with pytest.raises(TMDBTimeoutError, match="deadline passed"):
        call_over_lean_pool_with_deadline(kind, server)
    assert time.monotonic() - started < 2.0
