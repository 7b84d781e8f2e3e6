"""Reduce a build to its API surface: what the client offers, and what the docs document.

usage: python -m scripts.api_surface --spec build/spec/openapi.json [--docs build/spec/merged.json]
           --out openapi/api-surface.json

The surface has two layers, each keyed by operation (`METHOD /path`):
- `operations`, from the final spec: what a caller of the generated client sees;
- `docs`, from the merged spec before the overlays: what the docs pages document. The
  overlays replace the docs' response schemas with hand-written components, so a field the
  docs stop documenting can vanish from the docs layer only; recording it keeps such an
  upstream change visible to the diff (scripts/api_diff.py).
Both keep each parameter's type and whether it is required, each request-body field and
each response field (per status) with its type; the client layer also its operationId.
A response whose schema is a named component (`#/components/schemas/Error`) is written as
that name, its fields once under `schemas` (`docs_schemas` for the docs layer): the
hand-written components are shared by many operations, and listing them once keeps the
file small. expanded() puts the fields back in place for the diff.
Descriptions, examples and headers are left out, so the file diffs line by line and holds
no copy of the docs. `spec_sha256` fingerprints the exact final spec the surface was taken
from: it is the baseline the next release is compared with.

A final spec's docs layer is read from `--docs`, by default from `merged.json` beside the
spec (as a build leaves them); without one the surface has no `docs` layer.

Types are written as one string: `integer`, `string(date)`, `array<object>`, `string|null`,
`string enum["day","week"]` (the allowed values as sorted JSON); a required parameter or field
ends in ` (required)`. Field paths use `.` for properties,
`[]` for array items and `{}` for map values: `genres[].name`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from scripts.common import HTTP_METHODS, PipelineError, dump_json, read_json, run_main, sha256_bytes, write_if_changed

REQUIRED = " (required)"
ENUM = "enum"
# Field paths deeper than this are not followed: TMDB's payloads are at most a few levels deep,
# and a self-referencing schema must not recurse forever.
MAX_DEPTH = 8

Schema = dict[str, Any]


def resolve(spec: dict[str, Any], node: Any, where: str) -> Any:
    """Follow local `$ref`s (`#/components/...`) until a node without one."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise PipelineError(f"{where}: unresolvable or circular $ref {ref!r}")
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise PipelineError(f"{where}: $ref {ref!r} points at nothing")
            target = target[part]
        node = target
    return node


def merged_all_of(spec: dict[str, Any], schema: Schema, where: str) -> Schema:
    """Fold `allOf` parts into one schema: properties and required lists are unioned."""
    if "allOf" not in schema:
        return schema
    merged: Schema = {k: v for k, v in schema.items() if k != "allOf"}
    properties = dict(merged.get("properties", {}))
    required = list(merged.get("required", []))
    for part in schema["allOf"]:
        part = merged_all_of(spec, resolve(spec, part, where), where)
        properties.update(part.get("properties", {}))
        required += [name for name in part.get("required", []) if name not in required]
        for key, value in part.items():
            if key not in {"properties", "required"}:
                merged.setdefault(key, value)
    if properties:
        merged["properties"] = properties
        merged.setdefault("type", "object")
    if required:
        merged["required"] = required
    return merged


def schema_of(spec: dict[str, Any], node: Any, where: str) -> Schema:
    schema = resolve(spec, node, where)
    if not isinstance(schema, dict):
        raise PipelineError(f"{where}: expected a schema object, got {type(schema).__name__}")
    return merged_all_of(spec, schema, where)


def type_name(spec: dict[str, Any], node: Any, where: str) -> str:
    schema = schema_of(spec, node, where)
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            options = sorted({type_name(spec, option, where) for option in schema[keyword]})
            name = f"{keyword}[{'|'.join(options)}]"
            break
    else:
        kind = schema.get("type") or ("object" if "properties" in schema else "any")
        if isinstance(kind, list):  # OpenAPI 3.1 style type lists
            kind = "|".join(sorted(str(k) for k in kind))
        name = str(kind)
        if "format" in schema:
            name += f"({schema['format']})"
        if kind == "array":
            name = f"array<{type_name(spec, schema.get('items', {}), where)}>"
    if isinstance(schema.get("enum"), list):
        name += enum_suffix(schema["enum"])
    if schema.get("nullable") is True:
        name += "|null"
    return name


