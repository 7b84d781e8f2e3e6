"""Figures for issue 23's cache items (not a test): raw storage errors under faults, wasted revalidations.

    PYTHONPATH=runtime:generated:tests/fleet:. .venv/bin/python tests/fleet/cache_faults_figures.py

- revalidations: 4 replicas (2 TMDB in threads, 2 AsyncTMDB), one Redis cache, an origin whose full
  responses carry one of two weak ETags (two CDN nodes) and which answers 304 to any If-None-Match;
  the first calls of all four are in flight together, so each stores its own entry. Counted: full
  responses sent after the first four (each one a revalidation wasted), 304s, the caches' stats.
- faults: a redis-server killed at each point of test_fleet_cache_faults.POINTS, TMDB and AsyncTMDB,
  REPEATS times; counted: calls that raised something other than a TMDBError, wrong results.
"""
from __future__ import annotations

import asyncio
import logging
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import hishel
from fleet_support import API_KEY, RedisServer, StandInProcess
from test_fleet_cache_faults import POINTS, Wire, expected, round_of, tripped_async_redis, tripped_redis
from tmdb_sdk import TMDB, AsyncTMDB, Cache, TMDBError

logging.disable(logging.CRITICAL)
REPEATS = 5


def faults() -> None:
    raw = wrong = calls = 0
    kinds: dict[str, int] = {}
    with StandInProcess(limit=100_000) as standin:
        for param in POINTS:
            first, command = param.values
            for flavour in ("sync", "async"):
                for _ in range(REPEATS):
                    with tempfile.TemporaryDirectory() as folder:
                        server = RedisServer(Path(folder)).start()
                        try:
                            with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=Cache(server.url)) as warm:
                                warm.movies.details(1)
                                warm.configuration.details()
                            wire = Wire(server, command)
                            for call in round_of(first):
                                calls += 1
                                try:
                                    got = run(flavour, standin.base_url, server.url, wire, call)
                                except TMDBError:
                                    wrong += 1
                                except Exception as error:  # noqa: BLE001
                                    raw += 1
                                    name = f"{type(error).__module__}.{type(error).__name__}"
                                    kinds[name] = kinds.get(name, 0) + 1
                                else:
                                    wrong += got != expected(call)
                        finally:
                            server.stop()
    print(f"faults: {calls} calls, redis-server killed at {len(POINTS)} points x 2 flavours x {REPEATS}: "
          f"{raw} raw errors {kinds}, {wrong} wrong or TMDBError")


_caches: dict[int, Cache] = {}  # id(wire) -> the killed replica's Cache (one a run)


def run(flavour: str, base_url: str, url: str, wire: Wire, call: str) -> str:
    cache = _caches.get(id(wire))
    if cache is None:
        if flavour == "sync":
            storage = hishel.RedisStorage(client=tripped_redis(url, wire), key_prefix="tmdb-cache")
        else:
            storage = hishel.AsyncRedisStorage(client=tripped_async_redis(url, wire), key_prefix="tmdb-cache")
        _caches.clear()
        cache = _caches[id(wire)] = Cache(storage)
    if flavour == "sync":
        with TMDB(api_key=API_KEY, base_url=base_url, cache=cache) as tmdb:
            if call == "configuration":
                return tmdb.configuration.details().images.secure_base_url
            return tmdb.movies.details(2 if call == "new-movie" else 1).title

    async def go() -> str:
        async with AsyncTMDB(api_key=API_KEY, base_url=base_url, cache=cache) as tmdb:
            if call == "configuration":
                return (await tmdb.configuration.details()).images.secure_base_url
            return (await tmdb.movies.details(2 if call == "new-movie" else 1)).title

    return asyncio.run(go())


class Origin(BaseHTTPRequestHandler):
    """/3/configuration with a weak ETag that depends on the CDN node (two nodes), 304 for either tag."""

    full = 0
    conditional = 0
    lock = threading.Lock()

    def do_GET(self) -> None:
        with Origin.lock:
            if self.headers.get("If-None-Match"):
                Origin.conditional += 1
                status, etag = 304, f'W/"node-{Origin.conditional % 2}"'
            else:
                Origin.full += 1
                status, etag = 200, f'W/"node-{Origin.full % 2}"'
        if status == 200:
            time.sleep(0.3)  # the four replicas' first calls are all in flight before any of them stores
        body = b'{"images": {"secure_base_url": "https://image.tmdb.org/t/p/"}, "change_keys": []}'
        self.send_response(status)
        self.send_header("Date", formatdate(usegmt=True))
        self.send_header("Cache-Control", "public, max-age=0")
        self.send_header("ETag", etag)
        if status == 200:
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status == 200:
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def revalidations(rounds: int = 15) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as folder, RedisServer(Path(folder)) as redis_server:
        caches = [Cache(redis_server.url) for _ in range(4)]  # 4 replicas, one Redis
        sync = [TMDB(api_key=API_KEY, base_url=base_url, cache=c) for c in caches[:2]]

        async def replicas() -> None:
            clients = [AsyncTMDB(api_key=API_KEY, base_url=base_url, cache=c) for c in caches[2:]]
            # the first calls of all four at once: each stores its own entry (different weak ETags)
            await asyncio.gather(*(asyncio.to_thread(t.configuration.details) for t in sync),
                                 *(c.configuration.details() for c in clients))
            for _ in range(rounds):
                await asyncio.gather(*(asyncio.to_thread(t.configuration.details) for t in sync),
                                     *(c.configuration.details() for c in clients))
            for c in clients:
                await c.aclose()

        asyncio.run(replicas())
        for t in sync:
            t.close()
    server.shutdown()
    revalidated = sum(c.stats.revalidated for c in caches)
    misses = sum(c.stats.misses for c in caches)
    wasted = Origin.full - 4
    print(f"revalidations: 4 replicas x {rounds + 1} calls; origin sent {Origin.full} full responses "
          f"({wasted} after a 304) and {Origin.conditional} 304s; stats: revalidated={revalidated} misses={misses}")


if __name__ == "__main__":
    started = time.monotonic()
    revalidations()
    faults()
    print(f"({time.monotonic() - started:.1f} s)")
