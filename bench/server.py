"""A canned-response HTTP/1.1 keep-alive server on 127.0.0.1, for the per-call benchmarks.

usage: python -m bench.server ROUTES_JSON
ROUTES_JSON maps a request path (query string ignored) to the JSON text to answer it with, or to
a list of JSON texts: one per page, chosen by the request's `page` query parameter (1-based).
Prints the port it listens on, then serves until terminated.

It runs in its own process, so on a 2-core machine the client and the server each get a core
and the client's timings are not disturbed by the server holding the GIL. The parser reads only
what it needs (request line, Content-Length, Connection: close): it is a fast, minimal floor, not
a general server. A request that says `Connection: close` is answered, then its connection is
closed, as TMDB's servers do (tmdbsimple sends that header with every request).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from urllib.parse import parse_qs

_HEADER_END = b"\r\n\r\n"
_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


def canned_response(body: bytes) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("ascii") + body


def _headers(head: bytes) -> tuple[int, bool]:
    """(Content-Length, whether the client asked to close the connection)."""
    length, close = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            close = value.strip().lower() == b"close"
    return length, close


Routes = dict[bytes, "bytes | list[bytes]"]


def answer(responses: Routes, target: bytes) -> bytes:
    path, _, query = target.partition(b"?")
    found = responses.get(path)
    if found is None:
        return _NOT_FOUND
    if isinstance(found, bytes):
        return found
    pages = parse_qs(query.decode("latin-1")).get("page", ["1"])
    page = int(pages[0]) if pages[0].isdigit() else 1
    return found[page - 1] if 1 <= page <= len(found) else _NOT_FOUND


class CannedHTTP(asyncio.Protocol):
    """Answers each pipelined or sequential request on a connection with its route's bytes."""

    def __init__(self, responses: Routes) -> None:
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
            length, close = _headers(head)
            request_end = end + len(_HEADER_END) + length
            if len(self.buffer) < request_end:
                return  # the body is still arriving
            self.buffer = self.buffer[request_end:]
            assert self.transport is not None
            response = answer(self.responses, head.split(b" ", 2)[1])
            if close:  # say so, as a real server does, so the client does not reuse the connection
                status, _, rest = response.partition(b"\r\n")
                self.transport.write(status + b"\r\nConnection: close\r\n" + rest)
                self.transport.close()
                return
            self.transport.write(response)


def _compiled(body: str | list[str]) -> bytes | list[bytes]:
    if isinstance(body, list):
        return [canned_response(page.encode()) for page in body]
    return canned_response(body.encode())


async def serve(routes: dict[str, str | list[str]]) -> None:
    responses: Routes = {path.encode(): _compiled(body) for path, body in routes.items()}
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: CannedHTTP(responses), "127.0.0.1", 0, backlog=256)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
