"""The fleet test: 4 worker processes, each with its own client, share one Redis cache against a TMDB
stand-in that allows LIMIT requests in any second (429 + Retry-After above it); once with a shared
Redis rate limit, once without. Both runs are printed (`pytest -s tests/fleet/test_fleet_workers.py`):
requests sent, 429s, cache hits, throughput as a share of the allowed rate, results right.

Asserted: every result right with the shared limiter, at most a handful of 429s with it and many
without. Throughput is printed, not asserted (tests assert no duration)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fleet_support import REPO, RedisServer, StandInProcess, run_workers

LIMIT = 50  # the stand-in's requests per second, as TMDB's ~40-50 per IP
RATE = 47  # the shared limiter's, burst 2: at most 49 in any second, 1 left for the jitter of arrivals
WORKERS = 4  # workers 1 and 3 run AsyncTMDB with 4 tasks each, 0 and 2 TMDB
MOVIES = 60  # per worker: 60 own movies + every 10 calls the configuration and a shared movie
WATCHDOG = 120.0  # seconds after which every worker is killed (they stop themselves after 60)
HANDFUL = 5


@pytest.fixture(scope="module")
def limited_standin() -> Iterator[StandInProcess]:
    with StandInProcess(limit=LIMIT) as standin:
        yield standin


def run_fleet(standin: StandInProcess, redis: RedisServer, shared_limiter: bool, key: str) -> dict[str, Any]:
    import redis as redis_py

    flush = redis_py.Redis.from_url(redis.url)
    flush.flushall()
    flush.close()
    standin.reset()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(REPO / p) for p in (".", "generated", "runtime"))}
    configs = [
        {"worker": worker, "base_url": standin.base_url, "redis": redis.url, "shared_limiter": shared_limiter,
         "rate": RATE, "movies": MOVIES, "async": worker % 2 == 1, "key": key}
        for worker in range(WORKERS)
    ]
    results, go = run_workers(configs, env, WATCHDOG)
    stats = standin.stats()
    elapsed = max(r["finished"] for r in results) - go
    answered = stats["ok"] + stats["not_modified"]
    return {
        "limiter": f"shared Redis limiter, {RATE}/s" if shared_limiter else "none (each client on its own)",
        "calls": sum(r["calls"] for r in results), "expected": sum(r["expected"] for r in results),
        "right": sum(r["right"] for r in results), "wrong": [w for r in results for w in r["wrong"]],
        "errors": {k: sum(r["errors"].get(k, 0) for r in results) for r in results for k in r["errors"]},
        "sent": stats["requests"], "too_many": stats["too_many"], "not_modified": stats["not_modified"],
        "hits": sum(r["hits"] for r in results), "revalidated": sum(r["revalidated"] for r in results),
        "max_in_window": stats["max_in_window"], "elapsed": elapsed, "answered_per_s": answered / elapsed,
        "share": answered / elapsed / LIMIT,
    }


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        (f"fleet: {WORKERS} worker processes (2 TMDB, 2 AsyncTMDB x 4 tasks), one Redis cache; "
         f"stand-in allows {LIMIT} requests in any second"),
        ("| limiter | calls (right) | requests sent | 429s | 304s | cache hits | max in 1 s | wall | answered/s | "
         "share of allowed rate | errors |"),
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run['limiter']} | {run['calls']} ({run['right']}) | {run['sent']} | {run['too_many']} | "
            f"{run['not_modified']} | {run['hits']} | {run['max_in_window']} | {run['elapsed']:.1f} s | "
            f"{run['answered_per_s']:.1f} | {run['share']:.0%} | {run['errors'] or '-'} |"
        )
    return "\n".join(lines)


def test_a_fleet_with_and_without_the_shared_limiter(
    limited_standin: StandInProcess, redis_server: RedisServer, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = run_fleet(limited_standin, redis_server, shared_limiter=True, key="fleet-test")
    alone = run_fleet(limited_standin, redis_server, shared_limiter=False, key="fleet-test")
    with capsys.disabled():
        print("\n" + table([shared, alone]))

    assert shared["calls"] == shared["expected"] and shared["right"] == shared["calls"], shared
    assert shared["too_many"] <= HANDFUL, shared
    assert alone["too_many"] >= 10 and alone["too_many"] > shared["too_many"], alone
    assert not alone["wrong"], alone  # whatever came back was right; some calls may have run out of retries
    for run in (shared, alone):
        assert run["hits"] > 0 and run["not_modified"] > 0  # the shared movie from the cache, 304s on revalidation
