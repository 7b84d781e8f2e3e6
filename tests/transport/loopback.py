"""What the transport tests' loopback servers share: an accepting server whose connections each get a
thread, and reading one HTTP/1.1 request off a socket."""

from __future__ import annotations

import socket
import ssl
import threading

LIFETIME = 30.0  # no connection of these servers lives longer


class ThreadedServer:
    """A listening socket on 127.0.0.1 whose connections are each served by `serve` in a daemon thread."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = int(self.sock.getsockname()[1])
        self.context = context
        self.stopped = threading.Event()
        self.accepted = 0  # connections accepted so far
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"{'https' if self.context else 'http'}://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1  # only this thread writes it
            threading.Thread(target=self._guarded, args=(conn,), daemon=True).start()

    def _guarded(self, conn: socket.socket) -> None:
        conn.settimeout(LIFETIME)
        try:
            if self.context is not None:
                conn = self.context.wrap_socket(conn, server_side=True)
            self.serve(conn)
        except (OSError, ValueError):
            pass
        finally:
            conn.close()

    def serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(2)
        self.sock.close()


def read_request(conn: socket.socket, buffer: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(head, body, what follows) of the next request, None once the client closed or the socket failed.

    `buffer` holds what an earlier read took past its request (a pipelined or early-sent one).
    The body is the Content-Length bytes after the head; every read is bounded in count.
    """
    try:
        for _ in range(1000):
            if b"\r\n\r\n" in buffer:
                break
            data = conn.recv(65536)
            if not data:
                return None
            buffer += data
        else:
            return None
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        for _ in range(1000):
            if len(buffer) >= length:
                break
            data = conn.recv(65536)
            if not data:
                return None
            buffer += data
    except OSError:
        return None
    return head, buffer[:length], buffer[length:]
