"""Hypothesis strategies for JSON bodies, built from OpenAPI 3.0 schema objects of the final spec.

Two flavours, chosen by `Looseness`:
- strict: exactly what the spec documents (types, `nullable`, `required`, enums, `$ref`,
  `additionalProperties`, arrays, `allOf`/`oneOf`/`anyOf`);
- loose: what TMDB really sends on top of that -- `null` in any optional field, fields the spec
  never named, enum values it never listed.
Only the keywords the spec uses are understood; an unknown `type` fails loudly, naming the schema
path, instead of silently generating something the spec did not mean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

JSON = Any
INT_BOUND = 2**31 - 1
FLOAT_BOUND = 1e9
# Names of invented fields: prefixed so they can never collide with a documented one.
EXTRA_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).map(lambda s: f"zz_{s}")
UNKNOWN_ENUM = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).map(lambda s: f"new_{s}")


@dataclass(frozen=True)
class Looseness:
    nulls: bool = False  # any optional value may be null
    extra_fields: bool = False  # any object may carry undocumented fields
    unknown_enums: bool = False  # any enum may take an undocumented value


STRICT = Looseness()
LOOSE = Looseness(nulls=True, extra_fields=True, unknown_enums=True)


def json_values(max_leaves: int = 4, null: bool = True) -> st.SearchStrategy[JSON]:
    """Any small JSON value: what an undocumented field may hold (OpenAPI 3.0: null only if allowed)."""
    scalars = st.booleans() | st.integers(-1000, 1000) | st.text(max_size=8)
    if null:
        scalars = st.none() | scalars
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=2) | st.dictionaries(EXTRA_KEYS, inner, max_size=2),
        max_leaves=max_leaves,
    )


class SchemaStrategies:
    """Builds (and caches per schema object) a strategy for each schema of one OpenAPI document."""

    def __init__(self, spec: Mapping[str, Any], looseness: Looseness = STRICT, max_depth: int = 5) -> None:
        self._spec = spec
        self._loose = looseness
        self._max_depth = max_depth

    def for_schema(self, schema: Mapping[str, Any], where: str = "#", depth: int = 0) -> st.SearchStrategy[JSON]:
        schema, where = self._resolve(schema, where)
        base = self._typed(schema, where, depth)
        if schema.get("nullable"):
            base = st.none() | base
        return base

    # -- per keyword ---------------------------------------------------------------------------------

    def _resolve(self, schema: Mapping[str, Any], where: str) -> tuple[Mapping[str, Any], str]:
        seen = set()
        while "$ref" in schema:
            ref = schema["$ref"]
            if ref in seen or not ref.startswith("#/"):
                raise ValueError(f"{where}: unresolvable $ref {ref!r}")
            seen.add(ref)
            node: Any = self._spec
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema, where = node, ref
        return schema, where

    def _typed(self, schema: Mapping[str, Any], where: str, depth: int) -> st.SearchStrategy[JSON]:
        if "allOf" in schema:
            return self._object(self._merge_all_of(schema, where), where, depth)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return st.one_of(
                    [self.for_schema(sub, f"{where}/{key}/{i}", depth) for i, sub in enumerate(schema[key])]
                )
        kind = schema.get("type")
        if kind is None and ("properties" in schema or "additionalProperties" in schema):
            kind = "object"
        if "enum" in schema:
            return self._enum(schema)
        match kind:
            case None:
                return json_values(null=self._loose.nulls)
            case "object":
                return self._object(schema, where, depth)
            case "array":
                return self._array(schema, where, depth)
            case "string":
                return self._string(schema)
            case "integer":
                low, high = schema.get("minimum", -INT_BOUND), schema.get("maximum", INT_BOUND)
                return st.integers(int(low), int(high))
            case "number":
                low, high = schema.get("minimum", -FLOAT_BOUND), schema.get("maximum", FLOAT_BOUND)
                floats = st.floats(low, high, allow_nan=False, allow_infinity=False)
                # JSON has one number type: TMDB writes a whole vote_average as 8, not 8.0.
                return floats | st.integers(int(low), int(high))
            case "boolean":
                return st.booleans()
        raise ValueError(f"{where}: unsupported schema type {kind!r}")

    def _enum(self, schema: Mapping[str, Any]) -> st.SearchStrategy[JSON]:
        values = [v for v in schema["enum"] if v is not None]
        if not values:  # `enum: [null]`: only null (nullable adds it)
            return st.nothing()
        documented = st.sampled_from(values)
        if self._loose.unknown_enums and schema.get("type", "string") == "string":
            return documented | UNKNOWN_ENUM
        return documented

    def _string(self, schema: Mapping[str, Any]) -> st.SearchStrategy[JSON]:
        match schema.get("format"):
            case "date":
                return st.dates(dt.date(1870, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat)
            case "date-time":
                moments = st.datetimes(dt.datetime(1970, 1, 2), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))
                return moments.map(dt.datetime.isoformat)
        return st.text(max_size=12)

    def _array(self, schema: Mapping[str, Any], where: str, depth: int) -> st.SearchStrategy[JSON]:
        items = schema.get("items") or {}
        low = int(schema.get("minItems", 0))
        high = low if depth >= self._max_depth else max(low, min(int(schema.get("maxItems", 3)), 3))
        return st.lists(self.for_schema(items, f"{where}/items", depth + 1), min_size=low, max_size=high)

    def _object(self, schema: Mapping[str, Any], where: str, depth: int) -> st.SearchStrategy[JSON]:
        properties: Mapping[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        missing = required - properties.keys()
        if missing:
            raise ValueError(f"{where}: required {sorted(missing)} not among its properties")
        fixed = {}
        optional = {}
        for name, sub in properties.items():
            if name not in required and depth >= self._max_depth:
                continue  # deep enough: recursive schemas (a company's parent_company) stop here
            value = self.for_schema(sub, f"{where}/properties/{name}", depth + 1)
            if name in required:
                fixed[name] = value
            else:
                optional[name] = st.none() | value if self._loose.nulls else value
        documented = st.fixed_dictionaries(fixed, optional=optional)
        extra = self._extra(schema, where, depth, properties.keys())
        if extra is None:
            return documented
        return st.tuples(documented, extra).map(lambda pair: {**pair[1], **pair[0]})

    def _extra(
        self, schema: Mapping[str, Any], where: str, depth: int, documented: Any
    ) -> st.SearchStrategy[dict[str, JSON]] | None:
        """Undocumented keys: typed by `additionalProperties` when it is a schema (a map), else any JSON."""
        additional = schema.get("additionalProperties", True)
        keys = EXTRA_KEYS.filter(lambda k: k not in documented)
        if isinstance(additional, Mapping):
            values = self.for_schema(additional, f"{where}/additionalProperties", depth + 1)
            return st.dictionaries(keys, values, max_size=0 if depth >= self._max_depth else 3)
        if additional is False or not self._loose.extra_fields:
            return None
        return st.dictionaries(keys, json_values(), max_size=3)

    def _merge_all_of(self, schema: Mapping[str, Any], where: str) -> dict[str, Any]:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for i, part in enumerate(schema["allOf"]):
            part, _ = self._resolve(part, f"{where}/allOf/{i}")
            if "allOf" in part:
                part = self._merge_all_of(part, f"{where}/allOf/{i}")
            merged["properties"].update(part.get("properties") or {})
            merged["required"] += list(part.get("required") or ())
            if "additionalProperties" in part:
                merged["additionalProperties"] = part["additionalProperties"]
        merged["properties"].update(schema.get("properties") or {})
        merged["required"] += list(schema.get("required") or ())
        return merged
