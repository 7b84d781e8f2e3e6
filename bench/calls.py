"""Per-call overhead: raw httpx against the generated endpoint functions and the runtime, sync and async.

Each scenario is one recorded body served by bench/server.py over keep-alive HTTP/1.1.
Variants take turns in short slices of calls; a variant's ratio is the median over slices of
(its time / raw httpx's time in the same round), so a slow moment of the machine cancels out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from bench.examples import Example, endpoint_module, field_prefix, find, largest
from bench.stats import interleaved, median, per_call, ratio, table

TOKEN = "bench-token"  # sent by every variant, so all of them build the same request
CONCURRENCY = 50
SIZED_POOL = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)


@dataclass(frozen=True)
class Scenario:
    title: str
    example: Example
    url: str  # the request path the server answers
    params: dict[str, str]  # query parameters, by wire name
    kwargs: dict[str, Any]  # the same request as generated-function arguments

    @property
    def module(self) -> ModuleType:
        return endpoint_module(self.example)

    def runtime_operation(self, client: object) -> Any:
        """`client.<tag>.<action>`, the runtime's typed call (operationId = "<tag>_<action>")."""
        tag = self.example.tag
        namespace = client.v4 if tag.startswith("v4_") else client  # type: ignore[attr-defined]
        resource = getattr(namespace, tag.removeprefix("v4_"))
        return getattr(resource, self.example.operation_id.removeprefix(f"{tag}_"))


def scenario(spec: dict[str, Any], title: str, example: Example) -> Scenario:
    """The request for `example`: path parameters and `query` filled from the spec's parameter examples."""
    from openapi_python_client.strings import PythonIdentifier

    operation = spec["paths"][example.path][example.method.lower()]
    url, params, kwargs = example.path, {}, {}
    for parameter in operation.get("parameters", []):
        name, where = parameter["name"], parameter["in"]
        if where == "path" or (where == "query" and (parameter.get("required") or name == "query")):
            value = str(parameter.get("example", parameter.get("schema", {}).get("example", "1")))
            integer = parameter.get("schema", {}).get("type") == "integer"  # ids are checked before sending
            kwargs[str(PythonIdentifier(name, prefix=field_prefix()))] = int(value) if integer else value
            if where == "path":
                url = url.replace("{" + name + "}", value)
            else:
                params[name] = value
    return Scenario(title, example, url, params, kwargs)


def scenarios(spec: dict[str, Any], examples: list[Example]) -> list[Scenario]:
    return [
        scenario(spec, "movie details", find(examples, "GET", "/3/movie/{movie_id}")),
        scenario(spec, "largest search page", largest(examples, "/3/search/")),
        scenario(spec, "request token", find(examples, "GET", "/3/authentication/token/new")),
    ]


@contextlib.contextmanager
def canned_server(items: list[Scenario]) -> Iterator[str]:
    """Start bench/server.py in its own process; yield its base URL."""
    with tempfile.TemporaryDirectory() as folder:
        routes = Path(folder) / "routes.json"
        routes.write_text(json.dumps({s.url: s.example.body.decode() for s in items}), encoding="utf-8")
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.server", str(routes)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert server.stdout is not None
            yield f"http://127.0.0.1:{int(server.stdout.readline())}"
        finally:
            server.terminate()
            server.wait()


def sequential_variants(base_url: str, item: Scenario) -> dict[str, Callable[[], object]]:
    from tmdb_generated import AuthenticatedClient
    from tmdb_sdk import TMDB

    raw = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"})
    generated = AuthenticatedClient(base_url=base_url, token=TOKEN)
    typed = item.runtime_operation(TMDB(access_token=TOKEN, base_url=base_url))
    module, kwargs = item.module, item.kwargs
    return {
        "httpx.Client + .json() (floor)": lambda: raw.get(item.url, params=item.params or None).json(),
        "generated sync_detailed": lambda: module.sync_detailed(client=generated, **kwargs),
        "runtime TMDB typed call": lambda: typed(**kwargs),
    }


def run_sequential(base_url: str, items: list[Scenario], rounds: int, number: int) -> str:
    rows = []
    for item in items:
        variants = sequential_variants(base_url, item)
        for fn in variants.values():  # connect and warm every path before timing
            fn()
        times = interleaved(variants, rounds, number)
        floor = times[next(iter(variants))]
        for name, samples in times.items():
            seconds = median(samples)
            rows.append([item.title, name, seconds * 1e6, 1 / seconds, f"{ratio(samples, floor):.2f}x"])
    header = ["scenario", "variant", "µs/call", "calls/s", "vs floor"]
    return table(f"Sequential calls (median of {rounds} rounds x {number} calls, interleaved)", header, rows)