def enum_suffix(values: list[Any]) -> str:
    """` enum["a","b"]`: the allowed values as a JSON array, sorted so that a reordering changes nothing."""
    unique = {json.dumps(value, sort_keys=True, separators=(",", ":")) for value in values}
    return f" {ENUM}[{','.join(sorted(unique))}]"


def flatten_fields(spec: dict[str, Any], node: Any, where: str) -> dict[str, str]:
    """Every property reachable from `node`, as {field path: type}, sorted by path."""
    fields: dict[str, str] = {}

    def visit(current: Any, prefix: str, depth: int) -> None:
        schema = schema_of(spec, current, where)
        if depth > MAX_DEPTH:
            return
        if schema.get("type") == "array" or "items" in schema:
            visit(schema.get("items", {}), f"{prefix}[]", depth + 1)
            return
        required = set(schema.get("required", []))
        for name, child in schema.get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            fields[path] = type_name(spec, child, f"{where} field {path}") + (REQUIRED if name in required else "")
            visit(child, path, depth + 1)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            path = f"{prefix}.{{}}" if prefix else "{}"
            fields[path] = type_name(spec, extra, f"{where} field {path}")
            visit(extra, path, depth + 1)

    visit(node, "", 0)
    # Sorted, so that a reordering on the docs page moves no line of the surface file.
    return dict(sorted(fields.items()))


def json_schema(content: dict[str, Any]) -> Any:
    """The schema of the JSON media type, else of the first one listed."""
    if not content:
        return None
    media = content.get("application/json") or next(iter(content.values()))
    return media.get("schema") if isinstance(media, dict) else None


def operation_surface(
    spec: dict[str, Any],
    path_item: dict[str, Any],
    operation: dict[str, Any],
    where: str,
    schemas: dict[str, dict[str, str]],
    with_id: bool = True,
) -> dict[str, Any]:
    """The operation's surface; the fields of responses named by a component go into `schemas`."""
    parameters: dict[str, str] = {}
    # Path-level parameters apply unless the operation redefines the same (in, name).
    for raw in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        param = resolve(spec, raw, where)
        key = f"{param['in']}:{param['name']}"
        kind = type_name(spec, param.get("schema", {}), f"{where} parameter {key}")
        parameters[key] = kind + (REQUIRED if param.get("required") else "")
    surface: dict[str, Any] = {"operationId": operation.get("operationId", "")} if with_id else {}
    surface["parameters"] = dict(sorted(parameters.items()))
    if "requestBody" in operation:
        body = resolve(spec, operation["requestBody"], where)
        schema = json_schema(body.get("content", {}))
        surface["requestBody"] = {
            "required": bool(body.get("required")),
            "fields": flatten_fields(spec, schema, f"{where} request body") if schema is not None else {},
        }
    responses: dict[str, str | dict[str, str]] = {}
    for status, raw in sorted(operation.get("responses", {}).items()):
        response = resolve(spec, raw, f"{where} response {status}")
        schema = json_schema(response.get("content", {}))
        name = component_name(schema)
        fields = flatten_fields(spec, schema, f"{where} response {status}") if schema is not None else {}
        if name is None:
            responses[str(status)] = fields
        else:
            responses[str(status)] = name
            schemas[name] = fields
    surface["responses"] = responses
    return surface


def component_name(schema: Any) -> str | None:
    """`Error` for a schema that is exactly `{"$ref": "#/components/schemas/Error"}`, else None."""
    if isinstance(schema, dict) and len(schema) == 1 and isinstance(schema.get("$ref"), str):
        prefix = "#/components/schemas/"
        if schema["$ref"].startswith(prefix) and "/" not in schema["$ref"][len(prefix) :]:
            return str(schema["$ref"][len(prefix) :])
    return None


