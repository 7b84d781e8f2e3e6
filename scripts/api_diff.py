"""Compare two API surfaces and classify the change as a semantic-version bump.

usage: python -m scripts.api_diff --old openapi/api-surface.json --new build/spec/openapi.json

Either side may be a final spec or a surface file (see scripts/api_surface.py). Each
change is one `Change` with a kind; the kind decides its weight:

- breaking (major): operation removed or its operationId renamed (the generated function
  moves); parameter or request-body field removed, added as required, made required, or
  its type changed; request body removed, added as required or made required; response
  (status) or response field removed, its type changed, or a field no longer required;
  an enum value removed from what a caller sends (parameter, request-body field), or added
  to what a caller reads (response field: code handling every value no longer does).
- addition (minor): operation added; optional parameter, request body or request-body field
  added, or made optional; response (status) or response field added; an enum value added to
  what a caller sends, or removed from what it reads. An enum given to or taken from a type
  that had none is a type change.
- anything else (patch): the spec bytes changed (descriptions, examples, overlays that
  change no type) while the surface stayed the same.

Both layers of the surface are compared (when both sides have a docs layer): the client's
(the final spec) and the docs' (the spec before the overlays). A docs change is reported
as `docs: ...` and weighed by the same rules, since the API's documented contract moved even
where a hand-written component hides it from the client (a documented response field
removed is breaking, one added an addition). A docs change the client layer shows the same
way on the same operation is reported once, as the client's.

Exits 0 whatever it finds: the report and the proposed bump are the output.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from scripts.api_surface import ENUM, REQUIRED, client_layer, docs_layer, load_surface
from scripts.common import run_main

Bump = Literal["major", "minor", "patch", "none"]
Weight = Literal["breaking", "addition"]
DOCS = "docs: "
ENUM_MARK = f" {ENUM}["
_ORDER: dict[str, int] = {"none": 0, "patch": 1, "minor": 2, "major": 3}


@dataclass(frozen=True)
class Change:
    weight: Weight
    operation: str
    text: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.text}"


def split_required(value: str) -> tuple[str, bool]:
    return (value[: -len(REQUIRED)], True) if value.endswith(REQUIRED) else (value, False)


def split_enums(kind: str) -> tuple[str, list[frozenset[str]]]:
    """`string enum["a","b"]` -> (`string`, [{'"a"', '"b"'}]): the type without its enums, and each
    enum's values (as JSON), in the order they appear (an array of enums has its items' one)."""
    decoder = json.JSONDecoder()
    base, enums, at = "", [], 0
    while (start := kind.find(ENUM_MARK, at)) != -1:
        values, end = decoder.raw_decode(kind, start + len(ENUM_MARK) - 1)
        base += kind[at:start]
        enums.append(frozenset(json.dumps(value, sort_keys=True, separators=(",", ":")) for value in values))
        at = end
    return base + kind[at:], enums


def compare_kinds(operation: str, what: str, old_kind: str, new_kind: str, sent: bool) -> list[Change]:
    """A type change (breaking), or the enum values added and removed. A value the caller sends
    (`sent`) may go only where one was allowed before; a value the caller reads may only narrow."""
    (old_base, old_enums), (new_base, new_enums) = split_enums(old_kind), split_enums(new_kind)
    if old_base != new_base or len(old_enums) != len(new_enums):
        return [Change("breaking", operation, f"{what} type changed: {old_kind} -> {new_kind}")]
    changes: list[Change] = []
    for old_values, new_values in zip(old_enums, new_enums):
        for value in sorted(old_values - new_values):
            weight: Weight = "breaking" if sent else "addition"
            changes.append(Change(weight, operation, f"{what} enum value {value} removed"))
        for value in sorted(new_values - old_values):
            weight = "addition" if sent else "breaking"
            changes.append(Change(weight, operation, f"{what} enum value {value} added"))
    return changes


def compare_inputs(operation: str, what: str, old: dict[str, str], new: dict[str, str]) -> list[Change]:
    """Parameters and request-body fields: what a caller sends."""
    changes: list[Change] = []
    for name in sorted(old.keys() - new.keys()):
        changes.append(Change("breaking", operation, f"{what} `{name}` removed"))
    for name in sorted(new.keys() - old.keys()):
        kind, required = split_required(new[name])
        if required:
            changes.append(Change("breaking", operation, f"required {what} `{name}` ({kind}) added"))
        else:
            changes.append(Change("addition", operation, f"optional {what} `{name}` ({kind}) added"))
    for name in sorted(old.keys() & new.keys()):
        (old_kind, old_required), (new_kind, new_required) = split_required(old[name]), split_required(new[name])
        changes += compare_kinds(operation, f"{what} `{name}`", old_kind, new_kind, sent=True)
        if new_required and not old_required:
            changes.append(Change("breaking", operation, f"{what} `{name}` made required"))
        elif old_required and not new_required:
            changes.append(Change("addition", operation, f"{what} `{name}` made optional"))
    return changes


def compare_outputs(operation: str, status: str, old: dict[str, str], new: dict[str, str]) -> list[Change]:
    """Response fields: what a caller reads."""
    what = f"response {status} field"
    changes = [Change("breaking", operation, f"{what} `{name}` removed") for name in sorted(old.keys() - new.keys())]
    changes += [
        Change("addition", operation, f"{what} `{name}` ({split_required(new[name])[0]}) added")
        for name in sorted(new.keys() - old.keys())
    ]
    for name in sorted(old.keys() & new.keys()):
        (old_kind, old_required), (new_kind, new_required) = split_required(old[name]), split_required(new[name])
        changes += compare_kinds(operation, f"{what} `{name}`", old_kind, new_kind, sent=False)
        if old_required and not new_required:
            changes.append(Change("breaking", operation, f"{what} `{name}` no longer required"))
    return changes


def compare_operation(key: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    if old.get("operationId") != new.get("operationId"):
        changes.append(
            Change("breaking", key, f"operationId renamed: {old.get('operationId')} -> {new.get('operationId')}")
        )
    changes += compare_inputs(key, "parameter", old.get("parameters", {}), new.get("parameters", {}))
    old_body, new_body = old.get("requestBody"), new.get("requestBody")
    if old_body is None and new_body is not None:
        weight: Weight = "breaking" if new_body.get("required") else "addition"
        changes.append(
            Change(weight, key, f"{'required' if new_body.get('required') else 'optional'} request body added")
        )
    elif old_body is not None and new_body is None:
        changes.append(Change("breaking", key, "request body removed"))
    elif old_body is not None and new_body is not None:
        if new_body.get("required") and not old_body.get("required"):
            changes.append(Change("breaking", key, "request body made required"))
        elif old_body.get("required") and not new_body.get("required"):
            changes.append(Change("addition", key, "request body made optional"))
        changes += compare_inputs(key, "request body field", old_body.get("fields", {}), new_body.get("fields", {}))
    old_responses, new_responses = old.get("responses", {}), new.get("responses", {})
    for status in sorted(old_responses.keys() - new_responses.keys()):
        changes.append(Change("breaking", key, f"response {status} removed"))
    for status in sorted(new_responses.keys() - old_responses.keys()):
        changes.append(Change("addition", key, f"response {status} added"))
    for status in sorted(old_responses.keys() & new_responses.keys()):
        changes += compare_outputs(key, status, old_responses[status], new_responses[status])
    return changes


def compare_layers(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """One layer (client or docs) of two surfaces: {operation key: operation surface} each."""
    changes = [Change("breaking", key, "operation removed") for key in sorted(before.keys() - after.keys())]
    for key in sorted(after.keys() - before.keys()):
        named = f" ({after[key]['operationId']})" if "operationId" in after[key] else ""
        changes.append(Change("addition", key, f"operation added{named}"))
    for key in sorted(before.keys() & after.keys()):
        changes += compare_operation(key, before[key], after[key])
    return changes


def client_keys(docs_key: str) -> set[str]:
    """Where a docs operation may sit in the client layer: its own key, or the key with the
    empty path segments (`//`) that the path overlay (015-paths) closes."""
    return {docs_key, re.sub("/{2,}", "/", docs_key)}


def shown_by_client(change: Change, client: list[Change]) -> bool:
    """Whether the client layer reports `change` (a docs-layer change) the same way."""
    return any(
        other.operation in client_keys(change.operation)
        and (other.text == change.text or other.text.startswith(f"{change.text} ("))
        for other in client
    )


def compare_surfaces(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The client layer's changes, then the docs layer's ones it does not already show."""
    changes = compare_layers(client_layer(old), client_layer(new))
    old_docs, new_docs = docs_layer(old), docs_layer(new)
    if old_docs is not None and new_docs is not None:
        docs = [c for c in compare_layers(old_docs, new_docs) if not shown_by_client(c, changes)]
        changes += [Change(c.weight, c.operation, DOCS + c.text) for c in docs]
    return changes


