"""A local TMDB stand-in for the fleet tests and `make bench`: rate limited and cache-aware like TMDB.

usage: python tests/fleet/standin.py [--limit 50] [--movie-max-age 60]
Prints the port it listens on (127.0.0.1), then serves until terminated.

- At most `--limit` requests in any 1-second window (a sliding window over every API request,
  whatever its answer); above it: 429, `Retry-After` in whole seconds (at least 1) and TMDB's body
  with status_code 25 (TMDB-FACTS: "Rate limits").
- Every 200 carries a weak ETag, a Date and TMDB's kinds of Cache-Control: movie details
  `public, max-age=<--movie-max-age>`, configuration and genres `public, max-age=0` (every reuse
  revalidates), certifications `max-age=0, private, must-revalidate`. `If-None-Match` with the
  current ETag is answered 304.
- Requests need `api_key` (v3) or `Authorization: Bearer` (401, status_code 7, otherwise).
- `GET /__stats` (not limited) returns the counters as JSON; `POST /__reset` zeroes them.
- `POST /__throttle?seconds=N`: TMDB's own back-off, whatever the window says: the next request and every
  one in the N seconds after it get a 429 (`Retry-After` the seconds left, at least 1).
- `GET /__log`: each request's arrival (wall clock), its `X-Fleet-Worker` header and status, and when the
  throttle's first 429 went out.

asyncio in its own process, with a minimal HTTP/1.1 keep-alive parser (request line, headers,
Content-Length), so that timestamps are taken as requests arrive.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import hashlib
import json
import math
import time
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, urlsplit

MOVIE_GENRES = {"genres": [{"id": 28, "name": "Action"}, {"id": 18, "name": "Drama"}]}
CONFIGURATION = {
    "images": {
        "base_url": "http://image.tmdb.org/t/p/",
        "secure_base_url": "https://image.tmdb.org/t/p/",
        "backdrop_sizes": ["w300", "original"], "logo_sizes": ["w45", "original"],
        "poster_sizes": ["w92", "w500", "original"], "profile_sizes": ["w45", "original"],
        "still_sizes": ["w92", "original"],
    },
    "change_keys": ["adult", "title"],
}
CERTIFICATIONS = {"certifications": {"US": [{"certification": "PG", "meaning": "Parental guidance", "order": 2}]}}
PUBLIC_REVALIDATE = "public, max-age=0"
PRIVATE = "max-age=0, private, must-revalidate"
LOG_MAX = 50_000  # requests logged for GET /__log


def movie(movie_id: int) -> dict[str, Any]:
    return {"id": movie_id, "title": f"Movie {movie_id}", "overview": "x" * 400, "poster_path": f"/{movie_id}.jpg"}


class Stats:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.requests = self.ok = self.not_modified = self.too_many = self.unauthorized = 0
        self.max_in_window = 0
        self.first = self.last = 0.0
        self.secrets: list[str] = []  # the credentials seen, to prove the clients sent them
        self.log: list[tuple[float, str, int]] = []  # (arrival, X-Fleet-Worker, status), bounded
        self.throttle_pending = 0.0  # seconds of back-off the next request starts
        self.throttled_at = self.throttled_until = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests, "ok": self.ok, "not_modified": self.not_modified,
            "too_many": self.too_many, "unauthorized": self.unauthorized, "max_in_window": self.max_in_window,
            "first": self.first, "last": self.last, "credentials_seen": len(set(self.secrets)),
        }


class StandIn:
    def __init__(self, limit: int, movie_max_age: int) -> None:
        self.limit, self.movie_max_age = limit, movie_max_age
        self.window: collections.deque[float] = collections.deque()  # arrival times of the last second
        self.stats = Stats()

    def admit(self, now: float) -> float | None:
        """None when the request fits the window, else the seconds until it would."""
        window = self.window
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= self.limit:
            return window[0] + 1.0 - now
        window.append(now)
        self.stats.max_in_window = max(self.stats.max_in_window, len(window))
        return None

    def route(self, path: str) -> tuple[Any, str] | None:
        parts = path.split("/")
        if path == "/3/configuration":
            return CONFIGURATION, PUBLIC_REVALIDATE
        if path == "/3/genre/movie/list":
            return MOVIE_GENRES, PUBLIC_REVALIDATE
        if path == "/3/certification/movie/list":
            return CERTIFICATIONS, PRIVATE
        if len(parts) == 4 and parts[2] == "movie" and parts[3].isdigit():
            return movie(int(parts[3])), f"public, max-age={self.movie_max_age}"
        if len(parts) == 5 and parts[2] == "movie" and parts[4] == "account_states":
            return {"id": int(parts[3]), "favorite": False, "rated": False, "watchlist": False}, PRIVATE
        return None

    def answer(self, method: str, target: str, headers: dict[str, str], now: float) -> bytes:
        reply = self._answer(method, target, headers, now)
        if not target.startswith("/__") and len(self.stats.log) < LOG_MAX:
            self.stats.log.append((now, headers.get("x-fleet-worker", ""), int(reply[9:12])))
        return reply

    def throttled(self, now: float) -> float | None:
        """The seconds TMDB's own back-off (POST /__throttle) still lasts, None when there is none."""
        stats = self.stats
        if stats.throttle_pending:
            stats.throttled_at, stats.throttled_until = now, now + stats.throttle_pending
            stats.throttle_pending = 0.0
        return stats.throttled_until - now if now < stats.throttled_until else None

    def _answer(self, method: str, target: str, headers: dict[str, str], now: float) -> bytes:
        url = urlsplit(target)
        if url.path == "/__stats":
            return response(200, json.dumps(self.stats.as_dict()).encode(), {})
        if url.path == "/__reset":
            self.stats.reset()
            self.window.clear()
            return response(200, b"{}", {})
        if url.path == "/__throttle":
            self.stats.throttle_pending = float(parse_qs(url.query)["seconds"][0])
            return response(200, b"{}", {})
        if url.path == "/__log":
            log = {"log": self.stats.log, "throttled_at": self.stats.throttled_at,
                   "throttled_until": self.stats.throttled_until}
            return response(200, json.dumps(log).encode(), {})
        stats = self.stats
        stats.requests += 1
        stats.first = stats.first or now
        stats.last = now
        wait = self.throttled(now)
        wait = self.admit(now) if wait is None else wait
        if wait is not None:
            stats.too_many += 1
            body = {"success": False, "status_code": 25,
                    "status_message": f"Your request count is over the allowed limit of {self.limit}."}
            return response(429, json.dumps(body).encode(), {"Retry-After": str(max(1, math.ceil(wait)))})
        query = parse_qs(url.query)
        credential = headers.get("authorization", "").removeprefix("Bearer ") or query.get("api_key", [""])[0]
        if not credential:
            stats.unauthorized += 1
            body = {"success": False, "status_code": 7, "status_message": "Invalid API key: You must be granted a valid key."}
            return response(401, json.dumps(body).encode(), {})
        if len(stats.secrets) < 16:
            stats.secrets.append(credential)
        found = self.route(url.path) if method == "GET" else None
        if found is None:
            body = {"success": False, "status_code": 34, "status_message": "The resource you requested could not be found."}
            return response(404, json.dumps(body).encode(), {})
        data, cache_control = found
        content = json.dumps(data).encode()
        etag = 'W/"' + hashlib.sha256(content).hexdigest()[:16] + '"'
        extra = {"Cache-Control": cache_control, "ETag": etag, "Vary": "Accept-Encoding"}
        if headers.get("if-none-match") == etag:
            stats.not_modified += 1
            return response(304, b"", extra)
        stats.ok += 1
        return response(200, content, extra)


def response(status: int, body: bytes, headers: dict[str, str]) -> bytes:
    reason = {200: "OK", 304: "Not Modified", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests"}[status]
    lines = [f"HTTP/1.1 {status} {reason}", f"Date: {formatdate(usegmt=True)}"]
    if status != 304:
        lines += ["Content-Type: application/json;charset=utf-8", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Connection(asyncio.Protocol):
    def __init__(self, app: StandIn) -> None:
        self.app = app
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].decode("latin-1").split("\r\n")
            headers = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            request_end = end + 4 + int(headers.get("content-length", "0"))
            if len(self.buffer) < request_end:
                return
            self.buffer = self.buffer[request_end:]
            method, target, _ = head[0].split(" ", 2)
            assert self.transport is not None
            self.transport.write(self.app.answer(method, target, headers, now))


async def serve(limit: int, movie_max_age: int) -> None:
    app = StandIn(limit, movie_max_age)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Connection(app), "127.0.0.1", 0, backlog=256)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=50, help="requests allowed in any 1-second window")
    parser.add_argument("--movie-max-age", type=int, default=60, help="max-age of movie details")
    args = parser.parse_args()
    asyncio.run(serve(args.limit, args.movie_max_age))
