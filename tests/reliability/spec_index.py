"""The final spec's operations, each with its documented success schema and its generated module.

Generated module names follow the overlays (and the generator's renaming of reserved words), so
they are not derived here from the operationId: each endpoint module is found by the METHOD and
path template that its own `_get_kwargs` sends.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FINAL_SPEC = ROOT / "build" / "spec" / "openapi.json"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
_KWARGS = re.compile(r'"method":\s*"(?P<method>\w+)",\s*"url":\s*"(?P<url>[^"]*)"')


@dataclass(frozen=True)
class Operation:
    operation_id: str
    tag: str
    method: str
    path: str
    parameters: tuple[Mapping[str, Any], ...]
    success_status: str
    success_schema: Mapping[str, Any] | None
    body_schema: Mapping[str, Any] | None = None  # the JSON request body, when the operation takes one

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path


@cache
def load_spec() -> dict[str, Any]:
    return json.loads(FINAL_SPEC.read_text())


def _resolve(spec: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@cache
def operations() -> tuple[Operation, ...]:
    spec = load_spec()
    found = []
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            status, schema = _success(spec, op)
            params = tuple(_resolve(spec, p) for p in [*shared, *op.get("parameters", [])])
            body = _resolve(spec, op.get("requestBody") or {})
            body_schema = ((body.get("content") or {}).get("application/json") or {}).get("schema")
            tag = (op.get("tags") or ["untagged"])[0]
            found.append(Operation(op["operationId"], tag, method, path, params, status, schema, body_schema))
    return tuple(found)


def _success(spec: Mapping[str, Any], op: Mapping[str, Any]) -> tuple[str, Mapping[str, Any] | None]:
    for status in sorted(op.get("responses", {})):
        if status.startswith("2"):
            response = _resolve(spec, op["responses"][status])
            media = (response.get("content") or {}).get("application/json") or {}
            return status, media.get("schema")
    return "", None


@cache
def endpoint_modules() -> dict[tuple[str, str], ModuleType]:
    """(method, path template) -> the generated endpoint module that sends it."""
    api = importlib.import_module("tmdb_generated.api")
    index = {}
    for info in pkgutil.walk_packages(api.__path__, prefix="tmdb_generated.api."):
        if info.ispkg:
            continue
        module = importlib.import_module(info.name)
        match = _KWARGS.search(inspect.getsource(module._get_kwargs))
        if match is None:
            raise LookupError(f"{info.name}: no method/url found in its _get_kwargs")
        index[(match["method"], match["url"])] = module
    return index


def module_for(op: Operation) -> ModuleType:
    try:
        return endpoint_modules()[op.key]
    except KeyError:
        raise LookupError(f"{op.operation_id}: no generated module sends {op.method.upper()} {op.path}") from None
