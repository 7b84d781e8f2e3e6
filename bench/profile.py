"""Where a typed call's time goes: pyinstrument over the package's sync and async calls.

`make bench BENCH_ARGS="--only profile"` (not part of the default run: its output is long).
For each scenario of the calls section: 2,000 sequential TMDB calls, then 3,000 AsyncTMDB calls
shared by 50 tasks, against bench/server.py; pyinstrument's call tree, frames under 2% hidden.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bench.calls import CONCURRENCY, TOKEN, canned_server, concurrently, scenarios
from bench.examples import Example


def _report(profiler: Any, title: str) -> str:
    text = profiler.output_text(unicode=True, color=False, show_all=False, processor_options={"filter_threshold": 0.02})
    return f"\n### Profile: {title}\n\n```\n{text.strip()}\n```"


def run(examples: list[Example], calls: int = 2000) -> list[str]:
    from pyinstrument import Profiler
    from tmdb_sdk import TMDB, AsyncTMDB

    items = scenarios(examples)
    out = []
    with canned_server({s.url: s.example.body.decode() for s in items}) as base_url:
        for item in items:
            with TMDB(access_token=TOKEN, base_url=base_url) as tmdb:
                typed = item.typed(tmdb)
                for _ in range(50):
                    typed(**item.kwargs)
                profiler = Profiler(interval=0.0002)
                with profiler:
                    for _ in range(calls):
                        typed(**item.kwargs)
            out.append(_report(profiler, f"TMDB, {item.title}, {calls} sequential calls"))

            async def concurrent(item: Any = item) -> Any:
                async with AsyncTMDB(access_token=TOKEN, base_url=base_url) as client:
                    call = item.typed(client)
                    await concurrently(lambda: call(**item.kwargs), CONCURRENCY * 4)
                    profiler = Profiler(interval=0.0002, async_mode="disabled")
                    with profiler:
                        await concurrently(lambda: call(**item.kwargs), calls * 3 // 2)
                    return profiler

            out.append(_report(asyncio.run(concurrent()), f"AsyncTMDB, {item.title}, {CONCURRENCY} tasks"))
    return out
