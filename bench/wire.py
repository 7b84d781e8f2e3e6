"""The lean pools' response parsing (`--only wire`): the reader they use (httptools/llhttp, the checks it
leaves to clients, bounded gzip decoding) against httptools alone and h11 (httpcore's parser), per parse of
a 15-header gzip response like TMDB's, each parser made anew per response as a connection would."""

from __future__ import annotations

import gzip
import json

import h11
import httptools
import httpx
from tmdb_sdk.transport._reader import reader_for

from bench.stats import interleaved, median, ratio, table

HEADERS = [
    ("Content-Type", "application/json;charset=utf-8"), ("Connection", "keep-alive"),
    ("Date", "Sun, 06 Dec 2026 11:00:00 GMT"), ("Server", "openresty"), ("Cache-Control", "public, max-age=27369"),
    ("ETag", 'W/"4a7e8b3c2d1f0e9a8b7c6d5e4f3a2b1c"'), ("Vary", "Accept-Encoding"), ("Content-Encoding", "gzip"),
    ("X-Cache", "Hit from cloudfront"), ("Via", "1.1 abc.cloudfront.net (CloudFront)"), ("X-Amz-Cf-Pop", "FRA56-P5"),
    ("X-Amz-Cf-Id", "a" * 56), ("Age", "1234"), ("Access-Control-Allow-Origin", "*"),
]  # fmt: skip


def response_bytes(body: bytes) -> bytes:
    packed = gzip.compress(body)
    head = [*HEADERS, ("Content-Length", str(len(packed)))]
    return b"HTTP/1.1 200 OK\r\n" + b"".join(f"{k}: {v}\r\n".encode() for k, v in head) + b"\r\n" + packed


class _Collect:
    __slots__ = ("done", "headers", "parts")

    def __init__(self) -> None:
        self.headers: list[tuple[bytes, bytes]] = []
        self.parts: list[bytes] = []
        self.done = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_body(self, body: bytes) -> None:
        self.parts.append(body)

    def on_message_complete(self) -> None:
        self.done = True


def run(rounds: int, number: int = 2000) -> list[str]:
    raw = response_bytes(json.dumps({"id": 550, "title": "Fight Club", "overview": "x" * 800}).encode())
    request = httpx.Request("GET", "https://api.themoviedb.org/3/movie/550", headers={"Accept-Encoding": "gzip, deflate"})

    def pools_reader() -> object:
        reader = reader_for(request)
        assert reader.feed(raw)
        return reader.body

    def httptools_alone() -> object:
        collect = _Collect()
        parser = httptools.HttpResponseParser(collect)
        parser.feed_data(raw)
        assert collect.done
        return parser.get_status_code()

    def h11_client() -> object:
        connection = h11.Connection(h11.CLIENT)
        connection.send(h11.Request(method="GET", target="/3/movie/550", headers=[("Host", "api.themoviedb.org")]))
        connection.send(h11.EndOfMessage())
        connection.receive_data(raw)
        while not isinstance(connection.next_event(), h11.EndOfMessage):
            pass
        return connection

    samples = interleaved(
        {"the pools' reader (httptools + checks + gzip)": pools_reader, "httptools alone (no decoding)": httptools_alone,
         "h11 (no decoding)": h11_client}, rounds, number,
    )  # fmt: skip
    baseline = samples["h11 (no decoding)"]
    rows = [[name, f"{median(times) * 1e6:.1f}", f"{ratio(times, baseline):.2f}x"] for name, times in samples.items()]
    return [table(f"Response parsing: one {len(raw)}-byte gzip response with 15 headers", ["parser", "µs per response", "vs h11"], rows)]
