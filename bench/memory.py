"""Memory of parsing the largest recorded response, in a fresh process so the peak is its own.

usage (internal): python -m bench.memory MODULE STATUS BODY_FILE -> prints one JSON line of figures.
"""

from __future__ import annotations

import gc
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.stats import table

if TYPE_CHECKING:
    from bench.examples import Example


def _peak_rss_mib() -> float:
    """This process's peak RSS (VmHWM): unlike getrusage's ru_maxrss, it does not carry over the parent's peak."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Decoded:
    """Just what a generated _parse_response reads from a response."""

    def __init__(self, status_code: int, decoded: Any) -> None:
        self.status_code = status_code
        self.decoded = decoded

    def json(self) -> Any:
        return self.decoded


def measure(module_name: str, status: int, body: bytes) -> dict[str, float]:
    from tmdb_generated import Client

    parse = importlib.import_module(module_name)._parse_response
    client = Client(base_url="http://127.0.0.1")
    rss_imports = _peak_rss_mib()
    model = parse(client=client, response=_Decoded(status, json.loads(body)))  # cold: also loads the model modules
    rss_parsed = _peak_rss_mib()
    del model
    gc.collect()
    tracemalloc.start()
    decoded = json.loads(body)
    dict_bytes, _ = tracemalloc.get_traced_memory()
    model = parse(client=client, response=_Decoded(status, decoded))
    both_bytes, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert model is not None
    return {
        "dict_mib": dict_bytes / 2**20,
        "models_mib": (both_bytes - dict_bytes) / 2**20,
        "peak_mib": peak_bytes / 2**20,
        "rss_imports_mib": rss_imports,
        "rss_parsed_mib": rss_parsed,
    }


def run(example: Example) -> list[str]:
    from bench.examples import endpoint_module  # not at the top: the measuring child must stay lean

    with tempfile.NamedTemporaryFile(suffix=".json") as body:
        body.write(example.body)
        body.flush()
        command = [
            sys.executable,
            "-m",
            "bench.memory",
            endpoint_module(example).__name__,
            str(example.status),
            body.name,
        ]
        figures = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    rows = [
        ["response body", f"{len(example.body) / 1024:.0f} KiB"],
        ["json.loads result, held", f"{figures['dict_mib']:.2f} MiB"],
        ["models built by from_dict, held on top", f"{figures['models_mib']:.2f} MiB"],
        ["traced peak while parsing", f"{figures['peak_mib']:.2f} MiB"],
        [
            "process peak RSS after imports / after a cold parse",
            f"{figures['rss_imports_mib']:.0f} / {figures['rss_parsed_mib']:.0f} MiB",
        ],
    ]
    return [table(f"Memory: parsing the largest example, {example.label}", ["measure", "value"], rows)]


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]).read_bytes())))
