"""Step 3: merge the per-page documents into one OpenAPI 3.0.3 document.

usage: python -m scripts.merge --in build/spec/extracted.json --out build/spec/merged.json

Pages are grouped by API version (/3/..., /4/...), merged within a version, then the two
versions are combined. Nothing is dropped silently: a conflict is an error naming both
pages. The rules (each a pure function below):
- path-level `parameters` move into each operation of the path (pages of one path may
  disagree on them, and an operation's own parameter of the same name wins, as in OpenAPI);
- info, servers, tags, security and any other top-level field must agree within a version;
- one METHOD PATH twice must be the same operation; one component name, the same schema;
- v4 tags are prefixed `V4 ` (v3 and v4 both have `ACCOUNT`);
- the docs' operationIds are kept as the pages give them, repeated ones included (they are
  Postman item names: `details` twenty times). The merge invents no name: the overlays name
  the operations, and the overlay step names any they leave by rule (scripts/coverage.py).
"""
from __future__ import annotations

import argparse
import copy
from pathlib import Path
from typing import Any

from scripts.common import HTTP_METHODS, PipelineError, read_json, run_main, write_json

Document = dict[str, Any]
VERSION_PREFIXES = {"v3": "/3/", "v4": "/4/"}
V4_TAG_PREFIX = "V4 "
_MERGED_KEYS = {"paths", "components"}


def api_version(page: str, path: str) -> str:
    for version, prefix in VERSION_PREFIXES.items():
        if path.startswith(prefix):
            return version
    raise PipelineError(f"{page}: path {path} is neither /3/ nor /4/")


def operations(document: Document) -> list[tuple[str, str, Document]]:
    return [
        (path, method, op)
        for path, item in document.get("paths", {}).items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]


def push_down_path_parameters(document: Document) -> Document:
    """Move path-level parameters into each operation; an operation's own ones win."""
    doc = copy.deepcopy(document)
    for item in doc.get("paths", {}).values():
        shared = item.pop("parameters", None) or []
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            own = op.get("parameters") or []
            keys = {(p.get("name"), p.get("in")) for p in own}
            extra = [p for p in shared if (p.get("name"), p.get("in")) not in keys]
            if extra or own:
                op["parameters"] = extra + own
    return doc


def merge_version(pages: list[tuple[str, Document]]) -> Document:
    """Merge the documents of one API version; `pages` holds (page, document) pairs."""
    merged: Document = {}
    first_page: dict[str, str] = {}
    op_page: dict[tuple[str, str], str] = {}
    component_page: dict[tuple[str, str], str] = {}
    for page, raw in pages:
        doc = push_down_path_parameters(raw)
        for key, value in doc.items():
            if key in _MERGED_KEYS:
                continue
            if key not in merged:
                merged[key], first_page[key] = copy.deepcopy(value), page
            elif merged[key] != value:
                raise PipelineError(f"{page}: top-level `{key}` differs from the one in {first_page[key]}")
        paths = merged.setdefault("paths", {})
        for path, method, op in operations(doc):
            item = paths.setdefault(path, {})
            if method in item and item[method] != op:
                raise PipelineError(
                    f"{page}: {method.upper()} {path} differs from the same operation in {op_page[(path, method)]}"
                )
            item[method] = op
            op_page.setdefault((path, method), page)
        for section, entries in (doc.get("components") or {}).items():
            target = merged.setdefault("components", {}).setdefault(section, {})
            for name, value in entries.items():
                if name in target and target[name] != value:
                    where = component_page[(section, name)]
                    raise PipelineError(f"{page}: component {section}/{name} differs from the one in {where}")
                target[name] = value
                component_page.setdefault((section, name), page)
    return merged


def prefix_tags(document: Document, prefix: str) -> Document:
    doc = copy.deepcopy(document)
    for tag in doc.get("tags", []):
        tag["name"] = prefix + tag["name"]
    for _, _, op in operations(doc):
        if "tags" in op:
            op["tags"] = [prefix + t for t in op["tags"]]
    return doc


def combine(versions: dict[str, Document]) -> Document:
    """Combine the per-version documents into one with one server."""
    v3, v4 = versions.get("v3", {}), prefix_tags(versions.get("v4", {}), V4_TAG_PREFIX)
    present = [d for d in (v3, v4) if d]
    servers = [d.get("servers") for d in present]
    if any(s != servers[0] for s in servers):
        raise PipelineError(f"v3 and v4 pages name different servers: {servers}")
    combined: Document = {
        "openapi": "3.0.3",
        "info": {
            "title": "The Movie Database API (v3 and v4)",
            "version": present[0]["info"]["version"],
            "description": "Merged from the per-operation documents of the TMDB docs.",
            "x-source-info": {name: d["info"] for name, d in (("v3", v3), ("v4", v4)) if d},
        },
        "servers": (servers[0] or [])[:1],
        "tags": [t for d in present for t in d.get("tags", [])],
        "paths": {},
    }
    securities = [d.get("security") for d in present]
    if all(s == securities[0] for s in securities):
        if securities[0] is not None:
            combined["security"] = securities[0]
    else:  # keep each version's default by writing it onto its operations
        for d in present:
            for _, _, op in operations(d):
                if "security" not in op and d.get("security") is not None:
                    op["security"] = d["security"]
    for name, d in (("v3", v3), ("v4", v4)):
        extra = set(d) - {"openapi", "info", "servers", "tags", "paths", "components", "security"}
        if extra:
            raise PipelineError(f"{name} pages carry top-level fields the merge does not know: {sorted(extra)}")
        combined["paths"].update(d.get("paths", {}))
        for section, entries in (d.get("components") or {}).items():
            target = combined.setdefault("components", {}).setdefault(section, {})
            for key, value in entries.items():
                if key in target and target[key] != value:
                    raise PipelineError(f"component {section}/{key} differs between v3 and v4 pages")
                target[key] = value
    return combined


def merge(extracted: list[dict[str, Any]]) -> Document:
    by_version: dict[str, list[tuple[str, Document]]] = {}
    for item in extracted:
        path = item["operation"].split(" ", 1)[1]
        by_version.setdefault(api_version(item["page"], path), []).append((item["page"], item["document"]))
    if not by_version:
        raise PipelineError("no operation documents to merge")
    return combine({version: merge_version(pages) for version, pages in by_version.items()})


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in", dest="source", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    merged = merge(read_json(args.source))
    write_json(args.out, merged)
    print(f"merge: {len(operations(merged))} operations, {len(merged.get('tags', []))} tags -> {args.out}")


if __name__ == "__main__":
    run_main(main)
