"""A lean HTTP/1.1 client under httpx's transport API: the default connection pool of TMDB.

httpx's own pool (httpcore + h11) spends ~100 µs of Python per request on a machinery built for
every HTTP use: event objects, state machines, header validation, tracing hooks. A TMDB call is
one small request and one JSON response, so this pool writes the request bytes itself and reads
the response with llhttp (httptools, `_reader`) fed by `recv` (here) or by `data_received` (`_async_pool`).
BENCHMARKS.md has the figures; the reliability suite (tests/reliability) drives both pools
through every fault of its catalogue.

What it does: keep-alive connections (at most `max_connections` at once, `max_keepalive_connections`
kept idle), TLS with httpx's default SSL context (certifi), Content-Length, chunked and read-until-
close bodies, 1xx interim responses skipped, httpx's timeouts (`request.extensions["timeout"]`), each
blocking step also ended by the call's deadline (`request.extensions["tmdb_deadline"]`, monotonic).
The body is decoded as it arrives (gzip/deflate, only as asked by Accept-Encoding) and never grows past
the call's cap (`tmdb_max_body`, else _defaults.MAX_RESPONSE_BYTES): httpx gets it decoded. An idle
connection with unread bytes or EOF is closed, never reused. Proxies are not handled here: a client
given `proxy=` uses httpx's own transport.

Errors are httpx's, with the meaning the retry layer relies on: ConnectError/ConnectTimeout/
PoolTimeout when nothing was sent; WriteError/ReadError/ReadTimeout/RemoteProtocolError after;
DecodingError (`_decode.ResponseTooLarge` past the cap) for a body that cannot be decoded.

The logger `tmdb_sdk.http` tells at DEBUG what httpcore's loggers tell: connections opened and
closed, each request's method and status, failures. Never a URL or a header: no credentials.
"""

from __future__ import annotations

import logging
import select
import socket
import ssl
import threading
from collections.abc import Iterable
from time import monotonic
from typing import Any

import httpx

from ._reader import ResponseReader, reader_for, response_headers

__all__ = ["REPEATABLE_ON_STALE", "ResponseReader", "SyncPool", "request_bytes", "response_of"]

log = logging.getLogger("tmdb_sdk.http")
_DEFAULT_PORTS = {b"http": 80, b"https": 443}
# A kept-alive connection the server had already closed fails before any byte of the response
# (the close and our request crossed): such a request is sent again once, on a new connection,
# when its method is safe to repeat (RFC 9110 9.2.2). Other methods get the error, as over httpcore.
REPEATABLE_ON_STALE = frozenset({"GET", "HEAD", "OPTIONS"})

Key = tuple[bytes, str, int]


def _request_key(request: httpx.Request) -> Key:
    url = request.url
    scheme = url.raw_scheme
    if scheme not in _DEFAULT_PORTS:
        raise httpx.UnsupportedProtocol(f"Request URL has an unsupported protocol '{url.scheme}://'.", request=request)
    # raw_host: the ASCII (IDNA-encoded) name, as DNS and TLS's server_hostname need it.
    return scheme, url.raw_host.decode("ascii"), url.port or _DEFAULT_PORTS[scheme]


def request_bytes(request: httpx.Request, body: bytes) -> bytes:
    """The request as written on the wire (httpx.Request already carries Host and Content-Length)."""
    lines = [request.method.encode("ascii"), b" ", request.url.raw_path, b" HTTP/1.1\r\n"]
    chunked = length = False
    headers = request.headers.raw  # a list built on each access
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"transfer-encoding":  # the body is sent whole, with its length
            chunked = True
            continue
        length = length or lowered == b"content-length"  # httpx adds one to a caller's Transfer-Encoding
        lines += (name, b": ", value, b"\r\n")
    if chunked and not length:
        lines += (b"Content-Length: ", str(len(body)).encode("ascii"), b"\r\n")
    lines.append(b"\r\n")
    head = b"".join(lines)
    # One CR and one LF per line (request line, each header, the blank line): a CR or LF inside a header
    # would start a header or a request of its own; h11 (httpx's own pool) refuses it too.
    if len(head) - len(head.translate(None, b"\r\n")) != 2 * (len(headers) + 2 - (chunked and length)):
        raise httpx.LocalProtocolError("a header name or value holds a CR or LF", request=request)
    return head + body if body else head


