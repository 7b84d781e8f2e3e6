"""Keeping a catalogue in sync (tmdb_sdk.catalogue): streaming a daily ID export, and a bulk job at a rate.

- export: a movie export of --catalogue-lines lines (default 1,000,000), made in a temp folder and
  served from a loopback file server (its own process); tmdb.exports.ids streams it in a fresh process
  that notes its peak RSS (VmHWM) after 100,000 rows and at the end. Baseline: the same file read from
  disk with gzip.open and the same JSON decoder, line by line (no HTTP, no typed rows).
- bulk: --catalogue-ids ids (default 20,000) through tmdb.bulk(tmdb.movies.details, ...) against a
  stand-in that allows R = --catalogue-rate requests per second (a token bucket answering 429 beyond it),
  with the client's RateLimit set to 97% of R. Share of R achieved, 429s, CPU per call (the client
  process's user+sys time over the calls) and its RSS after 5,000 ids and at the end.

usage: python -m bench --only catalogue [--catalogue-lines N] [--catalogue-ids N] [--catalogue-rate R]
Each figure comes from its own processes (server and client), so peaks are their own.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import table

ROOT = Path(__file__).resolve().parents[1]
DAY = "2026-12-06"
FILE = "movie_ids_12_06_2026.json.gz"
LIMIT_SHARE = 0.97  # the client's limiter, as a share of the stand-in's R


def _burst(rate: float) -> int:
    """The stand-in's bucket and the client's burst: 20 ms worth of requests. (With burst=1 the limiter
    reached 30-60% of its rate on this machine: each caller sleeps whole milliseconds past its slot.)"""
    return max(1, round(rate / 50))


def _status(field: str) -> float:
    """A /proc/self/status figure in MiB (VmHWM: the peak RSS so far; VmRSS: now)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "runtime"), str(ROOT / "generated")])}


