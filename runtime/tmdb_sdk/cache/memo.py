"""Fresh responses kept in this process: a fresh hit costs a dict lookup instead of a storage read and
hishel's RFC 9111 evaluation; stale entries still go through hishel (and its revalidation)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx

from .rules import fresh_for, shareable
from .stats import EXTENSION


@dataclass(slots=True)
class Fresh:
    until: float  # time.monotonic()
    status_code: int
    headers: httpx.Headers
    body: bytes  # decoded (Content-Encoding undone), as response.content
    vary: tuple[tuple[str, str | None], ...]  # the request headers the response varies on, and their values
    stream: httpx.ByteStream  # of body: immutable, shared by the responses made from this entry

    def response(self) -> httpx.Response:
        """A new response, already read and closed, as httpx leaves one after `read()`: its own headers
        (a copy), the body without decoding it again, no stream to iterate."""
        response = httpx.Response(self.status_code, headers=self.headers, stream=self.stream,
                                  extensions={EXTENSION: "hit"})
        response._content = self.body
        response.is_stream_consumed = response.is_closed = True
        return response


class FreshMemo:
    """Responses hishel served or stored while fresh, kept in this process until their freshness ends."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: dict[str, Fresh] = {}
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str, headers: httpx.Headers) -> Fresh | None:
        fresh = self.entries.get(key)
        if fresh is None:
            return None
        if fresh.until <= time.monotonic():
            with self.lock:
                if self.entries.get(key) is fresh:
                    del self.entries[key]
                    self.size -= len(fresh.body)
            return None
        for name, value in fresh.vary:
            if headers.get(name) != value:
                return None
        return fresh

    def put(self, key: str, fresh: Fresh) -> None:
        if len(fresh.body) > self.max_bytes // 16:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.entries[key] = fresh
            self.size += len(fresh.body)
            while len(self.entries) > self.max_entries or self.size > self.max_bytes:
                self.size -= len(self.entries.pop(next(iter(self.entries))).body)


def memo_seconds(response: httpx.Response, stored: bool) -> float:
    """Seconds `response` may be kept in the memo (0: not at all): what hishel and the guard store."""
    if response.status_code != 200 or not stored or not shareable(response.headers):
        return 0.0
    return fresh_for(response.headers, time.time())


def fresh(response: httpx.Response, request: httpx.Request, seconds: float) -> Fresh:
    """The memo entry of `response` (read: its decoded content is kept) to `request`, fresh for `seconds`."""
    vary = tuple((name, request.headers.get(name)) for name in
                 (n.strip().lower() for n in response.headers.get("vary", "").split(",")) if name)
    content = response.content
    return Fresh(time.monotonic() + seconds, response.status_code, httpx.Headers(response.headers), content, vary,
                 httpx.ByteStream(content))
