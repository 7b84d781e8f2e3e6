"""The shared rate limit under faults, with 4 replica processes (2 TMDB, 2 AsyncTMDB x 8 tasks, no cache: every
call is one request) against the TMDB stand-in allowing LIMIT requests in any second, and a real redis-server:

- TMDB's own 429 mid-run (the stand-in's /__throttle): no replica sends anything during its Retry-After, apart
  from requests already in flight when it went out; every waiting caller gets about the same share of the
  rate, sync or async, and no call waits much longer than the others;
- redis-server killed mid-run: each replica limits itself to its share of the rate, no call fails.

Each run prints its figures (`pytest -s tests/fleet/test_fleet_fair_backoff.py`). FLEET_RUNTIME=<dir> runs
the replicas on another copy of tmdb_sdk (e.g. main's, for "before" figures). Throughput is printed, not
asserted (tests assert no duration)."""
from __future__ import annotations

import json
import os
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fleet_support import REPO, RedisServer, StandInProcess, run_workers

LIMIT = 40  # the stand-in's requests in any second
RATE = 37  # the shared limiter's, burst 2: at most 39 in any second, 1 left for the jitter of arrivals
TASKS = 8  # AsyncTMDB's concurrent callers (workers 1 and 3; 0 and 2 are TMDB, one caller each)
DURATION = 10.0  # seconds each caller keeps calling
THROTTLE_AT, THROTTLE = 5.0, 1  # TMDB's own 429 (Retry-After: 1) after 5 s
KILL_AT = 3.0  # seconds into the run redis-server is killed (the outage run)
IN_FLIGHT = 0.1  # seconds after the 429 a request may still arrive that was sent before its block was shared
MAX_WAIT = 10.0  # the README's
WATCHDOG = 90.0


@pytest.fixture(scope="module")
def limited_standin() -> Iterator[StandInProcess]:
    with StandInProcess(limit=LIMIT) as standin:
        yield standin


def post(standin: StandInProcess, path: str) -> None:
    with urllib.request.urlopen(urllib.request.Request(standin.base_url + path, method="POST"), timeout=5):
        pass


def standin_log(standin: StandInProcess) -> dict[str, Any]:
    with urllib.request.urlopen(f"{standin.base_url}/__log", timeout=5) as answer:
        return dict(json.load(answer))


def run_replicas(
    standin: StandInProcess, redis_url: str, key: str, duration: float, during: Callable[[], None]
) -> tuple[list[dict[str, Any]], float]:
    """(each replica's result, the wall time they started); `during` runs in this process meanwhile."""
    standin.reset()
    runtime = os.environ.get("FLEET_RUNTIME", str(REPO / "runtime"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "generated"), runtime])}
    configs = [
        {"worker": worker, "base_url": standin.base_url, "redis": redis_url, "shared_limiter": True,
         "rate": RATE, "async": worker % 2 == 1, "tasks": TASKS, "key": key, "cache": False,
         "max_wait": MAX_WAIT, "duration": duration}
        for worker in range(4)
    ]
    return run_workers(configs, env, WATCHDOG, during)


def max_in_any_second(times: list[float], since: float = 0.0) -> int:
    """The most requests that arrived in any 1-second window starting at `since` or later (429s included)."""
    most, first = 0, 0
    for last, at in enumerate(times):
        while times[first] <= at - 1.0 or times[first] < since:
            first += 1
        most = max(most, last - first + 1)
    return most


