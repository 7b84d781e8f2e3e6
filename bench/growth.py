"""What grows with the work: paging deep, and memory over many async calls.

- pages: `TMDB.<search>.items()` over 500 pages (20 items each) from bench/server.py, which answers
  `page=N` with page N of 500; median time per item over pages 2-51 against pages 451-500, per
  walk, median over walks. A pager that re-walks or keeps what it has yielded grows here.
- memory: in a fresh process, AsyncTMDB makes 10,000 movie-details calls shared by 50 tasks;
  after each 1,000 calls the process's RSS, the traced Python memory (tracemalloc, started after
  the first 1,000 calls: the warm-up) and the count of objects the GC tracks are recorded.

usage (internal): python -m bench.growth memory BASE_URL CALLS -> one JSON line of samples.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from bench.examples import Example
from bench.stats import median, table

PAGES, WINDOW, CONCURRENCY = 500, 50, 50
TOKEN = "bench-token"


def page_bodies(example: Example) -> list[str]:
    """The recorded search page as pages 1..PAGES of PAGES."""
    body = json.loads(example.body)
    pages = []
    for page in range(1, PAGES + 1):
        body.update(page=page, total_pages=PAGES, total_results=PAGES * len(body["results"]))
        pages.append(json.dumps(body, separators=(",", ":"), ensure_ascii=False))
    return pages


def walk(base_url: str) -> tuple[float, float, int]:
    """(µs per item over the first WINDOW pages, over the last WINDOW pages, items seen).

    Each page's time is taken on its own; a window's figure is the median page time / items per
    page, so a burst of load from elsewhere on the machine does not land on one window only.
    """
    from tmdb_sdk import TMDB

    with TMDB(access_token=TOKEN, base_url=base_url) as tmdb:
        marks: list[float] = [time.perf_counter()]
        count = 0
        for count, _ in enumerate(tmdb.search.movie.items(query="animation"), start=1):
            if count % 20 == 0:  # a page's worth
                marks.append(time.perf_counter())
    pages = [(b - a) * 1e6 / 20 for a, b in itertools.pairwise(marks)]
    return median(pages[1 : WINDOW + 1]), median(pages[-WINDOW:]), count  # page 1 also connects


def memory_child(base_url: str, calls: int) -> list[dict[str, float]]:
    from tmdb_sdk import AsyncTMDB

    def rss_mib() -> float:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    async def main() -> list[dict[str, float]]:
        samples = []
        async with AsyncTMDB(access_token=TOKEN, base_url=base_url) as tmdb:
            details = tmdb.movies.details

            async def worker(each: int) -> None:
                for _ in range(each):
                    await details(550)

            for step in range(calls // 1000):
                await asyncio.gather(*(worker(1000 // CONCURRENCY) for _ in range(CONCURRENCY)))
                if step == 0:
                    tracemalloc.start()
                gc.collect()
                traced = tracemalloc.get_traced_memory()[0] / 2**20 if tracemalloc.is_tracing() else 0.0
                samples.append({"calls": (step + 1) * 1000, "rss": rss_mib(), "traced": traced,
                                "objects": len(gc.get_objects())})  # fmt: skip
        return samples

    return asyncio.run(main())


def run(examples: list[Example], rounds: int, calls: int = 10_000) -> list[str]:
    from bench.calls import canned_server

    search = next(e for e in examples if e.path == "/3/search/movie")
    details = next(e for e in examples if e.path == "/3/movie/{movie_id}")
    routes = {"/3/search/movie": page_bodies(search), "/3/movie/550": details.body.decode()}
    out = []
    with canned_server(routes) as base_url:
        walks = [walk(base_url) for _ in range(max(1, rounds))]
        first, last = median([w[0] for w in walks]), median([w[1] for w in walks])
        rows = [
            [f"pages 2–{WINDOW + 1}", first, "1.00x"],
            [f"pages {PAGES - WINDOW + 1}–{PAGES}", last, f"{last / first:.2f}x"],
        ]
        out.append(table(f"Paging: TMDB search.movie.items() over {PAGES} pages ({walks[0][2]} items), µs per item, "
                         f"median of {len(walks)} walks", ["pages", "µs/item", "vs first pages"], rows))  # fmt: skip
        command = [sys.executable, "-m", "bench.growth", "memory", base_url, str(calls)]
        samples = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    rows = [[s["calls"], f"{s['rss']:.1f}", f"{s['traced']:.2f}" if s["traced"] else "(warm-up)", s["objects"]]
            for s in samples]  # fmt: skip
    warm, end = samples[1], samples[-1]
    title = (f"Memory: AsyncTMDB, {calls} movie-details calls shared by {CONCURRENCY} tasks; after warm-up "
             f"({warm['calls']} → {end['calls']} calls) RSS {end['rss'] - warm['rss']:+.1f} MiB, traced "
             f"{end['traced'] - warm['traced']:+.2f} MiB, GC objects {end['objects'] - warm['objects']:+d}")  # fmt: skip
    out.append(table(title, ["calls", "RSS MiB", "traced MiB", "GC-tracked objects"], rows))
    return out


if __name__ == "__main__":
    if sys.argv[1] == "memory":
        print(json.dumps(memory_child(sys.argv[2], int(sys.argv[3]))))
    else:
        raise SystemExit(__doc__)
