"""One replica of the fleet test (test_fleet_workers.py): its own client sharing a Redis cache and,
with --shared-limiter, a Redis rate limit with the other replicas.

usage: python tests/fleet/fleet_worker.py '{"worker": 0, "base_url": ..., "redis": ..., "shared_limiter": true,
        "rate": 47, "movies": 80, "async": false, "key": "fleet"}'
Prints "ready" once its client is built, waits for a line on stdin, runs its workload, then prints
one JSON line: calls, right, wrong, errors by type, cache outcomes, start and end (wall clock).
The workload is bounded in count (and by DEADLINE seconds).
"""
from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from typing import Any

from tmdb_sdk import TMDB, AsyncTMDB, Cache, RateLimit

API_KEY = "fleet-apikey-SECRET-0123456789abcdef"
SHARED_MOVIE = 550
DEADLINE = 60.0


def workload(worker: int, movies: int) -> list[tuple[str, int]]:
    """Its own movies (misses), the configuration every 10 calls (revalidated: 304s) and one movie
    every replica asks for (fresh in the shared cache)."""
    calls: list[tuple[str, int]] = []
    for n in range(movies):
        calls.append(("movie", worker * 10_000 + n + 1))
        if n % 10 == 0:
            calls += [("configuration", 0), ("movie", SHARED_MOVIE)]
    return calls


def right(kind: str, argument: int, result: Any) -> bool:
    if kind == "movie":
        return bool(result.id == argument and result.title == f"Movie {argument}")
    return bool(result.images.secure_base_url == "https://image.tmdb.org/t/p/")


class Tally:
    def __init__(self) -> None:
        self.calls = self.right = 0
        self.wrong: list[str] = []
        self.errors: Counter[str] = Counter()

    def record(self, kind: str, argument: int, result: Any = None, error: BaseException | None = None) -> None:
        self.calls += 1
        if error is not None:
            self.errors[type(error).__name__] += 1
        elif right(kind, argument, result):
            self.right += 1
        elif len(self.wrong) < 5:
            self.wrong.append(f"{kind} {argument}: {result!r}"[:200])


def warm_up(tmdb: Any, cache: Cache, limit: RateLimit | None) -> None:
    """What a long-running replica has done long before: load the operations, hishel, the Redis clients.
    Sends nothing to the stand-in."""
    import hishel.httpx  # noqa: F401
    from tmdb_sdk._index import operation

    _ = tmdb.movies.details, tmdb.configuration.details
    for name in ("movies_details", "configuration_details"):
        operation(name).result_class()  # imports the result models
    if isinstance(tmdb, TMDB):
        cache.sync_storage()
        if limit is not None:
            limit._sync_redis().client.ping()


def run_sync(config: dict[str, Any], cache: Cache, limit: RateLimit | None, tally: Tally) -> None:
    with TMDB(api_key=API_KEY, base_url=config["base_url"], cache=cache, rate_limit=limit) as tmdb:
        warm_up(tmdb, cache, limit)
        ready()
        deadline = time.monotonic() + DEADLINE
        for kind, argument in workload(config["worker"], config["movies"]):
            if time.monotonic() > deadline:
                break
            try:
                result = tmdb.movies.details(argument) if kind == "movie" else tmdb.configuration.details()
            except Exception as error:  # noqa: BLE001 (counted and reported)
                tally.record(kind, argument, error=error)
            else:
                tally.record(kind, argument, result)


async def run_async(config: dict[str, Any], cache: Cache, limit: RateLimit | None, tally: Tally) -> None:
    async with AsyncTMDB(api_key=API_KEY, base_url=config["base_url"], cache=cache, rate_limit=limit) as tmdb:
        warm_up(tmdb, cache, limit)
        cache.async_storage()
        if limit is not None:
            await limit._async_redis().client.ping()
        await asyncio.get_running_loop().run_in_executor(None, ready)
        calls = workload(config["worker"], config["movies"])
        deadline = time.monotonic() + DEADLINE

        async def task(share: list[tuple[str, int]]) -> None:
            for kind, argument in share:
                if time.monotonic() > deadline:
                    return
                try:
                    if kind == "movie":
                        result = await tmdb.movies.details(argument)
                    else:
                        result = await tmdb.configuration.details()
                except Exception as error:  # noqa: BLE001
                    tally.record(kind, argument, error=error)
                else:
                    tally.record(kind, argument, result)

        await asyncio.gather(*(task(calls[i::4]) for i in range(4)))
        await cache.aclose()
        if limit is not None:
            await limit.aclose()


_started = 0.0


def ready() -> None:
    global _started
    print("ready", flush=True)
    sys.stdin.readline()
    _started = time.time()


def main() -> None:
    config = json.loads(sys.argv[1])
    cache = Cache(config["redis"])
    limit = RateLimit(rate=config["rate"], burst=2, concurrency=20, max_wait=30, key=config["key"],
                      redis=config["redis"]) if config["shared_limiter"] else None
    tally = Tally()
    if config["async"]:
        asyncio.run(run_async(config, cache, limit, tally))
    else:
        run_sync(config, cache, limit, tally)
    finished = time.time()
    stats = cache.stats
    print(json.dumps({
        "worker": config["worker"], "async": config["async"], "calls": tally.calls, "right": tally.right,
        "wrong": tally.wrong, "errors": dict(tally.errors), "hits": stats.hits, "revalidated": stats.revalidated,
        "misses": stats.misses, "started": _started, "finished": finished,
        "expected": len(workload(config["worker"], config["movies"])),
    }), flush=True)


if __name__ == "__main__":
    main()
