"""A raw-socket HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose.

pytest-httpserver (werkzeug) always writes well-formed responses, so the transport faults a
CDN or a dying backend produces -- a reset in the middle of a body, a body shorter than its
Content-Length, a reply that never comes, a connection closed without a word -- need a server
that writes the bytes itself. Each accepted request is answered by the next `Fault` of a script;
the last one repeats, so a client that retries meets the same fault again. Every wait is bounded
by the server's stop event, so closing the server never leaves a thread behind.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import Literal, Self

# What happens after the request has been read.
Action = Literal["respond", "reset", "truncate", "hang", "close"]

READ_LIMIT = 1 << 20  # a request larger than this is a test bug, not a fault to tolerate
SOCKET_TIMEOUT = 5.0  # no single socket operation of the server may block longer


@dataclass(frozen=True)
class Fault:
    """One scripted answer.

    respond:  status line, headers and `body`, after `delay` seconds.
    reset:    headers announcing `declared_length`, `body` sent, then an RST (SO_LINGER 0).
    truncate: headers announcing `declared_length`, `body` sent, then an orderly close (FIN).
    hang:     read the request, then send nothing until `delay` passes or the server stops.
    close:    read the request, then close without sending a byte.
    """

    action: Action = "respond"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json;charset=utf-8"),)
    body: bytes = b"{}"
    delay: float = 0.0
    declared_length: int | None = None


@dataclass
class ReceivedRequest:
    method: str
    target: str
    headers: dict[str, str]


@dataclass
class FaultServer:
    """Serves `script` in order on an ephemeral 127.0.0.1 port; `requests` records what came in."""

    script: Sequence[Fault]
    requests: list[ReceivedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.script:
            raise ValueError("FaultServer needs at least one Fault")
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._workers: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept_loop, name="fault-server", daemon=True)
        self._acceptor.start()

    @property
    def base_url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    def hits(self) -> int:
        with self._lock:
            return len(self.requests)

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join(timeout=2)
        for worker in self._workers:
            worker.join(timeout=2)
        self._listener.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._workers.append(worker)
            worker.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(SOCKET_TIMEOUT)
        try:
            # Keep-alive: one connection may carry several requests (httpx pools connections).
            while not self._stop.is_set():
                request = _read_request(conn)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    fault = self.script[min(len(self.requests), len(self.script)) - 1]
                if not self._answer(conn, fault):
                    return
        except OSError:
            return  # the client gave up (its timeout): nothing left to serve
        finally:
            conn.close()

    def _answer(self, conn: socket.socket, fault: Fault) -> bool:
        """Perform `fault`; True when the connection may carry another request."""
        if fault.action == "hang":
            self._stop.wait(fault.delay or SOCKET_TIMEOUT)
            return False
        if fault.action == "close":
            return False
        if fault.delay and self._stop.wait(fault.delay):
            return False
        declared = len(fault.body) if fault.action == "respond" else fault.declared_length
        conn.sendall(_head(fault, declared) + fault.body)
        if fault.action == "reset":
            # A zero linger time turns close() into an RST: the client sees ECONNRESET mid-body.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        return fault.action == "respond"


def _head(fault: Fault, content_length: int | None) -> bytes:
    reason = HTTPStatus(fault.status).phrase if fault.status in HTTPStatus._value2member_map_ else "Unknown"
    lines = [f"HTTP/1.1 {fault.status} {reason}", f"Date: {formatdate(usegmt=True)}"]
    lines += [f"{name}: {value}" for name, value in fault.headers]
    if content_length is not None:
        lines.append(f"Content-Length: {content_length}")
    if fault.action != "respond":
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _read_request(conn: socket.socket) -> ReceivedRequest | None:
    """Read one request (head and any Content-Length body); None when the peer closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > READ_LIMIT:
            raise OSError("request head too large")
    head, _, rest = data.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _version = request_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    remaining = int(headers.get("content-length", "0")) - len(rest)
    while remaining > 0:
        chunk = conn.recv(min(remaining, 65536))
        if not chunk:
            return None
        remaining -= len(chunk)
    return ReceivedRequest(method=method, target=target, headers=headers)


def refused_url() -> str:
    """A 127.0.0.1 URL on a port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