def _timeouts(request: httpx.Request) -> dict[str, float | None]:
    return request.extensions.get("timeout") or {}


def deadline_of(request: httpx.Request) -> float | None:
    """The call's deadline (`time.monotonic()` seconds), set by the retry layer for a whole call."""
    deadline = request.extensions.get("tmdb_deadline")
    return deadline if isinstance(deadline, (int, float)) and not isinstance(deadline, bool) else None


def within(
    timeout: float | None, deadline: float | None, request: httpx.Request, error: type[httpx.TimeoutException],
    phase: str,
) -> float | None:  # fmt: skip
    """How long one blocking step may take: its own timeout, but never past the call's deadline."""
    if deadline is None:
        return timeout
    left = deadline - monotonic()
    if left <= 0:
        raise error(f"the call's deadline passed before {phase}", request=request)
    return left if timeout is None or left < timeout else timeout


def timed_out(
    error: type[httpx.TimeoutException], deadline: float | None, request: httpx.Request, phase: str, detail: str = ""
) -> httpx.TimeoutException:
    """The timeout error of a step that ran out: the deadline's, when that is what ended it."""
    if deadline is not None and monotonic() >= deadline:
        return error(f"the call's deadline passed while {phase}", request=request)
    return error(detail or f"timed out while {phase}", request=request)


def response_of(request: httpx.Request, reader: ResponseReader) -> httpx.Response:
    """The complete response; its body is decoded here (gzip etc.), so it arrives already read."""
    log.debug("%s answered %d (%d bytes; connection %s)", request.method, reader.status, len(reader.body),
              "kept" if reader.keep_alive else "closed")  # fmt: skip
    try:
        response = httpx.Response(
            reader.status,
            headers=response_headers(reader),
            content=reader.body,
            extensions={"http_version": reader.version, "reason_phrase": reader.reason},
        )
    except httpx.DecodingError as exc:
        exc.request = request
        raise
    response.request = request
    return response


def _readable(sock: socket.socket) -> bool:
    """Whether an idle socket has something to read (EOF included), without blocking; poll() has no
    descriptor limit, unlike select()."""
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def default_ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


