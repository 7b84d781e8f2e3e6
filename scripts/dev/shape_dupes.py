"""Dev measure: count the generated model classes and report groups of identical shape.

usage: python -m scripts.dev.shape_dupes [--package generated] [--top 20]

A class's shape is its sorted (field name, annotation) pairs, read with `ast` from
`tmdb_generated/models/*.py`, where every model class named in an annotation is replaced by
that class's own shape, so `MovieA.genres: list[GenreA]` and `MovieB.genres: list[GenreB]`
match when GenreA and GenreB do. Two classes with the same shape are one group; the
`additional_properties` catch-all is left out (every class has it).
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def class_fields(models: Path) -> dict[str, list[tuple[str, str]]]:
    """Class name -> its annotated fields, for every class in the models folder (enums have none)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for file in sorted(models.glob("*.py")):
        for node in ast.parse(file.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                found[node.name] = [
                    (stmt.target.id, ast.unparse(stmt.annotation))
                    for stmt in node.body
                    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                    and stmt.target.id != "additional_properties"
                ]
    return found


def shapes(fields: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """Class name -> canonical shape text (model names inside annotations expanded recursively)."""
    memo: dict[str, str] = {}

    def shape(name: str, seen: frozenset[str]) -> str:
        if name in memo:
            return memo[name]
        if name in seen:
            return "<cycle>"

        def expand(annotation: str) -> str:
            return _NAME.sub(lambda m: shape(m.group(0), seen | {name}) if m.group(0) in fields else m.group(0), annotation)

        text = "{" + ",".join(f"{field}:{expand(ann)}" for field, ann in sorted(fields[name])) + "}"
        memo[name] = text
        return text

    return {name: shape(name, frozenset()) for name in fields}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, default=Path("generated"))
    parser.add_argument("--top", type=int, default=20, help="how many groups to list")
    args = parser.parse_args(argv)
    fields = class_fields(args.package / "tmdb_generated" / "models")
    groups: dict[str, list[str]] = defaultdict(list)
    for name, text in shapes(fields).items():
        if fields[name]:
            groups[text].append(name)
    dupes = sorted((sorted(names) for names in groups.values() if len(names) > 1), key=len, reverse=True)
    print(f"model classes: {len(fields)}")
    print(f"duplicate-shape groups: {len(dupes)} ({sum(len(g) for g in dupes)} classes)")
    for group in dupes[: args.top]:
        print(f"  {len(group)}: {', '.join(group[:6])}{' ...' if len(group) > 6 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
