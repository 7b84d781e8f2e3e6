"""A canned-response HTTP/1.1 keep-alive server on 127.0.0.1, for the per-call benchmarks.

usage: python -m bench.server ROUTES_JSON
ROUTES_JSON maps a request path (query string ignored) to the JSON text to answer it with.
Prints the port it listens on, then serves until terminated.

It runs in its own process, so on a 2-core machine the client and the server each get a core
and the client's timings are not disturbed by the server holding the GIL. The parser reads only
what it needs (request line, Content-Length): it is a fast, minimal floor, not a general server.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

_HEADER_END = b"\r\n\r\n"
_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


def canned_response(body: bytes) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("ascii") + body


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


class CannedHTTP(asyncio.Protocol):
    """Answers each pipelined or sequential request on a connection with its route's bytes."""

    def __init__(self, responses: dict[bytes, bytes]) -> None:
        self.responses = responses
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(_HEADER_END)) >= 0:
            head = self.buffer[:end]
            request_end = end + len(_HEADER_END) + _content_length(head)
            if len(self.buffer) < request_end:
                return  # the body is still arriving
            self.buffer = self.buffer[request_end:]
            target = head.split(b" ", 2)[1]
            assert self.transport is not None
            self.transport.write(self.responses.get(target.partition(b"?")[0], _NOT_FOUND))


async def serve(routes: dict[str, str]) -> None:
    responses = {path.encode(): canned_response(body.encode()) for path, body in routes.items()}
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: CannedHTTP(responses), "127.0.0.1", 0, backlog=256)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