def figures(results: list[dict[str, Any]], log: dict[str, Any], go: float, since: float = 0.0) -> dict[str, Any]:
    """The run's figures; `since`: the wall time of the fault, for the most requests in a second after it."""
    requests = log["log"]
    times = sorted(at for at, _, _ in requests)
    elapsed = max(r["finished"] for r in results) - go
    throttled_at, throttled_until = log["throttled_at"], log["throttled_until"]
    in_flight: Counter[str] = Counter()
    during: Counter[str] = Counter()
    for at, worker, _ in requests:
        if throttled_at < at <= throttled_at + IN_FLIGHT:
            in_flight[worker] += 1
        elif throttled_at + IN_FLIGHT < at < throttled_until:
            during[worker] += 1
    per_caller = {r["worker"]: r["calls"] / r["callers"] for r in results}
    calls = sum(r["calls"] for r in results)
    answered = sum(1 for _, _, status in requests if status == 200)
    too_many = sum(1 for _, _, status in requests if status == 429)
    backed_off = throttled_until - throttled_at if throttled_at else 0.0
    return {
        "calls": calls, "errors": dict(sum((Counter(r["errors"]) for r in results), Counter())),
        "messages": [m for r in results for m in r["messages"]][:3],
        "per_caller": per_caller, "fairness": min(per_caller.values()) / max(max(per_caller.values()), 1e-9),
        "longest": max(r["longest"] for r in results),
        "mean": sum(r["mean"] * r["calls"] for r in results) / max(calls, 1),
        "sent": len(requests), "too_many": too_many, "too_many_share": too_many / max(len(requests), 1),
        "in_flight": dict(in_flight), "during": dict(during), "max_in_1s": max_in_any_second(times),
        "max_in_1s_after": max_in_any_second(times, since) if since else None,
        "share_of_rate": answered / max(elapsed - backed_off, 1e-9) / LIMIT, "elapsed": elapsed,
    }


def report(title: str, run: dict[str, Any]) -> str:
    shares = ", ".join(
        f"{'async' if worker % 2 else 'sync'} {worker}: {share:.1f}" for worker, share in sorted(run["per_caller"].items())
    )
    return "\n".join([
        f"{title} (stand-in {LIMIT}/s, limiter {RATE}/s burst 2, 2 TMDB + 2 AsyncTMDB x {TASKS}, {DURATION:g} s)",
        f"  calls {run['calls']}, errors {run['errors'] or '-'} {run['messages'] or ''}",
        f"  calls per waiting caller: {shares} (lowest/highest {run['fairness']:.2f})",
        f"  wait per call: longest {run['longest']:.2f} s, mean {run['mean']:.2f} s",
        f"  requests {run['sent']}, 429s {run['too_many']} ({run['too_many_share']:.1%}), most in any 1 s "
        f"{run['max_in_1s']}" + ("" if run["max_in_1s_after"] is None else f" ({run['max_in_1s_after']} once Redis "
                                 "was gone)") + f", answered {run['share_of_rate']:.0%} of the allowed rate "
        "(back-off excluded)",
        (f"  during TMDB's Retry-After: in flight (first {IN_FLIGHT:g} s) {run['in_flight'] or 0}, "
         f"sent after {run['during'] or 0}"),
    ])


def test_four_replicas_back_off_together_and_share_the_rate_fairly(
    limited_standin: StandInProcess, redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def throttle_mid_run() -> None:
        time.sleep(THROTTLE_AT)
        post(limited_standin, f"/__throttle?seconds={THROTTLE}")

    results, go = run_replicas(limited_standin, redis_url, "fair-backoff", DURATION, throttle_mid_run)
    run = figures(results, standin_log(limited_standin), go)
    with capsys.disabled():
        print("\n" + report("TMDB's 429 mid-run", run))

    assert run["errors"] == {}, run  # no refusal past max_wait, no 429 handed to a caller
    assert run["during"] == {}, run  # nobody sent during the Retry-After but what was already on its way
    assert run["fairness"] >= 0.5, run  # per waiting caller, sync or async
    assert run["longest"] <= 5 * run["mean"], run
    assert run["too_many_share"] <= 0.02, run  # TMDB's own back-off included


def test_with_redis_killed_mid_run_each_replica_takes_its_share_of_the_rate(
    limited_standin: StandInProcess, own_redis: RedisServer, capsys: pytest.CaptureFixture[str]
) -> None:
    killed = []

    def kill_redis() -> None:
        time.sleep(KILL_AT)
        own_redis.kill()
        killed.append(time.time())

    results, go = run_replicas(limited_standin, own_redis.url, "fair-outage", DURATION, kill_redis)
    run = figures(results, standin_log(limited_standin), go, since=killed[0])
    with capsys.disabled():
        print("\n" + report(f"redis-server killed after {KILL_AT:g} s", run))

    assert run["errors"] == {}, run  # TMDB's few 429s were retried
    assert run["max_in_1s_after"] <= LIMIT + 1, run  # the fleet kept (about) to the limit with Redis gone
    assert run["too_many_share"] <= 0.02, run


