"""Arguments for calling any operation through the client: the values the final spec records
(a value derived from the schema where it records none), named as the operation index names them."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from tmdb_generated._operations import OPERATIONS
from tmdb_sdk.testing._catalog import catalog, sample

FINAL_SPEC = Path(__file__).resolve().parents[2] / "build" / "spec" / "openapi.json"
DEFAULTED = ("language", "region", "watch_region", "include_image_language")


@cache
def final_spec() -> dict[str, Any]:
    return json.loads(FINAL_SPEC.read_text(encoding="utf-8"))


def recorded(node: dict[str, Any]) -> tuple[bool, Any]:
    for holder in (node, node.get("schema") or {}):
        if "example" in holder:
            return True, holder["example"]
    for example in (node.get("examples") or {}).values():
        if "value" in example:
            return True, example["value"]
    return False, None


def _value(kind: str, value: Any) -> Any:
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return str(value) or "abc123"


def operation_ids() -> list[str]:
    return sorted(OPERATIONS)


def accepted(operation_id: str) -> set[str]:
    """The query parameters the spec (the stand-in's catalog, not the index) says the operation takes."""
    op = catalog().operations[operation_id]
    return {p["name"] for p in op.parameters if p["in"] == "query"}


def call_arguments(operation_id: str) -> tuple[list[Any], dict[str, Any]]:
    """(positional path values, keyword arguments) for a call the spec accepts."""
    entry = OPERATIONS[operation_id]
    spec_op = final_spec()["paths"][entry["path"]][entry["method"].lower()]
    by_wire = {(p["in"], p["name"]): p for p in spec_op.get("parameters") or []}
    schemas = catalog().schemas

    def value_of(where: str, name: str, wire: str, kind: str) -> Any:
        parameter = by_wire[(where, wire)]
        found, value = recorded(parameter)
        if not found:
            value = sample(parameter.get("schema") or {}, schemas)
        return _value(kind, value)

    args = [value_of("path", name, wire, kind) for name, wire, kind, _required, _default in entry["path_params"]]
    kwargs = {
        name: value_of("query", name, wire, kind)
        for name, wire, kind, required, _default in entry["query_params"] if required
    }
    if entry["body"] is not None and entry["body"][2]:
        media = spec_op["requestBody"]["content"]["application/json"]
        found, body = recorded(media)
        kwargs["body"] = body if found else sample(catalog().operations[operation_id].body["schema"], schemas)
    return args, kwargs


def operation_of(client: Any, operation_id: str) -> Any:
    """`client.<resource>.<action>` (v4 ones under `client.v4`)."""
    entry = OPERATIONS[operation_id]
    namespace = client.v4 if entry["version"] == 4 else client
    return getattr(getattr(namespace, entry["resource"]), entry["action"])
