"""The data of the testing kit's TMDB stand-in (tmdb_sdk.testing), from the final spec.

scripts/generate.py calls `write(package, spec, spec_sha256)` while it builds the package, so the
file ships in the wheel as `tmdb_generated/_stand_in.json.gz`. Alone (to inspect the output):
    python -m scripts.stand_in_data --spec build/spec/openapi.json --out /tmp/_stand_in.json.gz

Writes, gzipped and byte-stable (sorted keys, no timestamp), what the stand-in needs to answer
any operation and to check the requests it gets, and nothing else:
- per operation: operationId, method, path template, security, parameters (name, in, required,
  schema) and request body schema; its recorded JSON response examples by status; the success
  response schema only when the docs recorded no success example (the stand-in derives a body);
- the component schemas those refer to; the recorded error bodies of components.responses.
Schemas lose their descriptions and examples. The stand-in's validator knows a fixed set of
JSON-schema keywords: a parameter or body schema using another one fails this step, so a request
check is never silently skipped.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path
from typing import Any

from scripts.common import PipelineError, read_json, run_main, sha256_bytes, write_if_changed

METHODS = ("get", "put", "post", "delete", "patch")
JSON_MEDIA = re.compile(r"^application/(.+\+)?json$")
# Keywords tmdb_sdk/testing/validation.py checks, and those that carry no constraint.
CHECKED = frozenset({
    "type", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "pattern",
    "minLength", "maxLength", "properties", "required", "items", "minItems", "maxItems", "nullable",
    "additionalProperties", "allOf", "anyOf", "oneOf", "$ref", "format",
})
DROPPED = frozenset({"description", "example", "examples", "title", "default", "deprecated", "readOnly", "writeOnly",
                     "externalDocs", "xml", "discriminator"})
FORMAT_VERSION = 1


def _strip(schema: Any, where: str, strict: bool) -> Any:
    """The schema without documentation keywords; with `strict`, an unknown keyword is an error."""
    if isinstance(schema, list):
        return [_strip(item, where, strict) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in DROPPED or key.startswith("x-"):
            continue
        if strict and key not in CHECKED:
            raise PipelineError(f"{where}: schema keyword {key!r} is not checked by the testing kit's validator")
        if key == "properties":
            out[key] = {name: _strip(sub, f"{where}.{name}", strict) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "allOf", "anyOf", "oneOf", "not"):
            out[key] = _strip(value, where, strict)
        else:
            out[key] = value
    return out


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for item in node:
            _refs(item, found)


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _json_media(response: dict[str, Any]) -> dict[str, Any] | None:
    for media_type, media in (response.get("content") or {}).items():
        if JSON_MEDIA.match(media_type):
            return media  # type: ignore[no-any-return]
    return None


def _examples(media: dict[str, Any]) -> list[dict[str, Any]]:
    found = [{"name": name, "body": ex["value"]} for name, ex in (media.get("examples") or {}).items() if "value" in ex]
    if "example" in media:
        found.append({"name": "example", "body": media["example"]})
    return found


def operation_entry(spec: dict[str, Any], method: str, path: str, op: dict[str, Any], shared: list[Any]) -> dict[str, Any]:
    label = f"{method.upper()} {path}"
    parameters = []
    for raw in [*shared, *(op.get("parameters") or [])]:
        parameter = _resolve(spec, raw)
        if parameter.get("in") not in ("path", "query"):
            continue
        parameters.append({
            "name": parameter["name"],
            "in": parameter["in"],
            "required": bool(parameter.get("required") or parameter["in"] == "path"),
            "schema": _strip(parameter.get("schema") or {}, f"{label} parameter {parameter['name']}", strict=True),
        })
    body = None
    if op.get("requestBody"):
        request_body = _resolve(spec, op["requestBody"])
        media = _json_media(request_body)
        if media is not None:
            body = {"required": bool(request_body.get("required")),
                    "schema": _strip(media.get("schema") or {}, f"{label} request body", strict=True)}
    responses: dict[str, list[dict[str, Any]]] = {}
    success_schema = None
    for status, raw_response in sorted((op.get("responses") or {}).items()):
        if not status.startswith("2"):
            continue  # errors come from components.responses, as TMDB's bodies are the same everywhere
        response = _resolve(spec, raw_response)
        media = _json_media(response)
        if media is None:
            responses.setdefault(status, [])
            continue
        responses[status] = _examples(media)
        if not responses[status] and success_schema is None:
            success_schema = _strip(media.get("schema") or {}, f"{label} response {status}", strict=False)
    entry: dict[str, Any] = {
        "operation_id": op["operationId"],
        "method": method.upper(),
        "path": path,
        "security": [sorted(requirement) for requirement in op.get("security", spec.get("security") or [])],
        "parameters": parameters,
        "body": body,
        "responses": responses,
    }
    if success_schema is not None:
        entry["success_schema"] = success_schema
    return entry


def build(spec: dict[str, Any], spec_sha256: str) -> dict[str, Any]:
    operations = []
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters") or []
        for method in METHODS:
            if method in item:
                if not item[method].get("operationId"):
                    raise PipelineError(f"{method.upper()} {path}: no operationId in the final spec")
                operations.append(operation_entry(spec, method, path, item[method], shared))
    components = spec.get("components") or {}
    schemas = components.get("schemas") or {}
    wanted: set[str] = set()
    _refs(operations, wanted)
    done: set[str] = set()
    while wanted - done:
        name = min(wanted - done)
        done.add(name)
        if name not in schemas:
            raise PipelineError(f"#/components/schemas/{name}: referenced but not defined")
        _refs(schemas[name], wanted)
    errors = {}
    for name, response in (components.get("responses") or {}).items():
        media = _json_media(_resolve(spec, response))
        examples = _examples(media) if media is not None else []
        if examples:
            errors[name] = examples[0]["body"]
    return {
        "format": FORMAT_VERSION,
        "spec_sha256": spec_sha256,
        "operations": sorted(operations, key=lambda op: op["operation_id"]),
        # Strict only where requests are checked; response-only schemas may use more keywords.
        "schemas": {name: _strip(schemas[name], f"#/components/schemas/{name}", strict=False) for name in sorted(done)},
        "error_bodies": errors,
    }


def encode(data: dict[str, Any]) -> bytes:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


DATA_FILE = "_stand_in.json.gz"  # tmdb_sdk/testing/_catalog.py reads it from the generated package


def write(package: Path, spec: dict[str, Any], spec_sha256: str) -> Path:
    """Write the stand-in data into the generated package folder `package`."""
    out = package / DATA_FILE
    write_if_changed(out, encode(build(spec, spec_sha256)))
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    spec = read_json(args.spec)
    data = build(spec, sha256_bytes(args.spec.read_bytes()))
    write_if_changed(args.out, encode(data))
    covered = sum(1 for op in data["operations"] if any(op["responses"].values()))
    print(f"stand_in_data: {len(data['operations'])} operations ({covered} with recorded success examples),"
          f" {len(data['schemas'])} schemas, {args.out.stat().st_size / 1024:.0f} KiB -> {args.out}")


if __name__ == "__main__":
    run_main(main)