def layers_note(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """Say so when only one side has a docs layer: docs changes then go unseen."""
    if ("docs" in old) == ("docs" in new):
        return None
    missing = "old" if "docs" not in old else "new"
    return f"  note      the {missing} side has no docs layer (no merged.json beside its spec): docs not compared"


def classify(changes: list[Change], spec_changed: bool) -> Bump:
    if any(c.weight == "breaking" for c in changes):
        return "major"
    if changes:
        return "minor"
    return "patch" if spec_changed else "none"


def bumped(version: str, bump: Bump) -> str:
    """Strict semver, also below 1.0: a breaking change always moves the first number."""
    major, minor, patch = (int(part) for part in version.split("."))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def format_report(changes: list[Change], bump: Bump) -> str:
    breaking = [c for c in changes if c.weight == "breaking"]
    additions = [c for c in changes if c.weight == "addition"]
    verdict = "no change" if bump == "none" else f"{bump} bump"
    lines = [f"api-diff: {len(breaking)} breaking, {len(additions)} additions -> {verdict}"]
    lines += [f"  breaking  {c}" for c in breaking]
    lines += [f"  added     {c}" for c in additions]
    if bump == "patch" and not changes:
        lines.append(
            "  other     the spec's bytes changed (descriptions, examples), no operation, parameter or type did"
        )
    return "\n".join(lines)


def diff_files(old: Path, new: Path) -> tuple[list[Change], Bump, str | None]:
    old_surface, new_surface = load_surface(old), load_surface(new)
    changes = compare_surfaces(old_surface, new_surface)
    spec_changed = old_surface.get("spec_sha256") != new_surface.get("spec_sha256")
    return changes, classify(changes, spec_changed), layers_note(old_surface, new_surface)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="final spec or api-surface.json")
    parser.add_argument("--new", type=Path, required=True, help="final spec or api-surface.json")
    args = parser.parse_args(argv)
    changes, bump, note = diff_files(args.old, args.new)
    print(format_report(changes, bump))
    if note:
        print(note)


if __name__ == "__main__":
    run_main(main)
