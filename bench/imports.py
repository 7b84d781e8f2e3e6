"""Import time: `python -X importtime -c "import X"` in fresh processes, against `import httpx` in the same run.

Bytecode is cached (in build/bench/pycache) and warmed first, as it is for an installed wheel;
the environment this runs in may set PYTHONDONTWRITEBYTECODE, which would time compilation instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.stats import median, table

BASELINE = "httpx"
PYCACHE = Path("build/bench/pycache")
TARGET = 1.3


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(["generated", "runtime"])
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE.resolve())
    return env


def cumulative_ms(statement: str, env: dict[str, str]) -> float:
    """Cumulative import time of what `statement` imports, from -X importtime's report.

    The report lists interpreter start-up first, ending with `site`; the top-level (unindented)
    entries after it are the statement's own imports, each with its cumulative microseconds.
    """
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement], env=env, capture_output=True, text=True, check=True
    )
    total, after_site = 0, False
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or line.endswith("imported package"):
            continue
        _, cumulative, name = line.split("|")
        if name.startswith(" " * 3):  # nested: already counted in its parent's cumulative time
            continue
        if after_site:
            total += int(cumulative)
        after_site = after_site or name.strip() == "site"
    return total / 1000


def run(statements: dict[str, str], rounds: int, targeted: frozenset[str] = frozenset()) -> list[str]:
    """Rows for each statement; those named in `targeted` are checked against TARGET x `import httpx`."""
    env = _environment()
    cases = {f"import {BASELINE}": f"import {BASELINE}", **statements}
    for statement in cases.values():  # write the bytecode cache once
        cumulative_ms(statement, env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, statement in cases.items():
            times[name].append(cumulative_ms(statement, env))
    floor = times[f"import {BASELINE}"]
    rows = []
    for name, samples in times.items():
        ratio = median([t / f for t, f in zip(samples, floor, strict=True)])
        mark = "" if name not in targeted else ("ok" if ratio <= TARGET else f"over {TARGET}x")
        rows.append([name, median(samples), f"{ratio:.2f}x", mark])
    return [table(f"Import time (median of {rounds} fresh processes)", ["statement", "ms", "vs httpx", "target"], rows)]
