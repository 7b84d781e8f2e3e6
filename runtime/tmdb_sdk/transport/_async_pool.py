"""AsyncTMDB's default connection pool: asyncio protocols speaking lean HTTP/1.1 (`_http11`).

Under httpx's AsyncBaseTransport API, like httpx-aiohttp, but without a second client's machinery
per request (aiohttp's ClientSession: URL objects, cookie jar, tracing, header multidicts), which
httpx-aiohttp then converts back into httpx's types: at 50 tasks a call costs about a third of what
it did over httpx-aiohttp (BENCHMARKS.md). One connection carries one request at a time; the
response is read by `data_received` into a `ResponseReader` and handed over complete.

The pool belongs to the event loop it first runs on; used from another loop (a second
`asyncio.run`), it drops the connections of the first.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
from time import monotonic
from typing import Any

import httpx

from ._http11 import (
    REPEATABLE_ON_STALE,
    Key,
    _readable,
    _request_key,
    _timeouts,
    deadline_of,
    default_ssl_context,
    log,
    request_bytes,
    response_of,
    timed_out,
    within,
)  # fmt: skip
from ._reader import ResponseReader, reader_for


class _Lost(Exception):
    """The connection closed before the response was complete (`cause`: the OS error, if any)."""

    def __init__(self, cause: BaseException | None) -> None:
        super().__init__(cause)
        self.cause = cause


class _Expired(Exception):
    """The read timeout fired (`deadline`: the call's deadline did)."""

    def __init__(self, deadline: bool) -> None:
        super().__init__(deadline)
        self.deadline = deadline


class _Connection(asyncio.Protocol):
    __slots__ = ("closed", "last", "reader", "sock", "timer", "transport", "waiter")

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.sock: Any = None  # the transport's socket (under TLS too), polled before a connection is reused
        self.reader: ResponseReader | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.timer: asyncio.TimerHandle | None = None  # the read timeout of the exchange under way
        self.last = 0.0  # when bytes last arrived (time.monotonic, the default loops' clock)
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.sock = transport.get_extra_info("socket")

    def data_received(self, data: bytes) -> None:
        self.last = monotonic()
        reader, waiter = self.reader, self.waiter
        if reader is None or waiter is None or waiter.done():
            self.closed = True  # bytes nobody asked for: the connection cannot be trusted any more
            return
        try:
            if reader.feed(data):
                waiter.set_result(None)
        except Exception as exc:  # noqa: BLE001 - never into asyncio's "Fatal error: data_received()" log
            self.closed = True
            waiter.set_exception(_failure(exc))

    def eof_received(self) -> bool:
        return False  # close the transport: connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            try:
                complete = self.reader is not None and self.reader.eof()
            except Exception as error:  # noqa: BLE001 - e.g. a close-delimited gzip body cut short
                waiter.set_exception(_failure(error))
                return
            if complete:
                waiter.set_result(None)
            else:
                waiter.set_exception(_Lost(exc))

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


def _failure(exc: Exception) -> Exception:
    """What the reader raised, as the waiter's exception: httpx's errors as they are, anything else (a bug)
    as a protocol error rather than a raw exception."""
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.DecodingError)):
        return exc
    return httpx.RemoteProtocolError(f"unreadable response: {exc!r}")


def _translated(request: httpx.Request, reader: ResponseReader, exc: BaseException) -> BaseException:
    """httpx's error for a failed exchange (anything else, e.g. CancelledError, unchanged)."""
    if isinstance(exc, _Expired):
        if exc.deadline:
            return httpx.ReadTimeout("the call's deadline passed while reading the response", request=request)
        return httpx.ReadTimeout("timed out while reading the response", request=request)
    if isinstance(exc, _Lost):
        if exc.cause is not None:
            return httpx.ReadError(str(exc.cause) or type(exc.cause).__name__, request=request)
        what = "a complete body" if reader.status else "a response"
        return httpx.RemoteProtocolError(f"server disconnected without sending {what}", request=request)
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.DecodingError)):
        exc.request = request
    return exc


def _expire(
    connection: _Connection, waiter: asyncio.Future[None], timeout: float | None, deadline: float | None
) -> None:
    """The read timeout, as httpx means it: no bytes for `timeout` seconds (not the whole response);
    and the call's deadline, whatever arrives."""
    if waiter.done():
        return
    now = monotonic()
    if deadline is not None and now >= deadline:
        waiter.set_exception(_Expired(deadline=True))
        return
    wait = None if timeout is None else timeout - (now - connection.last)
    if wait is not None and wait <= 0:
        waiter.set_exception(_Expired(deadline=False))
        return
    # bytes came meanwhile: wait for the rest of a full timeout after them, or up to the deadline
    if deadline is not None and (wait is None or deadline - now < wait):
        wait = deadline - now
    assert wait is not None
    connection.timer = waiter.get_loop().call_later(wait, _expire, connection, waiter, timeout, deadline)


