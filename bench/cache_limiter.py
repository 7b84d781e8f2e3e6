"""The cache and the rate limiter (tmdb_sdk.cache, tmdb_sdk.ratelimit): what a hit saves, what a limiter costs.

Network calls go to bench/server.py (the canned keep-alive server of the `calls` section, its own
process) with the recorded movie details. That server sends no caching headers, so the caches
here keep movie details with a minimum TTL (`min_ttl={"movies_details": 3600}`), which makes every
repeat a fresh hit. Variants take turns slice by slice (bench.stats.interleaved); ratios are medians
of slice-by-slice ratios to the network call of the same round.

- cache: a fresh hit (served by the in-process memo of fresh responses, whatever the storage), a hit
  read from each storage through hishel (memo emptied before each call: what another replica's entry
  costs), against the same typed call over the network; then the same at the transport layer alone.
- limiter: the typed call with no limiter, an in-process RateLimit and one in Redis, at a rate never
  reached (so the figure is the bookkeeping, not waiting). Redis is a redis-server started here on a
  loopback port (tests/fleet/fleet_support.py); without one those rows say so.
"""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from bench.calls import TOKEN, Scenario, canned_server, scenarios
from bench.examples import Example
from bench.stats import interleaved, median, ratio, table

RULES = {"movies_details": 3600.0}
# Requests per second (and at once) never reached: no call waits (the burst covers calls closer together
# than the rate's interval).
UNREACHED_RATE = 1_000_000


def fleet_support() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "tests" / "fleet" / "fleet_support.py"
    spec = importlib.util.spec_from_file_location("fleet_support", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def redis_server() -> Iterator[str | None]:
    """A redis-server of its own for the Redis rows; None when the binary is missing."""
    support = fleet_support()
    try:
        support.redis_server_binary()
    except RuntimeError:
        yield None
        return
    folder = tempfile.mkdtemp(prefix="bench-redis-")
    server = support.RedisServer(Path(folder))
    try:
        server.start()
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def typed(client: Any, item: Scenario) -> Callable[[], object]:
    """`client.movies.details(<the example's id>)`."""
    movie_id = int(item.url.rsplit("/", 1)[1])
    details = client.movies.details
    return lambda: details(movie_id)


def emptying_memo(cache: Any, call: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        cache._memo.entries.clear()
        cache._memo.size = 0
        return call()

    return run


def cache_variants(base_url: str, item: Scenario, folder: Path, redis_url: str | None) -> dict[str, Any]:
    from tmdb_sdk import TMDB, Cache

    def client(cache: Any = None) -> Any:
        return TMDB(access_token=TOKEN, base_url=base_url, cache=cache)

    memory = Cache("memory", min_ttl=RULES)
    variants: dict[str, Callable[[], object]] = {
        "network call (no cache)": typed(client(), item),
        "fresh hit (in-process memo; any storage)": typed(client(memory), item),
    }
    storages = {"memory": Cache("memory", min_ttl=RULES), "SQLite": Cache(f"sqlite:///{folder}/bench.db", min_ttl=RULES)}
    if redis_url is not None:
        storages["Redis"] = Cache(redis_url, min_ttl=RULES)
    for name, cache in storages.items():
        variants[f"hit read from {name} storage by hishel (memo empty)"] = emptying_memo(cache, typed(client(cache), item))
    return variants


def transport_variants(base_url: str, item: Scenario) -> dict[str, Callable[[], object]]:
    from tmdb_sdk import Cache
    from tmdb_sdk.cache import CacheTransport

    pool = httpx.HTTPTransport()
    layer = CacheTransport(pool, Cache("memory", min_ttl=RULES))
    request = httpx.Request("GET", f"{base_url}{item.url}", headers={"Authorization": f"Bearer {TOKEN}"})

    def network() -> object:
        response = pool.handle_request(request)
        response.read()
        return response

    def hit() -> object:
        return layer.handle_request(request).read()

    return {"pool round trip (HTTPTransport)": network, "CacheTransport fresh hit": hit}


def limiter_variants(base_url: str, item: Scenario, redis_url: str | None) -> dict[str, Callable[[], object]]:
    from tmdb_sdk import TMDB, RateLimit

    def client(limit: Any) -> Any:
        return TMDB(access_token=TOKEN, base_url=base_url, rate_limit=limit)

    variants = {
        "no limiter": typed(client(None), item),
        "RateLimit in this process": typed(client(RateLimit(rate=UNREACHED_RATE, burst=1000, key="bench-local")), item),
    }
    if redis_url is not None:
        limit = RateLimit(rate=UNREACHED_RATE, burst=1000, key="bench-redis", redis=redis_url)
        variants["RateLimit in Redis (3 round trips)"] = typed(client(limit), item)
    return variants


def timed(title: str, variants: dict[str, Callable[[], object]], rounds: int, number: int, note: str) -> str:
    for fn in variants.values():  # connect, fill the caches, load the modules
        fn()
        fn()
    times = interleaved(variants, rounds, number)
    baseline_name = next(iter(variants))
    baseline = times[baseline_name]
    rows = []
    for name, samples in times.items():
        seconds = median(samples)
        extra = (seconds - median(baseline)) * 1e6
        rows.append([name, seconds * 1e6, f"{ratio(samples, baseline):.2f}x", f"{extra:+.0f}"])
    header = ["variant", "µs/call", f"vs {baseline_name}", "µs vs it"]
    return table(f"{title} (median of {rounds} rounds x {number} calls, interleaved)", header, rows) + "\n\n" + note


def run(spec: dict[str, Any], examples: list[Example], rounds: int, number: int) -> list[str]:
    item = next(s for s in scenarios(examples) if s.kind == "details")
    with canned_server({item.url: item.example.body.decode()}) as base_url, redis_server() as redis_url, tempfile.TemporaryDirectory() as folder:
        missing = "" if redis_url is not None else " (no redis-server: Redis rows skipped)"
        return [
            timed("Cache: a fresh hit vs a network call, TMDB typed call (movie details)",
                  cache_variants(base_url, item, Path(folder), redis_url), rounds, number,
                  "Target: a fresh hit costs at most 1/4 of a network call" + missing + "."),
            timed("Cache: the transport layer alone", transport_variants(base_url, item), rounds, number,
                  "The rest of a typed call (binding the arguments, the request, the retry layer, parsing) is the same "
                  "with or without the cache."),
            timed("Rate limiter: overhead per call, TMDB typed call (movie details)",
                  limiter_variants(base_url, item, redis_url), rounds, number,
                  "At a rate never reached: the figure is the limiter's bookkeeping (Redis: the "
                  "turn script (GCRA by reservation), the block and slot script, the slot release)" + missing + "."),
        ]
