"""The stand-in's knowledge of TMDB: every operation of the final spec, its recorded examples and the
schemas its requests are checked against, read from the data file the build packs into the wheel
(`tmdb_generated/_stand_in.json.gz`, written by scripts/stand_in_data.py)."""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ConfigurationError

DATA_PACKAGE, DATA_FILE = "tmdb_generated", "_stand_in.json.gz"
_PARAM = re.compile(r"\{([^}/]+)\}")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    parameters: tuple[dict[str, Any], ...] = field(repr=False)
    body: dict[str, Any] | None = field(repr=False)
    security: tuple[tuple[str, ...], ...] = field(repr=False)
    responses: dict[str, list[dict[str, Any]]] = field(repr=False)
    success_schema: dict[str, Any] | None = field(repr=False, default=None)
    pattern: re.Pattern[str] = field(repr=False, default=re.compile(""))

    @property
    def literal_segments(self) -> int:
        """How many path segments are fixed text (the more, the more specific the template)."""
        return sum(1 for part in self.path.split("/") if part and not part.startswith("{"))

    def query_parameter(self, name: str) -> dict[str, Any] | None:
        return next((p for p in self.parameters if p["in"] == "query" and p["name"] == name), None)

    def examples(self) -> list[tuple[str, str, Any]]:
        """(status, name, body) of every recorded success example, in the spec's order."""
        return [(status, ex["name"], ex["body"]) for status, items in self.responses.items() for ex in items]


@dataclass(frozen=True)
class Catalog:
    operations: dict[str, Operation]
    schemas: dict[str, Any]
    error_bodies: dict[str, Any]
    spec_sha256: str

    def match(self, method: str, path: str) -> tuple[Operation | None, list[Operation]]:
        """The operation answering METHOD path (the most specific template wins), and every
        operation whose template matches the path whatever its method."""
        on_path = [op for op in self.operations.values() if op.pattern.fullmatch(path)]
        on_path.sort(key=lambda op: -op.literal_segments)
        return next((op for op in on_path if op.method == method), None), on_path


def _compile(path: str) -> re.Pattern[str]:
    parts, last = [], 0
    for match in _PARAM.finditer(path):
        parts.append(re.escape(path[last:match.start()]))
        parts.append(r"[^/]+")
        last = match.end()
    parts.append(re.escape(path[last:]))
    return re.compile("".join(parts))


def parse(data: dict[str, Any]) -> Catalog:
    operations = {}
    for entry in data["operations"]:
        operations[entry["operation_id"]] = Operation(
            operation_id=entry["operation_id"],
            method=entry["method"],
            path=entry["path"],
            parameters=tuple(entry["parameters"]),
            body=entry["body"],
            security=tuple(tuple(requirement) for requirement in entry["security"]),
            responses=entry["responses"],
            success_schema=entry.get("success_schema"),
            pattern=_compile(entry["path"]),
        )
    return Catalog(operations, data["schemas"], data["error_bodies"], data["spec_sha256"])


@cache
def catalog() -> Catalog:
    """The packaged catalog, read once per process."""
    try:
        raw = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_bytes()
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise ConfigurationError(
            f"tmdb_sdk.testing: {DATA_PACKAGE}/{DATA_FILE} is missing from this installation; the build writes it "
            "(scripts/stand_in_data.py) before packaging"
        ) from exc
    return parse(json.loads(gzip.decompress(raw)))


def sample(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> Any:
    """The simplest body a schema accepts (its required properties, empty lists, minimal numbers),
    for the few operations whose docs recorded no success example."""
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("allOf", "anyOf", "oneOf"):
        if schema.get(key):
            return sample(schema[key][0], schemas, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        if depth > 8:
            return {}
        return {name: sample(properties.get(name, {}), schemas, depth + 1) for name in schema.get("required", ())}
    if kind == "array":
        return [sample(schema.get("items") or {}, schemas, depth + 1) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if schema.get("nullable"):
        return None
    return ""


# Levels of nested objects `filled` lists every property of; deeper, only the required ones (`sample`).
_FILLED_DEPTH = 3


def filled(schema: dict[str, Any], schemas: dict[str, Any], name: str = "value", depth: int = 0) -> Any:
    """A body for an operation whose docs recorded no example: every property the schema lists, as
    TMDB's real answers have them (a status body's `session_id` is there although nothing requires it),
    strings named after their property (`"example-session_id"`), lists empty."""
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("allOf", "anyOf", "oneOf"):
        if schema.get(key):
            return filled(schema[key][0], schemas, name, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth >= _FILLED_DEPTH:
            return sample(schema, schemas, depth)
        properties = schema.get("properties") or {}
        names = [*properties, *(key for key in schema.get("required", ()) if key not in properties)]
        return {key: filled(properties.get(key, {}), schemas, key, depth + 1) for key in names}
    if kind == "string":
        return {"date": "2024-01-01", "date-time": "2024-01-01T00:00:00Z"}.get(schema.get("format", ""), f"example-{name}")
    return sample(schema, schemas, depth)