class SyncPool(httpx.BaseTransport):
    """Blocking keep-alive connections, safe to share between threads."""

    def __init__(self, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None) -> None:
        self._max_idle = limits.max_keepalive_connections if limits.max_keepalive_connections is not None else 1 << 30
        slots = limits.max_connections if limits.max_connections is not None else 1 << 30
        self._slots = threading.BoundedSemaphore(slots)
        self._idle: dict[Key, list[socket.socket]] = {}
        self._lock = threading.Lock()
        self._ssl_context = ssl_context
        self._closed = False

    def _ssl(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            self._ssl_context = default_ssl_context()
        return self._ssl_context

    def _idle_connection(self, key: Key) -> socket.socket | None:
        with self._lock:
            idle = self._idle.get(key)
            while idle:
                sock = idle.pop()
                if not _readable(sock):  # readable while idle = closed by the server (or garbage)
                    return sock
                sock.close()
        return None

    def _connect(self, request: httpx.Request, key: Key, timeout: float | None, deadline: float | None) -> socket.socket:
        scheme, host, port = key
        timeout = within(timeout, deadline, request, httpx.ConnectTimeout, "connecting")
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == b"https":
                sock = self._ssl().wrap_socket(sock, server_hostname=host)
        except TimeoutError as exc:
            log.debug("connecting to %s:%d timed out", host, port)
            raise timed_out(httpx.ConnectTimeout, deadline, request, "connecting", str(exc)) from exc
        except OSError as exc:
            log.debug("connecting to %s:%d failed: %r", host, port, exc)
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from exc
        log.debug("connected to %s:%d", host, port)
        return sock

    def _release(self, key: Key, sock: socket.socket) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if not self._closed and len(idle) < self._max_idle:
                idle.append(sock)
                return
        sock.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key = _request_key(request)
        timeouts = _timeouts(request)
        deadline = deadline_of(request)
        data = request_bytes(request, request.read())
        pool_timeout = within(timeouts.get("pool"), deadline, request, httpx.PoolTimeout, "a connection was free")
        if not self._slots.acquire(timeout=pool_timeout):
            raise timed_out(httpx.PoolTimeout, deadline, request, "waiting for a connection",
                            "no connection became free in time")  # fmt: skip
        try:
            return self._exchange(request, key, timeouts, deadline, data)
        finally:
            self._slots.release()

    def _exchange(
        self, request: httpx.Request, key: Key, timeouts: dict[str, Any], deadline: float | None, data: bytes
    ) -> httpx.Response:
        sock = self._idle_connection(key)
        if sock is not None:
            reader = reader_for(request)
            try:
                return self._over(sock, request, key, timeouts, deadline, data, reader)
            except (httpx.WriteError, httpx.ReadError, httpx.RemoteProtocolError):
                if not reader.untouched or request.method not in REPEATABLE_ON_STALE:
                    raise
                log.debug("%s: the kept-alive connection was closed by the server; sending again", request.method)
        sock = self._connect(request, key, timeouts.get("connect"), deadline)
        return self._over(sock, request, key, timeouts, deadline, data, reader_for(request))

    def _over(
        self, sock: socket.socket, request: httpx.Request, key: Key, timeouts: dict[str, Any],
        deadline: float | None, data: bytes, reader: ResponseReader,
    ) -> httpx.Response:  # fmt: skip
        try:
            try:
                sock.settimeout(within(timeouts.get("write"), deadline, request, httpx.WriteTimeout, "sending"))
                sock.sendall(data)
            except TimeoutError as exc:
                raise timed_out(httpx.WriteTimeout, deadline, request, "sending", str(exc)) from exc
            except OSError as exc:
                raise httpx.WriteError(str(exc) or type(exc).__name__, request=request) from exc
            read_timeout = timeouts.get("read")
            sock.settimeout(read_timeout)
            recv = sock.recv
            while True:
                try:
                    if deadline is not None:  # each wait for bytes ends at the deadline at the latest
                        sock.settimeout(within(read_timeout, deadline, request, httpx.ReadTimeout, "reading"))
                    chunk = recv(262144)
                except TimeoutError as exc:
                    raise timed_out(httpx.ReadTimeout, deadline, request, "reading", str(exc)) from exc
                except OSError as exc:
                    raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
                if not chunk:
                    if reader.eof():
                        break
                    what = "a complete body" if reader.status else "a response"
                    raise httpx.RemoteProtocolError(f"server disconnected without sending {what}", request=request)
                if reader.feed(chunk):
                    break
        except (httpx.RemoteProtocolError, httpx.DecodingError) as exc:
            log.debug("%s failed: %r", request.method, exc)
            sock.close()
            exc.request = request
            raise
        except BaseException as exc:
            log.debug("%s failed: %r", request.method, exc)
            sock.close()
            if isinstance(exc, Exception) and not isinstance(exc, httpx.HTTPError):  # a bug, not a raw error
                raise httpx.RemoteProtocolError(f"unreadable response: {exc!r}", request=request) from exc
            raise
        if reader.keep_alive:
            self._release(key, sock)
        else:
            sock.close()
        return response_of(request, reader)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, {}
        for sock in _flatten(idle.values()):
            sock.close()


def _flatten(lists: Iterable[list[Any]]) -> list[Any]:
    return [item for items in lists for item in items]
