"""Operations the overlays do not cover yet: named by rule, typed from their docs schema, and listed.

usage: python -m scripts.coverage --report build/spec/coverage.json [--strict]

An operation is covered when an overlay has named it (an `update` wrote its operationId) and
typed it (an `update` wrote the schema of each of its JSON success bodies, e.g. a reference to a
shared component). The overlay step
(scripts/apply_overlays.py) calls `apply_rules` on what the overlays leave, so a new operation
in the docs still comes out usable:
- named by rule: its tag is the one of the overlay-named operations whose path shares the
  longest prefix with its own (`/3/movie/{movie_id}/trailers` -> `movies`), else the path's
  first segment (`v4_` in front for v4); its action is its summary in snake_case
  (`Trailers` -> `trailers`), else the path's words; operationId `<tag>_<action>`. A name
  that is taken (by any operation) falls back to `<tag>_<path words>`, then
  `<tag>_<method>_<path words>`, for every operation that wanted it, so no order decides;
- typed from its docs schema: a success response the overlays left without a schema gets the
  docs page's schema back, which the generator turns into a model of its own.
The report lists every operation; this script prints the ones not covered, and with `--strict`
(release builds: `make publish`, or `make STRICT=1`) fails while there is any.
"""

from __future__ import annotations

import argparse
import copy
import re
from collections import Counter
from pathlib import Path
from typing import Any

from scripts.common import HTTP_METHODS, PipelineError, read_json, run_main, write_json
from scripts.overlay import Location

Document = dict[str, Any]
Key = tuple[str, str]  # (path, method)
V4_PREFIX = "v4_"


def operations(document: Document) -> list[tuple[str, str, Document]]:
    return [
        (path, method, op)
        for path, item in (document.get("paths") or {}).items()
        for method, op in (item or {}).items()
        if method in HTTP_METHODS and isinstance(op, dict)
    ]


def label(key: Key) -> str:
    return f"{key[1].upper()} {key[0]}"


def named_by_overlays(writes: list[Location]) -> set[Key]:
    """The operations whose operationId an overlay's `update` wrote."""
    return {
        (str(w[1]), str(w[2]))
        for w in writes
        if len(w) == 4 and w[0] == "paths" and w[2] in HTTP_METHODS and w[3] == "operationId"
    }


def typed_by_overlays(writes: list[Location]) -> set[tuple[str, ...]]:
    """(path, method, status, media type) of every success body schema an overlay's `update` wrote."""
    return {
        (str(w[1]), str(w[2]), str(w[4]), str(w[6]))
        for w in writes
        if len(w) == 8 and w[0] == "paths" and w[3] == "responses" and w[5] == "content" and w[7] == "schema"
    }


def snake(text: str) -> str:
    return "_".join(word.lower() for word in re.findall(r"[A-Za-z0-9]+", text))


def _segments(path: str) -> list[str]:
    """Path segments, every `{parameter}` alike: /3/movie/{movie_id} -> ['3', 'movie', '{}']."""
    return ["{}" if s.startswith("{") else s for s in path.strip("/").split("/")]


def _common(a: list[str], b: list[str]) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def rule_tag(path: str, named_tags: dict[str, list[str]]) -> tuple[str, int]:
    """(tag, length of the path prefix it shares with the operations of that tag)."""
    segments = _segments(path)
    best, tags = 1, Counter[str]()
    for other, other_tags in named_tags.items():
        shared = _common(segments, _segments(other))
        if shared < 2:  # the version alone says nothing
            continue
        if shared > best:
            best, tags = shared, Counter()
        if shared == best:
            tags.update(other_tags)
    if tags:
        return min(tags, key=lambda t: (-tags[t], t)), best
    words = [s for s in segments[1:] if s != "{}"]
    base = snake(words[0]) if words else "root"
    return (V4_PREFIX + base if segments[0] == "4" else base), 2


def _candidates(path: str, method: str, op: Document, tag: str, shared: int) -> list[str]:
    segments = _segments(path)
    rest = [s for s in segments[shared:] if s != "{}"]
    words = snake(" ".join(w for w in segments[1:] if w != "{}")) or "root"
    action = snake(str(op.get("summary") or "")) or snake(" ".join(rest)) or method
    return [f"{tag}_{action}", f"{tag}_{words}", f"{tag}_{method}_{words}"]


