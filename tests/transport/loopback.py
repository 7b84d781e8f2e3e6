"""What the transport tests' loopback servers share: reading one HTTP/1.1 request off a socket."""

from __future__ import annotations

import socket


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
