"""Per-call cost, side by side: this package, the peers a user would otherwise pick, and two probes.

Each scenario is one recorded body served by bench/server.py (its own process) over keep-alive
HTTP/1.1. Protocol (issue 16): per repetition, the sync clients take turns in 10 slices of
calls/10 sequential calls; then each async client makes `calls` calls shared by 50 tasks on a pool
warmed beforehand. Every figure is the median over repetitions of (per-call time / per-call time
of `httpx.Client` + `json.loads` in the same repetition); for async, per-call time is wall time /
calls. Lower is faster. Every client is checked to return the recorded data before it is timed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.examples import Example, find
from bench.stats import median, per_call, table

TOKEN = "bench-token"
CONCURRENCY = 50
FLOOR = "httpx.Client + json.loads (floor)"
OURS_SYNC, OURS_ASYNC = "TMDB (this package)", f"AsyncTMDB, {CONCURRENCY} tasks"
SYNC_TARGET, ASYNC_TARGET = 0.8, 0.5  # issue 16: sync <= 0.8x the floor; async >= 2x its calls/s


@dataclass(frozen=True)
class Scenario:
    kind: str  # details | search | token
    title: str
    example: Example
    url: str  # the request path the server answers
    kwargs: dict[str, Any]  # the same request as typed-call arguments

    @property
    def expected(self) -> tuple[Any, ...]:
        return fingerprint(self.kind, json.loads(self.example.body))

    def typed(self, client: Any) -> Callable[..., Any]:
        """`client.<tag>.<action>`, the runtime's typed call (operationId = "<tag>_<action>")."""
        tag = self.example.tag
        return getattr(getattr(client, tag), self.example.operation_id.removeprefix(f"{tag}_"))


def scenarios(examples: list[Example]) -> list[Scenario]:
    search = next(e for e in examples if e.path == "/3/search/movie")
    return [
        Scenario("details", "movie details", find(examples, "GET", "/3/movie/{movie_id}"), "/3/movie/550",
                 {"movie_id": 550}),
        Scenario("search", f"search page ({len(search.body) / 1000:.1f} KB)", search, "/3/search/movie",
                 {"query": "animation"}),
        Scenario("token", "request token", find(examples, "GET", "/3/authentication/token/new"),
                 "/3/authentication/token/new", {}),
    ]  # fmt: skip


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def fingerprint(kind: str, result: Any) -> tuple[Any, ...]:
    """What must match the recorded body, whatever the client returns (dict, model, dataclass, AsObj)."""
    if kind == "details":
        return _get(result, "id"), _get(result, "title")
    if kind == "search":
        results = _get(result, "results")
        items = list(result if results is None else results)  # tmdbv3api returns the results only
        return len(items), _get(items[0], "id")
    return (result if isinstance(result, str) else _get(result, "request_token"),)  # tmdbv3api: the token