def name_by_rule(document: Document, named: set[Key]) -> dict[Key, str]:
    """Give every operation not in `named` a tag and operationId by rule (in place); return them."""
    ops = {(path, method): op for path, method, op in operations(document)}
    named_tags: dict[str, list[str]] = {}
    for key in sorted(named & ops.keys()):
        named_tags.setdefault(key[0], []).extend((ops[key].get("tags") or [])[:1])
    taken = Counter(str(ops[k].get("operationId")) for k in named & ops.keys())
    pending = sorted(ops.keys() - named)
    chosen: dict[Key, tuple[str, list[str]]] = {}
    for key in pending:
        tag, shared = rule_tag(key[0], named_tags)
        chosen[key] = (tag, _candidates(key[0], key[1], ops[key], tag, shared))
    level = dict.fromkeys(pending, 0)
    for _ in range(3):
        names = {key: chosen[key][1][level[key]] for key in pending}
        counts = Counter(names.values())
        clash = [k for k in pending if taken[names[k]] or counts[names[k]] > 1]
        if not clash:
            break
        for key in clash:
            level[key] += 1
            if level[key] == len(chosen[key][1]):
                raise PipelineError(
                    f"{label(key)}: no rule name is free ({', '.join(chosen[key][1])} are taken): "
                    "name it in an overlay (overlays/030-names.yaml)"
                )
    names = {key: chosen[key][1][level[key]] for key in pending}
    for key, name in names.items():
        ops[key]["tags"] = [chosen[key][0]]
        ops[key]["operationId"] = name
    return names


def _json_bodies(op: Document) -> list[tuple[str, str, Document]]:
    """(status, media type, body) of each JSON success response."""
    return [
        (str(status), media, body)
        for status, response in (op.get("responses") or {}).items()
        if str(status).startswith("2") and isinstance(response, dict)
        for media, body in (response.get("content") or {}).items()
        if "json" in media and isinstance(body, dict)
    ]


def keep_docs_schemas(document: Document, docs: Document) -> set[Key]:
    """Give each success body the overlays left without a schema the docs' one back (in place)."""
    restored: set[Key] = set()
    docs_paths = docs.get("paths") or {}
    for path, method, op in operations(document):
        docs_op = (docs_paths.get(path) or {}).get(method) or {}
        docs_bodies = {(s, m): b for s, m, b in _json_bodies(docs_op)}
        for status, media, body in _json_bodies(op):
            schema = docs_bodies.get((status, media), {}).get("schema")
            if "schema" not in body and schema is not None:
                body["schema"] = copy.deepcopy(schema)
                restored.add((path, method))
    return restored


def typing_of(key: Key, op: Document, typed: set[tuple[str, ...]]) -> str:
    """`overlay` (an overlay wrote every success body's schema), `docs` (a docs schema is left) or `none`."""
    bodies = [(status, media) for status, media, body in _json_bodies(op) if body.get("schema") is not None]
    if not bodies:
        return "none"
    return "overlay" if all((*key, status, media) in typed for status, media in bodies) else "docs"


def apply_rules(document: Document, docs: Document, writes: list[Location]) -> tuple[Document, list[Document]]:
    """Name and type what the overlays left uncovered; return the new document and its report."""
    result = copy.deepcopy(document)
    named, typed_by = named_by_overlays(writes), typed_by_overlays(writes)
    by_rule = name_by_rule(result, named)
    restored = keep_docs_schemas(result, docs)
    report = []
    for path, method, op in sorted(operations(result), key=lambda t: (t[0], HTTP_METHODS.index(t[1]))):
        key = (path, method)
        typed = typing_of(key, op, typed_by)
        report.append({
            "operation": label(key),
            "operationId": op.get("operationId"),
            "named": "rule" if key in by_rule else "overlay",
            "typed": typed,
            "docs_schema_kept": key in restored,
        })  # fmt: skip
    return result, report


def uncovered(report: list[Document]) -> list[Document]:
    return [entry for entry in report if entry["named"] != "overlay" or entry["typed"] != "overlay"]


def describe(entry: Document) -> str:
    why = []
    if entry["named"] != "overlay":
        why.append("named by rule (no overlay names it)")
    if entry["typed"] == "docs":
        why.append("typed from its docs schema (no overlay gives it a shared component)")
    elif entry["typed"] == "none":
        why.append("untyped: no success response body (no overlay types it)")
    return f"  {entry['operation']}  {entry['operationId']}: {', '.join(why)}"


def format_report(report: list[Document]) -> str:
    missing = uncovered(report)
    if not missing:
        return f"coverage: all {len(report)} operations are named and typed by the overlays"
    lines = [f"coverage: {len(missing)} of {len(report)} operations not covered by the overlays yet:"]
    return "\n".join(lines + [describe(entry) for entry in missing])


def write_report(path: Path, report: list[Document]) -> None:
    write_json(path, report)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, required=True, help="build/spec/coverage.json (the overlay step)")
    parser.add_argument("--strict", action="store_true", help="fail while an operation is not covered")
    args = parser.parse_args(argv)
    report = read_json(args.report)
    print(format_report(report))
    missing = uncovered(report)
    if args.strict and missing:
        raise PipelineError(
            f"strict mode: {len(missing)} operation(s) not covered by the overlays; name each in "
            "overlays/030-names.yaml and give it a shared component (overlays/05x, 060), or build "
            "without STRICT (a release build, `make publish`, is strict unless STRICT=0)"
        )


if __name__ == "__main__":
    run_main(main)
