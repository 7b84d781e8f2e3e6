"""Step 5: validate the overlaid document as OpenAPI 3.0 and write the final spec.

usage: python -m scripts.validate --in build/spec/overlaid.json --out build/spec/openapi.json
           [--merged build/spec/merged.json --overlays overlays]

Given the document before the overlays and their folder, an invalid result names the
overlay that made it invalid: the one whose application turns a valid document invalid,
found by bisecting on how many overlays are applied (only on failure, so it costs nothing
on a good build).
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator

from scripts.apply_overlays import overlay_files, read_overlay
from scripts.common import PipelineError, read_json, run_main, write_json
from scripts.coverage import apply_rules
from scripts.overlay import Location, apply_overlay


def validation_errors(document: dict[str, Any], limit: int = 10) -> list[str]:
    errors = []
    for error in OpenAPIV30SpecValidator(document).iter_errors():
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        errors.append(f"{where}: {error.message[:300]}")
        if len(errors) >= limit:
            break
    return errors


def blame_overlay(merged: dict[str, Any], overlays: list[Path]) -> str:
    """Say which overlay made the document invalid, or that it was invalid before them."""

    def valid_after(count: int) -> bool:
        """Is the overlay step's output valid with only the first `count` overlays (then the rules)?"""
        document, writes = merged, list[Location]()
        for path in overlays[:count]:
            document, _ = apply_overlay(document, read_overlay(path), str(path), writes)
        try:
            document, _ = apply_rules(document, merged, writes)
        except PipelineError:
            return False
        return not validation_errors(document, limit=1)

    if not valid_after(0):
        return "already invalid before the overlays"
    low, high = 0, len(overlays)  # valid after `low` overlays, invalid after `high`
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if valid_after(middle) else (low, middle)
    return f"made invalid by {overlays[high - 1]}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in", dest="source", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--merged", type=Path, help="the document before the overlays, to name the culprit")
    parser.add_argument("--overlays", type=Path, help="the overlays folder applied to --merged")
    args = parser.parse_args(argv)
    document = read_json(args.source)
    errors = validation_errors(document)
    if errors:
        culprit = ""
        if args.merged and args.overlays:
            culprit = f" ({blame_overlay(read_json(args.merged), overlay_files(args.overlays))})"
        raise PipelineError(f"{args.source}: not a valid OpenAPI 3.0 document{culprit}:\n  " + "\n  ".join(errors))
    write_json(args.out, document)
    print(f"validate: {args.out} is valid OpenAPI {document.get('openapi')}")


if __name__ == "__main__":
    run_main(main)