async def concurrently(call: Callable[[], Awaitable[object]], total: int) -> float:
    """Seconds per call when CONCURRENCY tasks share `total` calls."""
    each = total // CONCURRENCY

    async def worker() -> None:
        for _ in range(each):
            await call()

    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return (loop.time() - start) / (each * CONCURRENCY)


def aiohttp_transport(connections: int) -> httpx.AsyncBaseTransport:
    """aiohttp's connection pool and C parser under httpx's API (AsyncTMDB's default pool wraps the same)."""
    from httpx_aiohttp import AiohttpTransport

    return AiohttpTransport(limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections))


async def async_round(base_url: str, item: Scenario, total: int) -> dict[str, float]:
    from tmdb_sdk import AsyncTMDB
    from tmdb_sdk._defaults import MAX_CONNECTIONS, MAX_KEEPALIVE_CONNECTIONS

    runtime_pool = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_KEEPALIVE_CONNECTIONS)

    headers = {"Authorization": f"Bearer {TOKEN}"}
    clients = {
        "httpx.AsyncClient, default pool": httpx.AsyncClient(base_url=base_url, headers=headers),
        f"httpx.AsyncClient, pool of {CONCURRENCY}": httpx.AsyncClient(
            base_url=base_url, headers=headers, limits=SIZED_POOL
        ),
        f"httpx.AsyncClient on httpx-aiohttp, pool of {CONCURRENCY}": httpx.AsyncClient(
            base_url=base_url, headers=headers, transport=aiohttp_transport(CONCURRENCY)
        ),
    }
    runtimes = {
        f"runtime AsyncTMDB, default transport (httpx-aiohttp, pool of {MAX_CONNECTIONS})": AsyncTMDB(
            access_token=TOKEN, base_url=base_url
        ),
        f"runtime AsyncTMDB on httpx's own pool of {MAX_CONNECTIONS}": AsyncTMDB(
            access_token=TOKEN, base_url=base_url, transport=httpx.AsyncHTTPTransport(limits=runtime_pool)
        ),
    }

    def raw_call(client: httpx.AsyncClient) -> Callable[[], Awaitable[object]]:
        async def call() -> object:
            return (await client.get(item.url, params=item.params or None)).json()

        return call

    def typed_call(client: AsyncTMDB) -> Callable[[], Awaitable[object]]:
        operation = item.runtime_operation(client)
        return lambda: operation(**item.kwargs)

    variants = {name: raw_call(client) for name, client in clients.items()}
    variants |= {name: typed_call(client) for name, client in runtimes.items()}
    result = {}
    for name, call in variants.items():
        await concurrently(call, CONCURRENCY * 2)  # open the pool's connections first
        result[name] = await concurrently(call, total)
    for client in clients.values():
        await client.aclose()
    for runtime in runtimes.values():
        await runtime.aclose()
    return result


def run_concurrent(base_url: str, item: Scenario, rounds: int, number: int) -> str:
    """Async at CONCURRENCY tasks, against sequential sync httpx measured in the same round."""
    baseline_name = "httpx.Client sequential (baseline)"
    raw = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"})
    sync_call = lambda: raw.get(item.url, params=item.params or None).json()
    sync_call()
    times: dict[str, list[float]] = {baseline_name: []}
    for _ in range(rounds):
        times[baseline_name].append(per_call(sync_call, number))
        for name, seconds in asyncio.run(async_round(base_url, item, number * 4)).items():
            times.setdefault(name, []).append(seconds)
    floor = times[baseline_name]
    rows = []
    for name, samples in times.items():
        speed = 1 / ratio(samples, floor)
        rows.append([item.title, name, 1 / median(samples), median(samples) * 1e6, f"{speed:.2f}x"])
    header = ["scenario", "variant", "calls/s", "µs/call (wall/calls)", "calls/s vs sync httpx"]
    return table(f"Async, {CONCURRENCY} concurrent tasks (median of {rounds} rounds)", header, rows)


def run(spec: dict[str, Any], examples: list[Example], rounds: int, number: int) -> list[str]:
    items = scenarios(spec, examples)
    with canned_server(items) as base_url:
        return [run_sequential(base_url, items, rounds, number), run_concurrent(base_url, items[0], rounds, number)]
