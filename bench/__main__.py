"""`make bench`: print every benchmark table (Markdown), preceded by the machine's description.

usage: python -m bench [--only pipeline,imports,calls,growth,parsing,memory,cache,catalogue,profile,wire]
       [--rounds N] [--calls N] [--catalogue-lines N] [--catalogue-ids N] [--catalogue-rate R]
Run from the repository root after `make` (the figures use build/spec/openapi.json and generated/).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

SECTIONS = ("pipeline", "imports", "calls", "growth", "parsing", "memory", "cache", "catalogue")
OPTIONAL = ("profile", "wire")  # run only when named in --only


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout.splitlines()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False).stdout
    from tmdb_generated._build_info import SPEC_SHA256

    return "\n".join([
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; commit {commit.strip()}; spec sha256 {SPEC_SHA256[:12]}",
        f"- cpu: {cpu}; nproc {os.cpu_count()}; load average at start {os.getloadavg()[0]:.2f}",
        f"- memory: {memory[1].split()[1] if len(memory) > 1 else '?'} total (free -h)",
        f"- python {platform.python_version()} ({sys.executable})",
    ])  # fmt: skip


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections, default all")
    parser.add_argument("--rounds", type=int, default=5, help="repetitions each median is taken over")
    parser.add_argument("--calls", type=int, default=300, help="calls per repetition in the per-call benchmarks")
    # bench/catalogue.py: the export's lines, the bulk job's ids, and the stand-in's requests per second.
    parser.add_argument("--catalogue-lines", type=int, default=1_000_000, help="lines of the streamed export")
    parser.add_argument("--catalogue-ids", type=int, default=20_000, help="ids of the bulk job")
    parser.add_argument("--catalogue-rate", type=float, default=400.0, help="requests/s the bulk stand-in allows")
    args = parser.parse_args(argv)
    wanted = [s for s in args.only.split(",") if s]
    unknown = set(wanted) - set(SECTIONS) - set(OPTIONAL)
    if unknown:
        parser.error(f"unknown section(s) {sorted(unknown)}; choose from {', '.join(SECTIONS + OPTIONAL)}")

    print("## Machine\n\n" + machine(), flush=True)
    if "pipeline" in wanted:  # first, while this process is small: make inherits its peak RSS figure
        from bench import pipeline

        print(*pipeline.run(Path.cwd()), sep="\n", flush=True)

    from bench import calls, examples, growth, imports, memory, parsing

    spec = examples.load_spec()
    recorded = list(examples.recorded_examples(spec))
    if "imports" in wanted:
        details = examples.endpoint_module(examples.find(recorded, "GET", "/3/movie/{movie_id}")).__name__
        statements = {
            "import tmdb_sdk": "import tmdb_sdk",
            "import httpx; httpx.Client() (loads httpcore)": "import httpx; httpx.Client()",
            "import tmdb_sdk; TMDB(api_key=...)": "import tmdb_sdk; tmdb_sdk.TMDB(api_key='k')",
            "import tmdb_sdk; AsyncTMDB(api_key=...)": "import tmdb_sdk; tmdb_sdk.AsyncTMDB(api_key='k')",
            f"import {details}": f"import {details}",
        }
        print(*imports.run(statements, args.rounds, frozenset({"import tmdb_sdk"})), sep="\n", flush=True)
    if "calls" in wanted:
        print(*calls.run(recorded, args.rounds, args.calls), sep="\n", flush=True)
    if "growth" in wanted:
        print(*growth.run(recorded, args.rounds), sep="\n", flush=True)
    if "parsing" in wanted:
        print(*parsing.run(recorded, args.rounds), sep="\n", flush=True)
    if "memory" in wanted:
        print(*memory.run(examples.largest(recorded)), sep="\n", flush=True)
    if "cache" in wanted:  # bench/cache_limiter.py: the cache and the rate limiter (tmdb_sdk.cache, .ratelimit)
        from bench import cache_limiter

        print(*cache_limiter.run(spec, recorded, args.rounds, args.calls), sep="\n", flush=True)
    if "catalogue" in wanted:  # bench/catalogue.py: tmdb.exports streaming and tmdb.bulk at a rate
        from bench import catalogue

        print(*catalogue.run(args.catalogue_lines, args.catalogue_ids, args.catalogue_rate), sep="\n", flush=True)
    if "profile" in wanted:
        from bench import profile

        print(*profile.run(recorded), sep="\n", flush=True)
    if "wire" in wanted:  # bench/wire.py: the pools' response reader against httptools alone and h11
        from bench import wire

        print(*wire.run(args.rounds), sep="\n", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
