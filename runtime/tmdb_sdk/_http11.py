"""A lean HTTP/1.1 client under httpx's transport API: the default connection pool of TMDB.

httpx's own pool (httpcore + h11) spends ~100 µs of Python per request on a machinery built for
every HTTP use: event objects, state machines, header validation, tracing hooks. A TMDB call is
one small request and one JSON response, so this pool writes the request bytes itself and reads
the response with a small parser fed by `recv` (here) or by `data_received` (`_async_pool`).
BENCHMARKS.md has the figures; the reliability suite (tests/reliability) drives both pools
through every fault of its catalogue.

What it does: keep-alive connections (at most `max_connections` at once, `max_keepalive_connections`
kept idle), TLS with httpx's default SSL context (certifi), Content-Length, chunked and read-until-
close bodies, 1xx interim responses skipped, httpx's timeouts (`request.extensions["timeout"]`).
The body is returned as received: httpx.Response decodes gzip/deflate/br as usual. Proxies are
not handled here: a client given `proxy=` uses httpx's own transport.

Errors are httpx's, with the meaning the retry layer relies on: ConnectError/ConnectTimeout/
PoolTimeout when nothing was sent; WriteError/ReadError/ReadTimeout/RemoteProtocolError after.

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
from typing import Any

import httpx

log = logging.getLogger("tmdb_sdk.http")
_MAX_HEAD = 256 * 1024
_HEX = b"0123456789abcdefABCDEF"
_NO_BODY_STATUS = frozenset({204, 304})
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


class ResponseReader:
    """One response, fed the bytes as they arrive; `done` once it is complete."""

    __slots__ = (
        "_buffer",
        "_chunk",
        "_head_request",
        "_mode",
        "_parts",
        "_remaining",
        "done",
        "headers",
        "keep_alive",
        "reason",
        "status",
        "version",
    )  # fmt: skip

    def __init__(self, method: str) -> None:
        self._head_request = method == "HEAD"
        self._buffer = b""
        self._parts: list[bytes] = []
        self._mode = "head"  # head | length | chunked | close
        self._remaining = 0
        self._chunk = "size"  # size | data | crlf | trailer
        self.done = False
        self.keep_alive = True
        self.status = 0
        self.reason = b""
        self.version = b"HTTP/1.1"
        self.headers: list[tuple[bytes, bytes]] = []

    @property
    def body(self) -> bytes:
        return self._parts[0] if len(self._parts) == 1 else b"".join(self._parts)

    @property
    def untouched(self) -> bool:
        """Not a byte of the response has arrived."""
        return self._mode == "head" and not self._buffer and not self.status

    def feed(self, data: bytes) -> bool:
        if self._mode == "length":
            return self._feed_length(data)
        if self._mode == "head":
            self._buffer += data
            return self._parse_head()
        if self._mode == "chunked":
            self._buffer += data
            return self._parse_chunks()
        self._parts.append(data)  # until the connection closes
        return False

    def eof(self) -> bool:
        """The connection was closed: whether that completes the response."""
        if self._mode == "close":
            self.done, self.keep_alive = True, False
        return self.done

    def _feed_length(self, data: bytes) -> bool:
        if len(data) >= self._remaining:
            if len(data) > self._remaining:  # more than announced: the connection cannot be trusted
                self.keep_alive = False
                data = data[: self._remaining]
            self._parts.append(data)
            self._remaining = 0
            self.done = True
            return True
        self._parts.append(data)
        self._remaining -= len(data)
        return False

    def _parse_head(self) -> bool:
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > _MAX_HEAD:
                    raise httpx.RemoteProtocolError("response head too large")
                return False
            head, rest = self._buffer[:end], self._buffer[end + 4 :]
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ", 2)
            if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
                raise httpx.RemoteProtocolError(f"malformed status line {lines[0][:100]!r}")
            status = int(parts[1])
            if 100 <= status < 200 and status != 101:  # interim response: the final one follows
                self._buffer = rest
                continue
            break
        self.version, self.status, self.reason = parts[0], status, parts[2] if len(parts) > 2 else b""
        headers = self.headers
        length: int | None = None
        chunked = close = False
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            # strip() returns the very name when there is no whitespace around it (cheaper than slicing)
            if not sep or not name or name.strip(b" \t") is not name:
                if line[:1] in (b" ", b"\t"):  # obsolete line folding: parsed again, unfolded
                    self.headers = []
                    self._buffer = b"\r\n".join(_unfolded(lines)) + b"\r\n\r\n" + rest
                    return self._parse_head()
                raise httpx.RemoteProtocolError(f"malformed header line {line[:100]!r}")
            value = value.strip()
            headers.append((name, value))
            lowered = name.lower()
            if lowered == b"content-length":
                if not value.isdigit() or (length is not None and int(value) != length):
                    raise httpx.RemoteProtocolError(f"invalid Content-Length {value[:40]!r}")
                length = int(value)
            elif lowered == b"transfer-encoding":
                # chunked is the only coding httpx can undo (as h11: any other, or a second header, is an error)
                if chunked or value.lower() != b"chunked":
                    raise httpx.RemoteProtocolError(f"unsupported Transfer-Encoding {value[:40]!r}")
                chunked = True
            elif lowered == b"connection":
                close = b"close" in value.lower()
        self.keep_alive = not close and self.version == b"HTTP/1.1"
        self._buffer = b""
        if self._head_request or status in _NO_BODY_STATUS:
            self.keep_alive = self.keep_alive and not rest
            self.done = True
            return True
        if chunked:
            if length is not None:  # chunked wins (RFC 9112 6.3), but the framing is suspect: not reused
                self.keep_alive = False
            self._mode = "chunked"
            self._buffer = rest
            return self._parse_chunks()
        if length is not None:
            self._mode, self._remaining = "length", length
            if length == 0:
                self.keep_alive = self.keep_alive and not rest
                self.done = True
                return True
            return self._feed_length(rest) if rest else False
        self._mode, self.keep_alive = "close", False
        if rest:
            self._parts.append(rest)
        return False

    def _parse_chunks(self) -> bool:
        buffer = self._buffer
        while True:
            if self._chunk == "size":
                end = buffer.find(b"\r\n")
                if end < 0:
                    if len(buffer) > _MAX_HEAD:
                        raise httpx.RemoteProtocolError("chunk size line too long")
                    break
                size_text = buffer[:end].split(b";", 1)[0].strip()
                if not size_text or size_text.strip(_HEX):  # int() would take "-5", "+5", "0x5", "5_0"
                    raise httpx.RemoteProtocolError(f"invalid chunk size {size_text[:20]!r}")
                size = int(size_text, 16)
                buffer = buffer[end + 2 :]
                self._chunk, self._remaining = ("trailer", 0) if size == 0 else ("data", size)
            elif self._chunk == "data":
                if not buffer:
                    break
                piece = buffer[: self._remaining]
                self._parts.append(piece)
                self._remaining -= len(piece)
                buffer = buffer[len(piece) :]
                if self._remaining == 0:
                    self._chunk = "crlf"
            elif self._chunk == "crlf":
                if len(buffer) < 2:
                    break
                if buffer[:2] != b"\r\n":
                    raise httpx.RemoteProtocolError("chunk not followed by CRLF")
                buffer = buffer[2:]
                self._chunk = "size"
            else:  # trailer lines, ended by an empty line
                end = buffer.find(b"\r\n")
                if end < 0:
                    if len(buffer) > _MAX_HEAD:
                        raise httpx.RemoteProtocolError("trailer line too long")
                    break
                line, buffer = buffer[:end], buffer[end + 2 :]
                if not line:
                    self.keep_alive = self.keep_alive and not buffer
                    self.done = True
                    self._buffer = b""
                    return True
        self._buffer = buffer
        return False


def _unfolded(lines: list[bytes]) -> list[bytes]:
    """Header lines with each obsolete line folding (a line starting with SP or HTAB) joined to the line
    before by one space (RFC 9112 5.2), as h11 does."""
    joined = lines[:1]
    for line in lines[1:]:
        if line[:1] not in (b" ", b"\t"):
            joined.append(line)
        elif len(joined) == 1:
            raise httpx.RemoteProtocolError("continuation line at start of headers")
        else:
            joined[-1] = joined[-1] + b" " + line.lstrip(b" \t")
    return joined


def response_of(request: httpx.Request, reader: ResponseReader) -> httpx.Response:
    """The complete response; its body is decoded here (gzip etc.), so it arrives already read."""
    log.debug("%s answered %d (%d bytes; connection %s)", request.method, reader.status, len(reader.body),
              "kept" if reader.keep_alive else "closed")  # fmt: skip
    try:
        response = httpx.Response(
            reader.status,
            headers=reader.headers,
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

    def _connect(self, request: httpx.Request, key: Key, timeout: float | None) -> socket.socket:
        scheme, host, port = key
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == b"https":
                sock = self._ssl().wrap_socket(sock, server_hostname=host)
        except TimeoutError as exc:
            log.debug("connecting to %s:%d timed out", host, port)
            raise httpx.ConnectTimeout(str(exc) or "timed out while connecting", request=request) from exc
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
        data = request_bytes(request, request.read())
        pool_timeout = timeouts.get("pool")
        if not self._slots.acquire(timeout=pool_timeout):
            raise httpx.PoolTimeout("no connection became free in time", request=request)
        try:
            return self._exchange(request, key, timeouts, data)
        finally:
            self._slots.release()

    def _exchange(self, request: httpx.Request, key: Key, timeouts: dict[str, Any], data: bytes) -> httpx.Response:
        sock = self._idle_connection(key)
        if sock is not None:
            reader = ResponseReader(request.method)
            try:
                return self._over(sock, request, key, timeouts, data, reader)
            except (httpx.WriteError, httpx.ReadError, httpx.RemoteProtocolError):
                if not reader.untouched or request.method not in REPEATABLE_ON_STALE:
                    raise
                log.debug("%s: the kept-alive connection was closed by the server; sending again", request.method)
        sock = self._connect(request, key, timeouts.get("connect"))
        return self._over(sock, request, key, timeouts, data, ResponseReader(request.method))

    def _over(
        self, sock: socket.socket, request: httpx.Request, key: Key, timeouts: dict[str, Any], data: bytes,
        reader: ResponseReader,
    ) -> httpx.Response:  # fmt: skip
        try:
            try:
                sock.settimeout(timeouts.get("write"))
                sock.sendall(data)
            except TimeoutError as exc:
                raise httpx.WriteTimeout(str(exc) or "timed out while sending", request=request) from exc
            except OSError as exc:
                raise httpx.WriteError(str(exc) or type(exc).__name__, request=request) from exc
            sock.settimeout(timeouts.get("read"))
            recv = sock.recv
            while True:
                try:
                    chunk = recv(262144)
                except TimeoutError as exc:
                    raise httpx.ReadTimeout(str(exc) or "timed out while reading", request=request) from exc
                except OSError as exc:
                    raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
                if not chunk:
                    if reader.eof():
                        break
                    what = "a complete body" if reader.status else "a response"
                    raise httpx.RemoteProtocolError(f"server disconnected without sending {what}", request=request)
                if reader.feed(chunk):
                    break
        except httpx.RemoteProtocolError as exc:
            log.debug("%s failed: %r", request.method, exc)
            sock.close()
            exc.request = request
            raise
        except BaseException as exc:
            log.debug("%s failed: %r", request.method, exc)
            sock.close()
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