def _spawn(*args: str) -> tuple[subprocess.Popen[str], int]:
    """A helper process of this module that prints its port first."""
    process = subprocess.Popen([sys.executable, "-m", "bench.catalogue", *args], stdout=subprocess.PIPE, text=True,
                               env=_env(), cwd=ROOT)  # fmt: skip
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def _child(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.catalogue", *args], capture_output=True, text=True, env=_env(),
                         cwd=ROOT, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# -- helper processes ----------------------------------------------------------------------------------

def write_export(path: Path, count: int) -> None:
    with gzip.open(path, "wb", compresslevel=6) as file:
        for start in range(0, count, 20_000):
            file.write("".join(
                f'{{"adult":false,"id":{i},"original_title":"Movie number {i}","popularity":{i % 997}.25,'
                f'"video":false}}\n' for i in range(start, min(count, start + 20_000))
            ).encode())  # fmt: skip


def serve_files(folder: str) -> None:
    """/p/exports/<name> from `folder`, streamed, HTTP/1.1."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Files(SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def translate_path(self, path: str) -> str:
            return str(Path(folder) / path.rsplit("/", 1)[-1].split("?")[0])

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def stream_child(url: str, lines: int) -> None:
    from tmdb_sdk import TMDB

    tmdb = TMDB(api_key="k")
    exports = tmdb.exports.at(url)
    rss_start, rss_100k, count = _status("VmHWM"), 0.0, 0
    started = time.perf_counter()
    for row in exports.ids("movie", DAY):
        count += 1
        if count == 100_000:
            rss_100k = _status("VmHWM")
        assert row.id >= 0
    elapsed = time.perf_counter() - started
    print(json.dumps({"rows": count, "seconds": elapsed, "rss_start": rss_start, "rss_100k": rss_100k,
                      "rss_end": _status("VmHWM")}))  # fmt: skip


def baseline_child(path: str) -> None:
    from tmdb_sdk._json import loads

    started, count = time.perf_counter(), 0
    with gzip.open(path, "rb") as file:
        for line in file:
            if loads(line)["id"] >= 0:
                count += 1
    print(json.dumps({"rows": count, "seconds": time.perf_counter() - started}))


def serve_ids(rate: float) -> None:
    """/3/movie/{id}: a small MovieDetails, at most `rate` requests per second (token bucket; 429 beyond)."""
    capacity = 2.0 * _burst(rate)  # twice the client's burst: its timer jitter is no 429
    state = {"tokens": capacity, "at": time.monotonic(), "ok": 0, "limited": 0}

    def allowed() -> bool:
        now = time.monotonic()
        state["tokens"] = min(capacity, state["tokens"] + (now - state["at"]) * rate)
        state["at"] = now
        if state["tokens"] >= 1:
            state["tokens"] -= 1
            return True
        return False

    def response(status: int, body: bytes, extra: str = "") -> bytes:
        reason = "OK" if status == 200 else "Too Many Requests"
        head = f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
        return head.encode() + body

    class Ids(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            self.transport, self.buffer = transport, b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while b"\r\n\r\n" in self.buffer:
                head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
                target = head.split(b" ", 2)[1]
                if target == b"/stats":
                    self.transport.write(response(200, json.dumps(state).encode()))
                    continue
                item = target.split(b"?", 1)[0].rsplit(b"/", 1)[-1]
                if allowed():
                    state["ok"] += 1
                    self.transport.write(response(200, b'{"id":%s,"title":"Movie %s"}' % (item, item)))
                else:
                    state["limited"] += 1
                    body = b'{"success":false,"status_code":25,"status_message":"limit"}'
                    self.transport.write(response(429, body, "Retry-After: 1\r\n"))

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Ids, "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    asyncio.run(main())


def bulk_child(url: str, count: int, rate: float) -> None:
    from tmdb_sdk import TMDB
    from tmdb_sdk.catalogue.bulk import Fetched
    from tmdb_sdk.ratelimit import RateLimit

    limit = RateLimit(rate=max(1, int(rate * LIMIT_SHARE)), per=1.0, burst=_burst(rate), concurrency=None, max_wait=60,
                      key="bench-catalogue")  # fmt: skip
    fetched, rss_5k = 0, 0.0
    with TMDB(api_key="k", base_url=url, rate_limit=limit) as tmdb:
        cpu_start = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        for outcome in tmdb.bulk(tmdb.movies.details, range(1, count + 1), concurrency=8, bar=False):
            fetched += isinstance(outcome, Fetched)
            if fetched == min(5_000, count):
                rss_5k = _status("VmRSS")
        elapsed = time.perf_counter() - started
        cpu_end = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_end.ru_utime - cpu_start.ru_utime) + (cpu_end.ru_stime - cpu_start.ru_stime)
    print(json.dumps({"fetched": fetched, "seconds": elapsed, "cpu": cpu, "rss_5k": rss_5k,
                      "rss_end": _status("VmRSS")}))  # fmt: skip


# -- the section ---------------------------------------------------------------------------------------

def run(lines: int = 1_000_000, ids: int = 20_000, rate: float = 400.0) -> list[str]:
    out: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    try:
        made = time.perf_counter()
        write_export(folder / FILE, lines)
        size = (folder / FILE).stat().st_size
        made = time.perf_counter() - made
        files, port = _spawn("serve-files", str(folder))
        try:
            streamed = _child("stream", f"http://127.0.0.1:{port}/p/exports", str(lines))
        finally:
            files.terminate()
            files.wait(10)
        base = _child("baseline", str(folder / FILE))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows_s, base_s = streamed["rows"] / streamed["seconds"], base["rows"] / base["seconds"]
    growth = streamed["rss_end"] - streamed["rss_100k"]
    out.append(table(
        f"Catalogue: streaming a movie export of {lines:,} lines ({size / 2**20:.1f} MiB gzip, made in {made:.0f} s)",
        ["figure", "value"],
        [["rows/s, tmdb.exports.ids over loopback HTTP (typed rows)", f"{rows_s:,.0f}"],
         ["rows/s, baseline: gzip.open + JSON decode per line, from disk", f"{base_s:,.0f}"],
         ["ratio to the baseline", f"{rows_s / base_s:.2f}"],
         ["peak RSS at start / after 100,000 rows / after all (MiB)",
          f"{streamed['rss_start']:.1f} / {streamed['rss_100k']:.1f} / {streamed['rss_end']:.1f}"],
         [f"peak RSS growth from 100,000 to {lines:,} rows (target <= +20 MiB)", f"{growth:+.1f} MiB"]],
    ))  # fmt: skip
    server, port = _spawn("serve-ids", str(rate))
    try:
        bulk = _child("bulk", f"http://127.0.0.1:{port}", str(ids), str(rate))
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5) as answer:
            stats = json.loads(answer.read())
    finally:
        server.terminate()
        server.wait(10)
    achieved = bulk["fetched"] / bulk["seconds"]
    calls = stats["ok"] + stats["limited"]
    out.append(table(
        f"Catalogue: tmdb.bulk over {ids:,} ids (concurrency 8), stand-in allowing R = {rate:g} req/s "
        f"(burst {_burst(rate)}), limiter at {LIMIT_SHARE:.0%} of R with the same burst",
        ["figure", "value"],
        [["ids fetched / seconds", f"{bulk['fetched']:,} / {bulk['seconds']:.1f}"],
         ["achieved req/s; share of R (aim >= 95%)", f"{achieved:.1f}; {achieved / rate:.1%}"],
         ["share of the limiter's own rate", f"{achieved / max(1, int(rate * LIMIT_SHARE)):.1%}"],
         ["429s from the stand-in", stats["limited"]],
         ["client CPU per call (user+sys)", f"{bulk['cpu'] / max(1, calls) * 1e6:.0f} us"],
         [f"client RSS after 5,000 ids / after {ids:,} (MiB)", f"{bulk['rss_5k']:.1f} / {bulk['rss_end']:.1f}"],
         ["RSS growth", f"{bulk['rss_end'] - bulk['rss_5k']:+.1f} MiB"]],
    ))  # fmt: skip
    return out


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    {"serve-files": lambda: serve_files(rest[0]), "stream": lambda: stream_child(rest[0], int(rest[1])),
     "baseline": lambda: baseline_child(rest[0]), "serve-ids": lambda: serve_ids(float(rest[0])),
     "bulk": lambda: bulk_child(rest[0], int(rest[1]), float(rest[2])),
     "section": lambda: print(*run(*(int(rest[0]), int(rest[1]), float(rest[2])) if rest else ()), sep="\n")}[command]()