def expanded(operations: dict[str, Any], schemas: dict[str, dict[str, str]], where: str) -> dict[str, Any]:
    """`operations` with each response named by a shared schema replaced by that schema's fields."""

    def fields(key: str, status: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if value not in schemas:
            raise PipelineError(f"{where}: {key} response {status} names schema {value!r}, which it does not list")
        return schemas[value]

    return {
        key: {**op, "responses": {status: fields(key, status, v) for status, v in op.get("responses", {}).items()}}
        for key, op in operations.items()
    }


def layer_surface(spec: Any, with_ids: bool = True) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """Every operation of `spec` by `METHOD /path`, and the shared response schemas they name."""
    if not isinstance(spec, dict) or not isinstance(spec.get("paths"), dict):
        raise PipelineError("the spec has no `paths` object: is this an OpenAPI document?")
    operations: dict[str, Any] = {}
    schemas: dict[str, dict[str, str]] = {}
    for path, path_item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in path_item:
                key = f"{method.upper()} {path}"
                operations[key] = operation_surface(spec, path_item, path_item[method], key, schemas, with_ids)
    return dict(sorted(operations.items())), dict(sorted(schemas.items()))


def with_layer(surface: dict[str, Any], name: str, layer: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """Add a layer's operations as `name` and its shared schemas as `<name>_schemas` (client: `schemas`)."""
    operations, schemas = layer
    surface[name] = operations
    if schemas:
        surface["schemas" if name == "operations" else f"{name}_schemas"] = schemas


def api_surface(spec: dict[str, Any], spec_sha256: str, docs: dict[str, Any] | None = None) -> dict[str, Any]:
    """The client layer of `spec`, and the docs layer of `docs` (the spec before the overlays) if given.

    The docs layer has no operationIds: the docs' own ids are renamed by the overlays and
    reach no caller.
    """
    surface: dict[str, Any] = {"spec_sha256": spec_sha256}
    with_layer(surface, "operations", layer_surface(spec))
    if docs is not None:
        with_layer(surface, "docs", layer_surface(docs, with_ids=False))
    return surface


def client_layer(surface: dict[str, Any]) -> dict[str, Any]:
    """The client layer's operations with every response's fields in place."""
    return expanded(surface["operations"], surface.get("schemas", {}), "client layer")


def docs_layer(surface: dict[str, Any]) -> dict[str, Any] | None:
    """The docs layer's operations with every response's fields in place; None without one."""
    if "docs" not in surface:
        return None
    return expanded(surface["docs"], surface.get("docs_schemas", {}), "docs layer")


def docs_beside(spec_path: Path) -> Path | None:
    """The merged (pre-overlay) spec a build leaves next to its final spec, if any."""
    merged = spec_path.with_name("merged.json")
    return merged if merged.is_file() and merged.resolve() != spec_path.resolve() else None


def _layer(spec: Any, path: Path, with_ids: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """One layer of the surface, its errors naming the file they come from."""
    try:
        return layer_surface(spec, with_ids)
    except PipelineError as error:
        raise PipelineError(f"{path}: {error}") from error


def load_surface(path: Path, docs: Path | None = None) -> dict[str, Any]:
    """Read either a final spec (reduced on the fly) or a surface file written by this script.

    A spec's docs layer comes from `docs`, else from `merged.json` beside it (see docs_beside).
    """
    document = read_json(path)
    if isinstance(document, dict) and "openapi" in document:
        surface: dict[str, Any] = {"spec_sha256": sha256_bytes(path.read_bytes())}
        with_layer(surface, "operations", _layer(document, path, True))
        docs = docs or docs_beside(path)
        if docs is not None:
            with_layer(surface, "docs", _layer(read_json(docs), docs, False))
        return surface
    if isinstance(document, dict) and isinstance(document.get("operations"), dict):
        return document
    raise PipelineError(f"{path}: neither an OpenAPI spec nor an API surface file")


def format_surface(surface: dict[str, Any]) -> str:
    return dump_json(surface)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--docs", type=Path, help="the spec before the overlays (default: merged.json beside --spec)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    surface = load_surface(args.spec, args.docs)
    changed = write_if_changed(args.out, format_surface(surface).encode())

    def fields(layer: dict[str, Any] | None) -> int:
        return sum(len(f) for op in (layer or {}).values() for f in op["responses"].values())

    docs = f", docs {fields(docs_layer(surface))}" if "docs" in surface else ", no docs layer"
    state = "written" if changed else "unchanged"
    print(
        f"api-surface: {len(surface['operations'])} operations, response fields: client "
        f"{fields(client_layer(surface))}{docs} -> {args.out} ({state})"
    )


if __name__ == "__main__":
    run_main(main)
