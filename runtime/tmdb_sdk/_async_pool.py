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
    ResponseReader,
    _readable,
    _request_key,
    _timeouts,
    default_ssl_context,
    log,
    request_bytes,
    response_of,
)  # fmt: skip


class _Lost(Exception):
    """The connection closed before the response was complete (`cause`: the OS error, if any)."""

    def __init__(self, cause: BaseException | None) -> None:
        super().__init__(cause)
        self.cause = cause


class _Expired(Exception):
    """The read timeout fired."""


class _Connection(asyncio.Protocol):
    __slots__ = ("closed", "last", "reader", "sock", "timer", "transport", "waiter")

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.sock: Any = None  # the transport's socket (under TLS too), polled before a POST reuses it
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
        except httpx.RemoteProtocolError as exc:
            self.closed = True
            waiter.set_exception(exc)

    def eof_received(self) -> bool:
        return False  # close the transport: connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            if self.reader is not None and self.reader.eof():
                waiter.set_result(None)
            else:
                waiter.set_exception(_Lost(exc))

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


def _translated(request: httpx.Request, reader: ResponseReader, exc: BaseException) -> BaseException:
    """httpx's error for a failed exchange (anything else, e.g. CancelledError, unchanged)."""
    if isinstance(exc, _Expired):
        return httpx.ReadTimeout("timed out while reading the response", request=request)
    if isinstance(exc, _Lost):
        if exc.cause is not None:
            return httpx.ReadError(str(exc.cause) or type(exc.cause).__name__, request=request)
        what = "a complete body" if reader.status else "a response"
        return httpx.RemoteProtocolError(f"server disconnected without sending {what}", request=request)
    if isinstance(exc, httpx.RemoteProtocolError):
        exc.request = request
    return exc


def _expire(connection: _Connection, waiter: asyncio.Future[None], timeout: float) -> None:
    """The read timeout, as httpx means it: no bytes for `timeout` seconds (not the whole response)."""
    if waiter.done():
        return
    quiet = monotonic() - connection.last
    if quiet < timeout:  # bytes came meanwhile: wait for the rest of a full timeout after them
        connection.timer = waiter.get_loop().call_later(timeout - quiet, _expire, connection, waiter, timeout)
    else:
        waiter.set_exception(_Expired())


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

    async def _acquire(self, request: httpx.Request, timeout: float | None) -> None:
        if self._busy < self._max_busy:
            self._busy += 1
            return
        assert self._loop is not None
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
                raise httpx.PoolTimeout("no connection became free in time", request=request) from None
            raise

    def _release(self) -> None:
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self._busy -= 1

    def _idle_connection(self, key: Key, repeatable: bool) -> _Connection | None:
        """A kept-alive connection not known to be closed. The loop learns of a close only on its next
        turn: one that came right behind the response is still to be seen. A request that can be sent
        again is, if it finds the connection closed (`_send`); any other first polls the socket."""
        idle = self._idle.get(key)
        while idle:
            connection = idle.pop()
            if not connection.closed and (repeatable or connection.sock is None or not _readable(connection.sock)):
                return connection
            connection.abort()  # closed by the server, or sent bytes nobody asked for
        return None

    async def _connect(self, request: httpx.Request, key: Key, timeout: float | None) -> _Connection:
        assert self._loop is not None
        scheme, host, port = key
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
            raise httpx.ConnectTimeout("timed out while connecting", request=request) from exc
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
        await self._acquire(request, timeouts.get("pool"))
        try:
            connection, reader = await self._send(request, key, data, timeouts)
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
        self, request: httpx.Request, key: Key, data: bytes, timeouts: dict[str, float | None]
    ) -> tuple[_Connection, ResponseReader]:
        """The connection used and its complete response; a kept-alive one closed meanwhile is replaced once."""
        read_timeout = timeouts.get("read")
        repeatable = request.method in REPEATABLE_ON_STALE
        connection = self._idle_connection(key, repeatable)
        if connection is not None:
            reader = ResponseReader(request.method)
            try:
                await self._exchange(request, connection, reader, data, read_timeout)
                return connection, reader
            except (httpx.ReadError, httpx.RemoteProtocolError):
                if not reader.untouched or not repeatable:
                    raise
                log.debug("%s: the kept-alive connection was closed by the server; sending again", request.method)
        connection = await self._connect(request, key, timeouts.get("connect"))
        reader = ResponseReader(request.method)
        await self._exchange(request, connection, reader, data, read_timeout)
        return connection, reader

    async def _exchange(
        self, request: httpx.Request, connection: _Connection, reader: ResponseReader, data: bytes,
        timeout: float | None,
    ) -> None:  # fmt: skip
        assert self._loop is not None and connection.transport is not None
        waiter = self._loop.create_future()
        connection.reader, connection.waiter = reader, waiter
        if timeout is not None:
            connection.last = monotonic()
            connection.timer = self._loop.call_later(timeout, _expire, connection, waiter, timeout)
        try:
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
