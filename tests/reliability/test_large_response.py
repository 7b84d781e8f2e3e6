"""A very large response (~20 MB of results) parses; time and memory are printed, not asserted."""

from __future__ import annotations

import json
import resource
import time

from tests.reliability import bodies
from tests.reliability import runtime_api as rt
from tests.reliability.conftest import bounded
from tests.reliability.fault_server import Fault

TARGET_BYTES = 20 * 1024 * 1024


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def large_page() -> bytes:
    one = len(json.dumps(bodies.movie_summary(1)))
    count = TARGET_BYTES // (one + 2)
    return json.dumps(bodies.search_page([bodies.movie_summary(i) for i in range(count)])).encode()


def test_twenty_megabytes_of_results_parse(serve, client_for):
    payload = large_page()
    server = serve(Fault(body=payload))
    client = client_for(server.base_url, timeout=30.0)
    before = rss_mib()
    started = time.perf_counter()
    page = bounded(lambda: rt.search_movies(client), limit=60.0)
    elapsed = time.perf_counter() - started
    results = rt.field(page, "results")
    assert len(results) == json.loads(payload)["total_results"]
    assert rt.field(results[-1], "id") == len(results) - 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nlarge response: {len(payload) / 2**20:.1f} MiB, {len(results)} results, parsed in {elapsed:.2f} s; "
        f"RSS {before:.0f} -> {rss_mib():.0f} MiB (process peak {peak:.0f} MiB)"
    )
