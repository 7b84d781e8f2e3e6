"""Loopback stand-ins for the catalogue tests: the export files' host, TMDB's change lists, and a
details endpoint for bulk jobs, each a real HTTP/1.1 server on 127.0.0.1 in a thread."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, dict[str, str], "bytes | Path"]


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class Loopback:
    """A threaded HTTP/1.1 server answering with `handler(path, query, headers) -> (status, headers, body)`;
    a body given as a Path is streamed from disk, honouring Range. `cut_after` closes the connection once
    that many body bytes were sent (a broken download), once per entry."""

    def __init__(self, handler: Callable[[str, dict[str, str], dict[str, str]], Answer]) -> None:
        self.handler = handler
        self.seen: list[Seen] = []
        self.cuts: list[int] = []  # body byte counts after which the next responses break
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as written, no 40 ms delayed-ACK stalls

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                with outer.lock:
                    outer.seen.append(Seen(parts.path, query, headers))
                status, extra, body = outer.handler(parts.path, query, headers)
                outer.send(self, status, extra, body, headers)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def send(self, h: BaseHTTPRequestHandler, status: int, extra: dict[str, str], body: bytes | Path,
             headers: dict[str, str]) -> None:  # fmt: skip
        size = body.stat().st_size if isinstance(body, Path) else len(body)
        start = 0
        if status == 200 and isinstance(body, Path) and headers.get("range", "").startswith("bytes="):
            start = int(headers["range"][6:].split("-")[0])
            if start >= size:
                h.send_response(416)
                h.send_header("Content-Range", f"bytes */{size}")
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            status = 206
            extra = {**extra, "Content-Range": f"bytes {start}-{size - 1}/{size}"}
        h.send_response(status)
        for name, value in extra.items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(size - start))
        h.end_headers()
        with self.lock:
            cut = self.cuts.pop(0) if self.cuts and status in (200, 206) else None
        sent = 0
        if isinstance(body, Path):
            with body.open("rb") as file:
                file.seek(start)
                while chunk := file.read(65536):
                    if cut is not None and sent + len(chunk) > cut:
                        h.wfile.write(chunk[: cut - sent])
                        h.wfile.flush()
                        h.close_connection = True
                        h.connection.shutdown(2)
                        return
                    h.wfile.write(chunk)
                    sent += len(chunk)
        else:
            if cut is not None:
                h.wfile.write(body[:cut])
                h.wfile.flush()
                h.close_connection = True
                h.connection.shutdown(2)
                return
            h.wfile.write(body)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def json_answer(status: int, data: Any, headers: dict[str, str] | None = None) -> Answer:
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(data).encode()


# -- exports ---------------------------------------------------------------------------------------

def export_bytes(lines: Iterable[str | dict[str, Any]]) -> bytes:
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    return gzip.compress(text.encode())


def write_export(path: Path, count: int) -> Path:
    """A movie export of `count` lines, written in steps (never whole in memory)."""
    with gzip.open(path, "wb", compresslevel=1) as file:
        for start in range(0, count, 10_000):
            file.write("".join(
                f'{{"adult":false,"id":{i},"original_title":"Movie {i}","popularity":{i % 100}.5,"video":false}}\n'
                for i in range(start, min(count, start + 10_000))
            ).encode())  # fmt: skip
    return path


class ExportHost:
    """The export files by name; names not given answer 404 (as TMDB's host does before 08:00 UTC)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes | Path] = {}
        self.loopback = Loopback(self.answer)

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        name = path.rsplit("/", 1)[-1]
        body = self.files.get(name) if path.startswith("/p/exports/") else None
        if body is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        return 200, {"Content-Type": "application/octet-stream", "ETag": '"v1"'}, body


def name_of(kind: str, day: dt.date) -> str:
    return f"{kind}_ids_{day:%m_%d_%Y}.json.gz"


# -- change lists ----------------------------------------------------------------------------------

@dataclass
class ChangesHost:
    """/3/{movie,tv,person}/changes over `changes[kind][day] = [(id, adult), ...]`, `per_page` per page;
    refuses windows over 14 days (status_code 20) as TMDB does."""

    changes: dict[str, dict[dt.date, list[tuple[int, bool]]]] = field(default_factory=dict)
    per_page: int = 3
    windows: list[tuple[str, str, int]] = field(default_factory=list)
    too_many_over_days: int | None = None  # wider windows claim 501 pages (to make ids split them)

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        kind = path.split("/")[2]
        start, end = dt.date.fromisoformat(query["start_date"]), dt.date.fromisoformat(query["end_date"])
        page = int(query.get("page", "1"))
        self.windows.append((query["start_date"], query["end_date"], page))
        if (end - start).days > 14:
            return json_answer(422, {"success": False, "status_code": 20, "status_message": "over 14 days"})
        if self.too_many_over_days is not None and (end - start).days > self.too_many_over_days:
            return json_answer(200, {"page": page, "results": [{"id": 1, "adult": False}], "total_pages": 501,
                                     "total_results": 50100})  # fmt: skip
        found = [(i, a) for day, items in sorted(self.changes.get(kind, {}).items()) if start <= day <= end
                 for i, a in items]  # fmt: skip
        pages = max(1, -(-len(found) // self.per_page))
        chunk = found[(page - 1) * self.per_page : page * self.per_page]
        return json_answer(200, {"page": page, "results": [{"id": i, "adult": a} for i, a in chunk],
                                 "total_pages": pages, "total_results": len(found)})  # fmt: skip


# -- details for bulk ------------------------------------------------------------------------------

@dataclass
class DetailsHost:
    """/3/movie/{id}: a small MovieDetails; `gone` ids answer 404/34, `broken` ids 500 every time,
    and the request numbered `rate_limit_at` (1-based) gets one 429 with Retry-After: 0."""

    gone: set[int] = field(default_factory=set)
    broken: set[int] = field(default_factory=set)
    rate_limit_at: int | None = None
    counts: Counter[int] = field(default_factory=Counter)
    requests: int = 0
    delay: float = 0.0  # seconds each answer takes
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        item = int(path.rsplit("/", 1)[-1])
        with self.lock:
            self.requests += 1
            number = self.requests
            self.counts[item] += 1
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
            return self._answer(item, number, query)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _answer(self, item: int, number: int, query: dict[str, str]) -> Answer:
        if number == self.rate_limit_at:
            return json_answer(429, {"success": False, "status_code": 25, "status_message": "limit"},
                               {"Retry-After": "0"})  # fmt: skip
        if item in self.gone:
            return json_answer(404, {"success": False, "status_code": 34, "status_message": "not found"})
        if item in self.broken:
            return json_answer(500, {"success": False, "status_code": 11, "status_message": "internal"})
        body: dict[str, Any] = {"id": item, "title": f"Movie {item}"}
        if "credits" in query.get("append_to_response", ""):
            body["credits"] = {"id": item, "cast": [], "crew": []}
        return json_answer(200, body)
