"""Step 4: apply every overlay in `overlays/`, in file-name order, then the rules for what they leave.

usage: python -m scripts.apply_overlays --in build/spec/merged.json --overlays overlays --out build/spec/overlaid.json
           [--report build/spec/coverage.json]

An operation no overlay has named gets a name by rule, and one the overlays left without a
success schema keeps its docs schema (scripts/coverage.py); `--report` records, for every
operation, whether the overlays named and typed it, and the step prints those they did not.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from scripts.common import PipelineError, load_yaml, read_json, run_main, write_json
from scripts.coverage import apply_rules, uncovered, write_report
from scripts.overlay import Location, apply_overlay


def overlay_files(folder: Path) -> list[Path]:
    if not folder.is_dir():  # git keeps no empty folder: a fresh clone without overlays has none
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"})


def read_overlay(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PipelineError(f"{path}: YAML does not parse: {exc}") from exc


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in", dest="source", type=Path, required=True)
    parser.add_argument("--overlays", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--report", type=Path, help="where to write the coverage report (JSON)")
    args = parser.parse_args(argv)
    docs = document = read_json(args.source)
    writes: list[Location] = []
    for path in overlay_files(args.overlays):
        overlay = read_overlay(path)
        document, touched = apply_overlay(document, overlay, str(path), writes)
        print(f"overlay: {path.name}: {len(overlay['actions'])} actions, {touched} nodes")
    document, report = apply_rules(document, docs, writes)
    if args.report is not None:
        write_report(args.report, report)
    missing = uncovered(report)
    print(f"rules: {len(missing)} of {len(report)} operations not named and typed by the overlays (see coverage)")
    write_json(args.out, document)


if __name__ == "__main__":
    run_main(main)
