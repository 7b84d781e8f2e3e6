"""Loopback parts for the deadline and proxy tests (issue 21): a forwarding HTTP proxy, a scripted origin
(plain or TLS) and a drip server. All listen on 127.0.0.1, run in daemon threads, and bound every loop in
count and time; `close()` stops them.

ForwardProxy handles what httpx sends a proxy: absolute-form requests for http:// URLs (rewritten to
origin-form, one request per upstream connection, the answer marked `Connection: close`) and CONNECT
tunnels for https://. It logs each request line (`log`) and each Proxy-Authorization it saw.
"""

from __future__ import annotations

import json
import select
import socket
import ssl
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from tests.transport.loopback import LIFETIME, ThreadedServer, read_request

HOP_BY_HOP = (b"proxy-connection", b"proxy-authorization", b"connection", b"keep-alive")


def _pipe(one: socket.socket, other: socket.socket) -> None:
    """Copies bytes both ways until either side closes or LIFETIME passes."""
    ends, until = [one, other], time.monotonic() + LIFETIME
    while time.monotonic() < until:
        readable, _, _ = select.select(ends, [], [], 0.5)
        for end in readable:
            data = end.recv(65536)
            if not data:
                return
            (other if end is one else one).sendall(data)


def _close_marked(head: bytes) -> bytes:
    """A response head with its Connection header replaced by `Connection: close`."""
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([lines[0], b"Connection: close", *lines[1:]])


class ForwardProxy(ThreadedServer):
    def __init__(self) -> None:
        self.log: list[str] = []
        self.authorizations: list[str] = []
        super().__init__()

    def serve(self, conn: socket.socket) -> None:
        buffer = b""
        for _ in range(100):  # requests on one client connection
            read = read_request(conn, buffer)
            if read is None:
                return
            head, body, buffer = read
            lines = head.split(b"\r\n")
            method, target, _ = lines[0].decode("latin-1").split(" ", 2)
            self.log.append(f"{method} {target}")
            headers = []
            for line in lines[1:]:
                if line.lower().startswith(b"proxy-authorization:"):
                    self.authorizations.append(line.split(b":", 1)[1].strip().decode("latin-1"))
                if not line.lower().startswith(HOP_BY_HOP):
                    headers.append(line)
            if method == "CONNECT":
                host, port = target.rsplit(":", 1)
                with socket.create_connection((host, int(port)), timeout=LIFETIME) as upstream:
                    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    _pipe(conn, upstream)
                return
            parts = urlsplit(target)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            with socket.create_connection((parts.hostname, parts.port or 80), timeout=LIFETIME) as upstream:
                upstream.sendall(b"\r\n".join([f"{method} {path} HTTP/1.1".encode(), *headers,
                                               b"Connection: close", b"", b""]) + body)
                self._relay(upstream, conn)
            return  # the answer said Connection: close

    def _relay(self, upstream: socket.socket, conn: socket.socket) -> None:
        """The upstream's answer, marked `Connection: close`, relayed as its bytes arrive."""
        received = b""
        for _ in range(10_000):
            if b"\r\n\r\n" in received:
                break
            data = upstream.recv(65536)
            if not data:
                conn.sendall(received)
                return
            received += data
        head, _, rest = received.partition(b"\r\n\r\n")
        conn.sendall(_close_marked(head) + b"\r\n\r\n" + rest)
        _pipe(upstream, conn)


Answer = tuple[int, dict[str, str], bytes]


def movie(movie_id: int = 550, **headers: str) -> Answer:
    body = json.dumps({"id": movie_id, "title": "Fight Club"}).encode()
    return 200, {"Content-Type": "application/json", **headers}, body


class Origin(ThreadedServer):
    """Answers each request with `respond(request line)` (default: a movie); logs the request lines."""

    def __init__(self, respond: Callable[[str], Answer] = lambda _: movie(), context: ssl.SSLContext | None = None):
        self.respond = respond
        self.log: list[str] = []
        super().__init__(context)

    def serve(self, conn: socket.socket) -> None:
        buffer = b""
        for _ in range(100):
            read = read_request(conn, buffer)
            if read is None:
                return
            head, _, buffer = read
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            self.log.append(line)
            status, headers, body = self.respond(line)
            lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
            conn.sendall("\r\n".join([*lines, "", ""]).encode() + body)
            if b"connection: close" in head.lower():
                return


class Drip(ThreadedServer):
    """Sends its answer one byte every `every` seconds: the whole of it (`head=True`) or only the body.

    The body is `length` bytes long (a JSON string), so the answer ends by itself after about
    length * every seconds if the client waits that long.
    """

    def __init__(self, every: float = 0.2, length: int = 100, head: bool = False) -> None:
        self.every, self.length, self.head = every, length, head
        self.connections = 0
        super().__init__()

    def serve(self, conn: socket.socket) -> None:
        if read_request(conn, b"") is None:
            return
        self.connections += 1
        body = b'"' + b"x" * (self.length - 2) + b'"'
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        if not self.head:
            conn.sendall(head)
            head = b""
        for byte in head + body:
            if self.stopped.is_set():
                return
            time.sleep(self.every)
            conn.sendall(bytes([byte]))
