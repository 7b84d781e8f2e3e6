"""Re-read llms.txt and every page it lists, rewrite the pins, report what changed.

usage: python -m scripts.update_spec --source DOCS_SOURCE --lock openapi/pages.lock

Pages without an OpenAPI fence (guides) are not pinned. The report names each operation
added, removed or changed (page bytes differ) since the previous lock.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from scripts.common import PipelineError, run_main, sha256_bytes, write_if_changed
from scripts.pages import find_fence
from scripts.sources import DocsSource, Pin, format_lock, page_paths_from_llms, read_lock


def discover(source: DocsSource) -> list[Pin]:
    index = source.read("/llms.txt").decode("utf-8")
    pins: dict[str, Pin] = {}
    for page in page_paths_from_llms(index):
        data = source.read(page)
        fence = find_fence(page, data.decode("utf-8"))
        if fence is None:
            continue
        pin = Pin(page=page, method=fence.method, path=fence.path, sha256=sha256_bytes(data))
        if pin.operation in pins:
            raise PipelineError(f"{page}: documents {pin.operation}, already documented by {pins[pin.operation].page}")
        pins[pin.operation] = pin
    if not pins:
        raise PipelineError(f"{source}/llms.txt lists no page with an OpenAPI fence")
    return list(pins.values())


def describe_changes(old: list[Pin], new: list[Pin]) -> list[str]:
    before = {p.operation: p for p in old}
    after = {p.operation: p for p in new}
    lines = [f"added    {op}  ({after[op].page})" for op in sorted(after.keys() - before.keys())]
    lines += [f"removed  {op}  ({before[op].page})" for op in sorted(before.keys() - after.keys())]
    lines += [
        f"changed  {op}  ({after[op].page})"
        for op in sorted(after.keys() & before.keys())
        if (after[op].sha256, after[op].page) != (before[op].sha256, before[op].page)
    ]
    return lines


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--lock", type=Path, required=True)
    args = parser.parse_args(argv)
    old = read_lock(args.lock) if args.lock.exists() else []
    new = discover(DocsSource(args.source))
    changes = describe_changes(old, new)
    write_if_changed(args.lock, format_lock(new).encode())
    print(f"pins: {len(new)} operations from {args.source}")
    print("\n".join(changes) if changes else "no operation added, removed or changed")


if __name__ == "__main__":
    run_main(main)
