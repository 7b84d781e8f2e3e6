"""Step 1: bring every pinned page into the cache and check it against its pin.

usage: python -m scripts.fetch_pages --source DOCS_SOURCE --lock openapi/pages.lock --cache build/pages

A cached page that no longer matches the pin it was cached under, or a source page whose
bytes differ from the pin, stops the build naming the page and both hashes. A page whose
pin changed since it was cached (`make update-spec`, or a pulled lock) is stale, not
tampered: it is fetched again. A local source is always re-read (it is cheap, and a
changed source page must not hide behind a good cache); a remote one is fetched only for
pages missing from the cache or stale.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from scripts.common import PipelineError, page_cache_file, run_main, sha256_bytes, write_if_changed
from scripts.sources import DocsSource, Pin, format_lock, read_lock

CACHE_PINS = ".pins"  # the pins the cache was last verified against, in the lock's format


def cache_file(cache: Path, pin: Pin) -> Path:
    return page_cache_file(cache, pin.page)


def check_pin(pin: Pin, data: bytes, where: str) -> None:
    actual = sha256_bytes(data)
    if actual != pin.sha256:
        raise PipelineError(
            f"{where}: sha256 {actual} does not match the pin {pin.sha256} for {pin.operation}"
            " (if the docs changed on purpose, run `make update-spec`)"
        )


def fetch(source: DocsSource, pins: list[Pin], cache: Path) -> int:
    """Return how many cached pages were (re)written."""
    manifest = cache / CACHE_PINS
    cached_under = {p.page: p.sha256 for p in read_lock(manifest)} if manifest.exists() else {}
    for pin in pins:  # the cache first: a tampered cached page is named as such
        cached = cache_file(cache, pin)
        if cached.exists() and cached_under.get(pin.page) == pin.sha256:
            check_pin(pin, cached.read_bytes(), f"cached page {cached}")
    written = 0
    for pin in pins:
        cached = cache_file(cache, pin)
        if source.is_remote and cached.exists() and sha256_bytes(cached.read_bytes()) == pin.sha256:
            continue
        data = source.read(pin.page)
        check_pin(pin, data, f"page {pin.page} from {source}")
        written += write_if_changed(cached, data)
    stale = {p for p in cache.rglob("*.md")} - {cache_file(cache, pin) for pin in pins} if cache.exists() else set()
    for path in stale:  # pages no longer pinned must not linger and be read by later steps
        path.unlink()
    write_if_changed(manifest, format_lock(pins).encode())
    return written


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--lock", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args(argv)
    pins = read_lock(args.lock)
    written = fetch(DocsSource(args.source), pins, args.cache)
    print(f"pages: {len(pins)} pinned pages verified, {written} written to {args.cache}")


if __name__ == "__main__":
    run_main(main)
