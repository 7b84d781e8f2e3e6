"""Does the docs source still match the pins? For a scheduled job; writes nothing.

usage: python -m scripts.check_spec --source DOCS_SOURCE --lock openapi/pages.lock

Reads llms.txt and every page it lists from the source, as `make update-spec` does, and
compares the operations and page hashes with the lock. Exit 0 when they agree; otherwise exit 1
and list the operations added, removed or changed (then: `make update-spec`, `make test`, and a
branch with the diff for review; see the README's release section).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scripts.common import run_main
from scripts.sources import DocsSource, read_lock
from scripts.update_spec import describe_changes, discover


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--lock", type=Path, required=True)
    args = parser.parse_args(argv)
    pinned = read_lock(args.lock)
    current = discover(DocsSource(args.source))
    changes = describe_changes(pinned, current)
    if not changes:
        print(f"check-spec: {args.source} matches {args.lock} ({len(pinned)} operations)")
        return 0
    print(f"check-spec: {args.source} differs from {args.lock} in {len(changes)} operation(s):")
    print("\n".join(changes))
    print("run `make update-spec`, then `make test`, and review the diff on a branch")
    return 1


if __name__ == "__main__":
    run_main(main)