@contextlib.contextmanager
def canned_server(routes: dict[str, Any]) -> Iterator[str]:
    """Start bench/server.py in its own process with `routes`; yield its base URL."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "routes.json"
        path.write_text(json.dumps(routes), encoding="utf-8")
        server = subprocess.Popen([sys.executable, "-m", "bench.server", str(path)], stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            yield f"http://127.0.0.1:{int(server.stdout.readline())}"
        finally:
            server.terminate()
            server.wait()


def sync_variants(base_url: str, item: Scenario, stack: contextlib.ExitStack) -> dict[str, Callable[[], Any]]:
    from tmdb_sdk import TMDB

    from bench import candidates, peers

    headers = {"Authorization": f"Bearer {TOKEN}"}
    raw = stack.enter_context(httpx.Client(base_url=base_url, headers=headers))
    params = {"query": item.kwargs["query"]} if "query" in item.kwargs else None
    typed = item.typed(stack.enter_context(TMDB(access_token=TOKEN, base_url=base_url)))
    transport = stack.enter_context(httpx.HTTPTransport())
    url = httpx.URL(base_url + item.url, params=params)

    def direct() -> Any:
        response = transport.handle_request(httpx.Request("GET", url, headers=headers))
        return json.loads(response.read())

    return {
        FLOOR: lambda: json.loads(raw.get(item.url, params=params).content),
        OURS_SYNC: lambda: typed(**item.kwargs),
        **peers.sync_peers(base_url, item.kind, stack),
        "httpx transport called directly (probe)": direct,
        **candidates.sync_variants(item, base_url, TOKEN, stack),
    }


async def async_variants(
    base_url: str, item: Scenario, stack: contextlib.AsyncExitStack
) -> dict[str, Callable[[], Awaitable[Any]]]:
    from tmdb_sdk import AsyncTMDB

    from bench import candidates, peers

    typed = item.typed(await stack.enter_async_context(AsyncTMDB(access_token=TOKEN, base_url=base_url)))
    variants: dict[str, Callable[[], Awaitable[Any]]] = {OURS_ASYNC: lambda: typed(**item.kwargs)}
    for name, call in (await peers.async_peers(base_url, item.kind, stack)).items():
        tasks = f", {CONCURRENCY} tasks"
        variants[name.replace(" (", f"{tasks} (") if "probe" in name else name + tasks] = call
    return variants | await candidates.async_variants(item, base_url, TOKEN, stack)


async def concurrently(call: Callable[[], Awaitable[object]], total: int) -> float:
    """Seconds per call when CONCURRENCY tasks share `total` calls."""
    each = max(1, total // CONCURRENCY)

    async def worker() -> None:
        for _ in range(each):
            await call()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return (time.perf_counter() - start) / (each * CONCURRENCY)


def checked(name: str, item: Scenario, result: Any) -> None:
    got = fingerprint(item.kind, result)
    if got != item.expected:
        raise AssertionError(f"{name} on {item.title}: got {got}, expected {item.expected}")


def measure(base_url: str, item: Scenario, rounds: int, number: int, runner: asyncio.Runner) -> dict[str, list[float]]:
    """name -> per-call seconds per repetition, the floor's included."""
    with contextlib.ExitStack() as stack:
        sync = sync_variants(base_url, item, stack)
        astack = contextlib.AsyncExitStack()
        asyn = runner.run(async_variants(base_url, item, astack))
        try:
            for name, fn in sync.items():  # connect, warm and check every client before timing
                for _ in range(3):
                    checked(name, item, fn())
            for name, afn in asyn.items():
                checked(name, item, runner.run(afn()))
                runner.run(concurrently(afn, CONCURRENCY * 2))  # opens the pool's connections
            times: dict[str, list[float]] = {name: [] for name in [*sync, *asyn]}
            size = max(1, number // 10)
            for _ in range(rounds):
                spent = dict.fromkeys(sync, 0.0)
                for _ in range(10):
                    for name, fn in sync.items():
                        spent[name] += per_call(fn, size)
                for name, seconds in spent.items():
                    times[name].append(seconds / 10)
                for name, afn in asyn.items():
                    times[name].append(runner.run(concurrently(afn, number)))
        finally:
            runner.run(astack.aclose())
    return times


def _ratios(times: dict[str, list[float]]) -> dict[str, list[float]]:
    floor = times[FLOOR]
    return {name: [t / f for t, f in zip(samples, floor, strict=True)] for name, samples in times.items()}


def _cell(samples: list[float]) -> str:
    low, mid, high = min(samples), median(samples), max(samples)
    return f"{mid:.2f} ({low:.2f}–{high:.2f})"


def verdicts(ratios: dict[str, dict[str, list[float]]], items: list[Scenario]) -> list[list[str]]:
    rows = []
    for item in items:
        r = {name: median(samples) for name, samples in ratios[item.title].items()}
        sync_ok = r[OURS_SYNC] <= SYNC_TARGET
        rows.append(
            [item.title, f"TMDB <= {SYNC_TARGET}x floor", f"{r[OURS_SYNC]:.2f}", "met" if sync_ok else "not met"]
        )
        peers = {
            n: v
            for n, v in r.items()
            if "tasks" in n and "probe" not in n and not n.startswith(("candidate", OURS_ASYNC))
        }
        best = min(peers, key=peers.__getitem__)
        ahead = r[OURS_ASYNC] < peers[best]
        rows.append([item.title, f"AsyncTMDB ahead of {best}", f"{r[OURS_ASYNC]:.2f} vs {peers[best]:.2f}",
                     "met" if ahead else "not met"])  # fmt: skip
        if item.kind != "search":
            ok = r[OURS_ASYNC] <= ASYNC_TARGET
            rows.append([item.title, f"AsyncTMDB <= {ASYNC_TARGET}x (2x the calls/s)", f"{r[OURS_ASYNC]:.2f}",
                         "met" if ok else "not met"])  # fmt: skip
    return rows


def run(examples: list[Example], rounds: int, number: int) -> list[str]:
    items = scenarios(examples)
    ratios: dict[str, dict[str, list[float]]] = {}
    micros: dict[str, dict[str, float]] = {}
    with canned_server({s.url: s.example.body.decode() for s in items}) as base_url, asyncio.Runner() as runner:
        for item in items:
            times = measure(base_url, item, rounds, number, runner)
            ratios[item.title] = _ratios(times)
            micros[item.title] = {name: median(samples) * 1e6 for name, samples in times.items()}
    names = list(ratios[items[0].title])
    title = (f"Side by side: per-call time / httpx.Client + json.loads, median (min–max) of {rounds} repetitions"
             f" x {number} calls; async: {number} calls shared by {CONCURRENCY} tasks")  # fmt: skip
    ratio_rows = [[name, *(_cell(ratios[i.title][name]) for i in items)] for name in names]
    micro_rows = [[name, *(f"{micros[i.title][name]:.0f}" for i in items)] for name in names]
    header = ["client", *(i.title for i in items)]
    return [
        table(title, header, ratio_rows),
        table("Side by side: µs per call (median; async: wall time / calls)", header, micro_rows),
        table("Targets (issue 16)", ["endpoint", "target", "figure", ""], verdicts(ratios, items)),
    ]
