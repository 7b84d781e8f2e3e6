"""One replica of the fleet test (test_fleet_workers.py): its own client sharing a Redis cache and,
with --shared-limiter, a Redis rate limit with the other replicas.

usage: python tests/fleet/fleet_worker.py '{"worker": 0, "base_url": ..., "redis": ..., "shared_limiter": true,
        "rate": 47, "movies": 80, "async": false, "key": "fleet"}'
Prints "ready" once its client is built, waits for a line on stdin, runs its workload, then prints
one JSON line: calls, right, wrong, errors by type, cache outcomes, start and end (wall clock).
The workload is bounded in count (and by DEADLINE seconds).

Optional: "tasks" (AsyncTMDB's concurrent callers, default 4), "cache" (default true), "max_wait" (default 30),
"duration" (seconds: instead of the fixed workload, every caller asks for movies of its own until then; bounded by
DURATION_CALLS calls per caller). Each request carries X-Fleet-Worker: <worker> for the stand-in's log; the
result adds every call's duration (longest, mean) and the first error messages.
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
DURATION_CALLS = 2_000


def timed_workload(worker: int, caller: int) -> list[tuple[str, int]]:
    """A caller's own movies, for a run bounded by "duration" (it stops at the deadline)."""
    return [("movie", worker * 1_000_000 + caller * 10_000 + n + 1) for n in range(DURATION_CALLS)]


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
        self.messages: list[str] = []
        self.durations: list[float] = []

    def record(
        self, kind: str, argument: int, result: Any = None, error: BaseException | None = None, took: float = 0.0
    ) -> None:
        self.calls += 1
        self.durations.append(took)
        if error is not None:
            self.errors[type(error).__name__] += 1
            if len(self.messages) < 5:
                self.messages.append(f"{type(error).__name__}: {error}"[:300])
        elif right(kind, argument, result):
            self.right += 1
        elif len(self.wrong) < 5:
            self.wrong.append(f"{kind} {argument}: {result!r}"[:200])


def warm_up(tmdb: Any, cache: Cache | None, limit: RateLimit | None) -> None:
    """What a long-running replica has done long before: load the operations, hishel, the Redis clients.
    Sends nothing to the stand-in."""
    import hishel.httpx  # noqa: F401
    from tmdb_sdk._index import operation

    _ = tmdb.movies.details, tmdb.configuration.details
    for name in ("movies_details", "configuration_details"):
        operation(name).result_class()  # imports the result models
    if isinstance(tmdb, TMDB):
        if cache is not None:
            cache.sync_storage()
        if limit is not None:
            limit._sync_redis().client.ping()


def calls_of(config: dict[str, Any], caller: int) -> tuple[list[tuple[str, int]], float]:
    """(the calls of one caller, its deadline in monotonic seconds)."""
    if "duration" in config:
        return timed_workload(config["worker"], caller), time.monotonic() + config["duration"]
    calls = workload(config["worker"], config["movies"])
    return (calls if config["async"] is False else calls[caller::config.get("tasks", 4)]), time.monotonic() + DEADLINE


def headers(config: dict[str, Any]) -> dict[str, str]:
    return {"X-Fleet-Worker": str(config["worker"])}


def run_sync(config: dict[str, Any], cache: Cache | None, limit: RateLimit | None, tally: Tally) -> None:
    with TMDB(api_key=API_KEY, base_url=config["base_url"], cache=cache, rate_limit=limit,
              headers=headers(config)) as tmdb:
        warm_up(tmdb, cache, limit)
        ready()
        calls, deadline = calls_of(config, 0)
        for kind, argument in calls:
            if time.monotonic() > deadline:
                break
            began = time.monotonic()
            try:
                result = tmdb.movies.details(argument) if kind == "movie" else tmdb.configuration.details()
            except Exception as error:  # noqa: BLE001 (counted and reported)
                tally.record(kind, argument, error=error, took=time.monotonic() - began)
            else:
                tally.record(kind, argument, result, took=time.monotonic() - began)


async def run_async(config: dict[str, Any], cache: Cache | None, limit: RateLimit | None, tally: Tally) -> None:
    async with AsyncTMDB(api_key=API_KEY, base_url=config["base_url"], cache=cache, rate_limit=limit,
                         headers=headers(config)) as tmdb:
        warm_up(tmdb, cache, limit)
        if cache is not None:
            cache.async_storage()
        if limit is not None:
            await limit._async_redis().client.ping()
        await asyncio.get_running_loop().run_in_executor(None, ready)

        async def task(caller: int) -> None:
            calls, deadline = calls_of(config, caller)
            for kind, argument in calls:
                if time.monotonic() > deadline:
                    return
                began = time.monotonic()
                try:
                    if kind == "movie":
                        result = await tmdb.movies.details(argument)
                    else:
                        result = await tmdb.configuration.details()
                except Exception as error:  # noqa: BLE001
                    tally.record(kind, argument, error=error, took=time.monotonic() - began)
                else:
                    tally.record(kind, argument, result, took=time.monotonic() - began)

        await asyncio.gather(*(task(i) for i in range(config.get("tasks", 4))))
        if cache is not None:
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
    cache = Cache(config["redis"]) if config.get("cache", True) else None
    limit = RateLimit(rate=config["rate"], burst=2, concurrency=20, max_wait=config.get("max_wait", 30),
                      key=config["key"], redis=config["redis"]) if config["shared_limiter"] else None
    tally = Tally()
    if config["async"]:
        asyncio.run(run_async(config, cache, limit, tally))
    else:
        run_sync(config, cache, limit, tally)
    finished = time.time()
    hits = revalidated = misses = 0
    if cache is not None:
        hits, revalidated, misses = cache.stats.hits, cache.stats.revalidated, cache.stats.misses
    durations = tally.durations or [0.0]
    print(json.dumps({
        "worker": config["worker"], "async": config["async"], "calls": tally.calls, "right": tally.right,
        "wrong": tally.wrong, "errors": dict(tally.errors), "hits": hits, "revalidated": revalidated,
        "misses": misses, "started": _started, "finished": finished,
        "expected": len(workload(config["worker"], config.get("movies", 0))), "messages": tally.messages,
        "callers": config.get("tasks", 4) if config["async"] else 1,
        "longest": max(durations), "mean": sum(durations) / len(durations),
    }), flush=True)


if __name__ == "__main__":
    main()
