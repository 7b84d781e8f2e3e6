"""Step 2: extract each cached page's single-operation OpenAPI document.

usage: python -m scripts.extract --lock openapi/pages.lock --cache build/pages --out build/spec/extracted.json

Output: a JSON list of {"page", "operation", "document"} in lock order. Only API pages
are pinned, so a pinned page without a fence, broken YAML, or a fence that names another
operation than the pin or its document is an error naming the page (and line).
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scripts.common import PipelineError, run_main, write_json
from scripts.fetch_pages import cache_file
from scripts.pages import find_fence, parse_fence
from scripts.sources import Pin, read_lock


def extract_page(page: str, text: str) -> dict[str, Any] | None:
    fence = find_fence(page, text)
    if fence is None:
        return None
    return {"page": page, "operation": fence.operation, "document": parse_fence(page, fence)}


def extract(pins: list[Pin], cache: Path) -> list[dict[str, Any]]:
    extracted = []
    for pin in pins:
        text = cache_file(cache, pin).read_text(encoding="utf-8")
        item = extract_page(pin.page, text)
        if item is None:  # a pinned page documents an operation: losing its fence must not drop it
            raise PipelineError(f"{pin.page}: pinned as {pin.operation} but the page has no OpenAPI fence")
        if item["operation"] != pin.operation:
            raise PipelineError(f"{pin.page}: pinned as {pin.operation} but its fence says {item['operation']}")
        extracted.append(item)
    return extracted


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    extracted = extract(read_lock(args.lock), args.cache)
    write_json(args.out, extracted)
    print(f"extract: {len(extracted)} operation documents -> {args.out}")


if __name__ == "__main__":
    run_main(main)
