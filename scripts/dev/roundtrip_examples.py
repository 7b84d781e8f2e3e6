"""Dev check: every recorded response example must parse with the generated client and round-trip.

usage: python -m scripts.dev.roundtrip_examples [--spec build/spec/openapi.json] [--package generated] [-v]

For each `responses.<code>.content.application/json.examples.*.value` of the final spec, the
example is fed, as an httpx.Response, to the generated endpoint module's `_parse_response`
(so the check uses exactly the model the client would use), and the parsed value's
`to_dict()` must equal the example with the same JSON types (an int stays an int).
Two stricter findings are reported too: example fields no schema names (the generated
model keeps them untyped in `additional_properties`) and, with OAS 3.0 semantics
(`nullable`, integer vs number), examples that do not validate against their schema.
Prints one line per failure and the totals; exits 1 when any example fails to round-trip.
"""
from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from openapi_schema_validator import OAS30Validator

_METHOD_URL = re.compile(r'"method":\s*"(\w+)",\s*"url":\s*f?"([^"]+)"')


def same_json(left: Any, right: Any) -> bool:
    """Equality that also insists on the same JSON types (True != 1, 1 != 1.0)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same_json(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(same_json(a, b) for a, b in zip(left, right))
    return bool(left == right)


def first_difference(left: Any, right: Any, where: str = "$") -> str:
    if type(left) is not type(right):
        return f"{where}: {type(left).__name__} {left!r:.60} != {type(right).__name__} {right!r:.60}"
    if isinstance(left, dict):
        if left.keys() != right.keys():
            return f"{where}: keys differ: missing {sorted(right.keys() - left.keys())}, extra {sorted(left.keys() - right.keys())}"
        return next((first_difference(left[k], right[k], f"{where}.{k}") for k in left if not same_json(left[k], right[k])), "")
    if isinstance(left, list):
        if len(left) != len(right):
            return f"{where}: length {len(left)} != {len(right)}"
        return next((first_difference(a, b, f"{where}[{i}]") for i, (a, b) in enumerate(zip(left, right)) if not same_json(a, b)), "")
    return f"{where}: {left!r:.60} != {right!r:.60}"


def endpoint_modules(package_root: Path) -> dict[tuple[str, str], str]:
    """(method, path template) -> dotted module name, read from each module's `_get_kwargs`."""
    index = {}
    for file in sorted((package_root / "tmdb_generated" / "api").rglob("*.py")):
        match = _METHOD_URL.search(file.read_text(encoding="utf-8"))
        if match:
            dotted = ".".join(file.relative_to(package_root).with_suffix("").parts)
            index[(match.group(1), match.group(2))] = dotted
    return index


def to_plain(parsed: Any) -> Any:
    if isinstance(parsed, list):
        return [to_plain(item) for item in parsed]
    return parsed.to_dict() if hasattr(parsed, "to_dict") else parsed


def untyped_fields(parsed: Any, where: str = "$") -> list[str]:
    """Paths of example fields that landed in a model's `additional_properties`."""
    found: list[str] = []
    if isinstance(parsed, list):
        for index, item in enumerate(parsed):
            found += untyped_fields(item, f"{where}[{index}]")
    elif hasattr(parsed, "additional_properties") and hasattr(type(parsed), "__attrs_attrs__"):
        typed_map = not [a for a in type(parsed).__attrs_attrs__ if a.name != "additional_properties"]
        for key, value in parsed.additional_properties.items():
            if typed_map:  # a map component: its values are the typed part
                found += untyped_fields(value, f"{where}.{key}")
            else:
                found.append(f"{where}.{key}")
        for attribute in type(parsed).__attrs_attrs__:
            if attribute.name != "additional_properties":
                found += untyped_fields(getattr(parsed, attribute.name), f"{where}.{attribute.name}")
    return found


def schema_errors(spec: dict[str, Any], schema: dict[str, Any], value: Any) -> list[str]:
    validator = OAS30Validator({**schema, "components": spec.get("components", {})})
    return [f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message[:120]}" for e in validator.iter_errors(value)]


def check_example(module: Any, client: Any, code: str, value: Any) -> str:
    """Return "" when the example round-trips, else what went wrong."""
    status = 200 if code == "default" else int(code)
    response = httpx.Response(status, json=value)
    try:
        parsed = module._parse_response(client=client, response=response)
    except Exception as exc:  # noqa: BLE001 - any failure to parse is the finding
        return f"parse error {type(exc).__name__}: {exc}"
    if parsed is None:
        return "no model for this status"
    plain = to_plain(parsed)
    if not same_json(plain, value):
        return "round-trip differs: " + first_difference(plain, value)
    if untyped := untyped_fields(parsed):
        return "WARN untyped fields: " + ", ".join(sorted({re.sub(r"\[\d+\]", "[]", u) for u in untyped})[:8])
    return ""


def recorded_examples(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, str, dict[str, Any], Any]]:
    """(method, path, status, example name, media type object, example value) of every recorded response."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for code, response in operation.get("responses", {}).items():
                media = response.get("content", {}).get("application/json", {})
                for name, example in media.get("examples", {}).items():
                    yield method, path, code, name, media, example["value"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=Path("build/spec/openapi.json"))
    parser.add_argument("--package", type=Path, default=Path("generated"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.package.resolve()))
    client = importlib.import_module("tmdb_generated.client").Client(base_url="http://127.0.0.1", raise_on_unexpected_status=True)
    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    modules = endpoint_modules(args.package)
    total = failed = warned = 0
    for method, path, code, name, media, value in recorded_examples(spec):
        total += 1
        where = f"{method.upper()} {path} {code} {name!r}"
        dotted = modules.get((method, path))
        problem = check_example(importlib.import_module(dotted), client, code, value) if dotted else "no endpoint module"
        invalid = schema_errors(spec, media["schema"], value) if "schema" in media else ["no schema"]
        if invalid:
            warned += 1
            print(f"WARN {where}: schema: {'; '.join(invalid[:3])}")
        if problem.startswith("WARN"):
            warned += 1
            print(f"WARN {where}: {problem[5:]}")
        elif problem:
            failed += 1
            print(f"FAIL {where}: {problem}")
        elif args.verbose:
            print(f"ok   {where}")
    print(f"examples: {total}, round-tripped: {total - failed}, failed: {failed}, warnings: {warned}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
