"""Per-call overhead of the runtime against raw httpx, on a local keep-alive server (issue 7).

    .venv/bin/python runtime/benchmarks/overhead.py [--calls 200] [--rounds 15]

Prints microseconds per call for: raw httpx (GET + json.loads), the generated function called
directly (adds building the request and parsing the model), and tmdb.movies.details (adds auth,
the retry transport, the error hook and error translation). The runtime's own cost is the last
line against the second; the target is the last within 1.2x of the second.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "generated"), str(ROOT / "runtime")]

import httpx
from tmdb_generated.api.movies import movies_details
from tmdb_generated.client import AuthenticatedClient
from tmdb_sdk import TMDB

BODY = json.dumps({
    "id": 550, "title": "Fight Club", "original_title": "Fight Club", "overview": "A ticking-time-bomb insomniac...",
    "release_date": "1999-10-15", "runtime": 139, "budget": 63000000, "revenue": 100853753, "adult": False,
    "poster_path": "/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg", "popularity": 61.4, "vote_average": 8.4, "vote_count": 26280,
    "genres": [{"id": 18, "name": "Drama"}], "origin_country": ["US"],
}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args: object) -> None:
        pass


def per_call_us(variants: dict[str, Callable[[], object]], calls: int, rounds: int) -> dict[str, float]:
    """Median microseconds per call of each variant; rounds interleave the variants so that load
    from elsewhere on the machine falls on all of them alike."""
    for call in variants.values():
        for _ in range(min(200, calls)):
            call()
    samples: dict[str, list[float]] = {label: [] for label in variants}
    for _ in range(rounds):
        for label, call in variants.items():
            start = time.perf_counter()
            for _ in range(calls):
                call()
            samples[label].append((time.perf_counter() - start) / calls * 1e6)
    return {label: statistics.median(values) for label, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per variant per round")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    key = "k" * 32
    with httpx.Client(base_url=base) as raw, TMDB(api_key=key, base_url=base) as tmdb:
        generated = AuthenticatedClient(base_url=base, token="").set_httpx_client(raw)
        variants: dict[str, Callable[[], object]] = {
            "raw httpx (GET + json)": lambda: json.loads(raw.get("/3/movie/550", params={"api_key": key}).content),
            "generated function": lambda: movies_details.sync(550, client=generated),
            "tmdb.movies.details": lambda: tmdb.movies.details(550),
        }
        figures = per_call_us(variants, args.calls, args.rounds)
    server.shutdown()
    for label, value in figures.items():
        print(f"{label:26s} {value:8.1f} us/call")
    print(f"runtime / generated        {figures['tmdb.movies.details'] / figures['generated function']:8.2f}x")
    print(f"runtime / raw httpx        {figures['tmdb.movies.details'] / figures['raw httpx (GET + json)']:8.2f}x")


if __name__ == "__main__":
    main()
