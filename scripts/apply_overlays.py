"""Step 4: apply every overlay in `overlays/`, in file-name order.

usage: python -m scripts.apply_overlays --in build/spec/merged.json --overlays overlays --out build/spec/overlaid.json
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from scripts.common import PipelineError, load_yaml, read_json, run_main, write_json
from scripts.overlay import apply_overlay


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
    args = parser.parse_args(argv)
    document = read_json(args.source)
    for path in overlay_files(args.overlays):
        overlay = read_overlay(path)
        document, touched = apply_overlay(document, overlay, str(path))
        print(f"overlay: {path.name}: {len(overlay['actions'])} actions, {touched} nodes")
    write_json(args.out, document)


if __name__ == "__main__":
    run_main(main)