class AsyncPool(httpx.AsyncBaseTransport):
    """Keep-alive connections for one event loop, at most `max_connections` busy at once."""

    def __init__(self, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None) -> None:
        self._max_busy = limits.max_connections if limits.max_connections is not None else 1 << 30
        self._max_idle = limits.max_keepalive_connections if limits.max_keepalive_connections is not None else 1 << 30
        self._ssl_context = ssl_context
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: dict[Key, list[_Connection]] = {}
        self._busy = 0
        self._waiting: collections.deque[asyncio.Future[None]] = collections.deque()
        self._closed = False

    def _adopt(self, loop: asyncio.AbstractEventLoop) -> None:
        for connection in [c for idle in self._idle.values() for c in idle]:
            try:
                connection.abort()
            except RuntimeError:  # its loop is closed: the socket went with it
                pass
        self._loop, self._idle, self._busy, self._waiting = loop, {}, 0, collections.deque()

    async def _acquire(self, request: httpx.Request, timeout: float | None, deadline: float | None) -> None:
        if self._busy < self._max_busy:
            self._busy += 1
            return
        assert self._loop is not None
        timeout = within(timeout, deadline, request, httpx.PoolTimeout, "a connection was free")
        turn = self._loop.create_future()
        self._waiting.append(turn)
        try:
            async with asyncio.timeout(timeout):
                await turn  # the releasing request hands its slot over
        except BaseException as exc:
            if turn.done() and not turn.cancelled():
                self._release()  # handed over just as we gave up: pass it on
            else:
                turn.cancel()
            if isinstance(exc, TimeoutError):
                raise timed_out(httpx.PoolTimeout, deadline, request, "waiting for a connection",
                                "no connection became free in time") from None  # fmt: skip
            raise

    def _release(self) -> None:
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self._busy -= 1

    def _idle_connection(self, key: Key) -> _Connection | None:
        """A kept-alive connection not known to be closed or dirty. The loop learns of bytes or a close
        only on its next turn: those that came right behind the response are still in the socket, so
        it is polled too (a connection with unread bytes would hand them to the next call as its own)."""
        idle = self._idle.get(key)
        while idle:
            connection = idle.pop()
            if not connection.closed and (connection.sock is None or not _readable(connection.sock)):
                return connection
            connection.abort()  # closed by the server, or sent bytes nobody asked for
        return None

    async def _connect(
        self, request: httpx.Request, key: Key, timeout: float | None, deadline: float | None
    ) -> _Connection:
        assert self._loop is not None
        scheme, host, port = key
        timeout = within(timeout, deadline, request, httpx.ConnectTimeout, "connecting")
        tls = scheme == b"https"
        if tls and self._ssl_context is None:
            self._ssl_context = default_ssl_context()
        try:
            async with asyncio.timeout(timeout):
                _, connection = await self._loop.create_connection(
                    _Connection,
                    host,
                    port,
                    ssl=self._ssl_context if tls else None,
                    server_hostname=host if tls else None,
                )
        except TimeoutError as exc:
            log.debug("connecting to %s:%d timed out", host, port)
            raise timed_out(httpx.ConnectTimeout, deadline, request, "connecting") from exc
        except OSError as exc:
            log.debug("connecting to %s:%d failed: %r", host, port, exc)
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from exc
        log.debug("connected to %s:%d", host, port)
        return connection

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._adopt(loop)
        key = _request_key(request)
        timeouts = _timeouts(request)
        data = request_bytes(request, await request.aread())
        deadline = deadline_of(request)
        await self._acquire(request, timeouts.get("pool"), deadline)
        try:
            connection, reader = await self._send(request, key, data, timeouts, deadline)
        finally:
            self._release()
        if reader.keep_alive and not connection.closed and not self._closed:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self._max_idle:
                idle.append(connection)
            else:
                connection.abort()
        else:
            connection.abort()
        return response_of(request, reader)

    async def _send(
        self, request: httpx.Request, key: Key, data: bytes, timeouts: dict[str, float | None], deadline: float | None
    ) -> tuple[_Connection, ResponseReader]:
        """The connection used and its complete response; a kept-alive one closed meanwhile is replaced once."""
        read_timeout = timeouts.get("read")
        connection = self._idle_connection(key)
        if connection is not None:
            reader = reader_for(request)
            try:
                await self._exchange(request, connection, reader, data, read_timeout, deadline)
                return connection, reader
            except (httpx.ReadError, httpx.RemoteProtocolError):
                if not reader.untouched or request.method not in REPEATABLE_ON_STALE:
                    raise
                log.debug("%s: the kept-alive connection was closed by the server; sending again", request.method)
        connection = await self._connect(request, key, timeouts.get("connect"), deadline)
        reader = reader_for(request)
        await self._exchange(request, connection, reader, data, read_timeout, deadline)
        return connection, reader

    async def _exchange(
        self, request: httpx.Request, connection: _Connection, reader: ResponseReader, data: bytes,
        timeout: float | None, deadline: float | None,
    ) -> None:  # fmt: skip
        assert self._loop is not None and connection.transport is not None
        waiter = self._loop.create_future()
        connection.reader, connection.waiter = reader, waiter
        try:
            first = within(timeout, deadline, request, httpx.ReadTimeout, "sending")
            if first is not None:
                connection.last = monotonic()
                connection.timer = self._loop.call_later(first, _expire, connection, waiter, timeout, deadline)
            connection.transport.write(data)
            await waiter
        except BaseException as exc:  # cancelled mid-exchange too: the connection's state is unknown
            connection.abort()
            log.debug("%s failed: %r", request.method, exc)
            translated = _translated(request, reader, exc)
            if translated is exc:
                raise
            raise translated from (exc.cause if isinstance(exc, _Lost) else None)
        finally:
            if connection.timer is not None:
                connection.timer.cancel()
                connection.timer = None
            connection.reader = connection.waiter = None

    async def aclose(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, {}
        for connection in [c for connections in idle.values() for c in connections]:
            try:
                connection.abort()
            except RuntimeError:
                pass
