"""Hypothesis strategies for JSON bodies, built from OpenAPI 3.0 schema objects of the final spec.

Flavours, chosen by `Looseness`:
- strict: exactly what the spec documents (types, `nullable`, `required`, enums, `$ref`,
  `additionalProperties`, arrays, `allOf`/`oneOf`/`anyOf`);
- loose: what TMDB really sends on top of that -- `null` in any optional field, fields the spec
  never named, enum values it never listed;
- the tolerance cases (`TOLERANCE_CASES`, issue 11): each forces one promise of the response
  policy (overlays/049-response-tolerance-policy.yaml) on the whole body -- every enum value one
  the spec never listed, every optional field absent, every nullable field null, or an item of a
  kind no member names in every mixed-kind list -- and stays valid against the final spec.
Mixed-kind unions (members declaring `x-tmdb-media-type`) are generated as TMDB sends them: a
member's item carries its own media_type, the fallback member's item a kind no member names.
Only the keywords the spec uses are understood; an unknown `type` fails loudly, naming the schema
path, instead of silently generating something the spec did not mean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from hypothesis import strategies as st

JSON = Any
INT_BOUND = 2**31 - 1
FLOAT_BOUND = 1e9
# Names of invented fields: prefixed so they can never collide with a documented one.
EXTRA_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).map(lambda s: f"zz_{s}")
UNKNOWN_ENUM = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).map(lambda s: f"new_{s}")
# Integer codes no TMDB enum uses (they are all small).
UNKNOWN_CODE = st.integers(100, 10**6)
# The discriminating property of mixed-kind lists, and kinds of items TMDB sends that no member models.
KIND = "media_type"
KIND_EXTENSION = "x-tmdb-media-type"
UNKNOWN_KIND = st.sampled_from(["collection", "tv_episode", "tv_season", "episode"]) | UNKNOWN_ENUM
# Fields an item of an unknown kind brings along: realistic names and invented ones.
KIND_FIELDS = st.sampled_from(["name", "title", "overview", "poster_path", "season_number"]) | EXTRA_KEYS


@dataclass(frozen=True)
class Looseness:
    nulls: bool = False  # any optional value may be null
    extra_fields: bool = False  # any object may carry undocumented fields
    unknown_enums: bool = False  # any enum may take an undocumented value
    # The tolerance cases force one promise on the whole body:
    every_enum_unknown: bool = False  # every enum value is one the spec never listed
    optionals: Literal["some", "none", "all"] = "some"  # optional fields: any, none, or all (lists non-empty)
    every_nullable_null: bool = False  # every nullable value is null
    unknown_kinds: bool = False  # every mixed-kind list holds items of kinds none of its members names


STRICT = Looseness()
LOOSE = Looseness(nulls=True, extra_fields=True, unknown_enums=True)
# The tolerance cases of issue 11, each a body the final spec documents and the models must take.
TOLERANCE_CASES = {
    "unknown enum values": Looseness(every_enum_unknown=True, optionals="all"),
    "optional fields absent": Looseness(optionals="none"),
    "nullable fields null": Looseness(every_nullable_null=True, optionals="all"),
    "unknown kinds in mixed lists": Looseness(unknown_kinds=True, optionals="all"),
}


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
        if self._loose.every_nullable_null and self.is_nullable(schema):
            return st.none()
        base = self._typed(schema, where, depth)
        if schema.get("nullable") and self._loose.optionals != "all":
            base = st.none() | base
        return base

    def is_nullable(self, schema: Mapping[str, Any]) -> bool:
        """`nullable: true`, or a union with a member that is (`anyOf: [{$ref: X}, {nullable: true, enum: [null]}]`)."""
        schema, _ = self._resolve(schema, "#")
        if schema.get("nullable"):
            return True
        members = schema.get("anyOf") or schema.get("oneOf") or []
        return any(self.is_nullable(member) for member in members)

    def open_enum(self, schema: Mapping[str, Any]) -> tuple[list[Any], str] | None:
        """(known values, type) of an open enum, `anyOf: [{$ref: Enum}, {type: <its type>}]` (policy rule 3)."""
        members = [self._resolve(member, "#")[0] for member in schema.get("anyOf") or ()]
        enums = [m for m in members if "enum" in m]
        plain = [m for m in members if "enum" not in m and "type" in m and set(m) <= {"type", "description"}]
        if len(members) != 2 or len(enums) != 1 or len(plain) != 1:
            return None
        kind = plain[0]["type"]
        if enums[0].get("type", kind) != kind or kind not in ("string", "integer"):
            return None
        return [v for v in enums[0]["enum"] if v is not None], kind

    def kinds(self, schema: Mapping[str, Any]) -> list[tuple[str | None, Mapping[str, Any]]] | None:
        """A mixed-kind union's members as (their media_type, or None for the fallback); None for other schemas."""
        members = [
            m
            for m in schema.get("anyOf") or schema.get("oneOf") or ()
            if self._resolve(m, "#")[0].get("enum") != [None]
        ]
        if len(members) < 2:
            return None  # a nullable reference (`anyOf: [{$ref: X}, null]`) is no mixed-kind union
        found = [(self._resolve(member, "#")[0].get(KIND_EXTENSION), member) for member in members]
        return found if any(kind for kind, _ in found) else None

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
        if (known := self.open_enum(schema)) is not None:
            return self._open_enum(*known)
        if self.kinds(schema) is not None:
            return self._mixed(schema, where, depth, unknown_only=self._loose.unknown_kinds)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                members = list(enumerate(schema[key]))
                if self._loose.optionals == "all" and not self._loose.every_nullable_null:
                    # reach every member that has content: a nullable reference's null member has none
                    members = [(i, sub) for i, sub in members if self._resolve(sub, where)[0].get("enum") != [None]]
                return st.one_of([self.for_schema(sub, f"{where}/{key}/{i}", depth) for i, sub in members])
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
        unknown = self._unknown_value(values, schema.get("type", "string"))
        if self._loose.every_enum_unknown and unknown is not None:
            return unknown  # a closed enum in a response then fails to parse, as it would for real
        if self._loose.unknown_enums and schema.get("type", "string") == "string" and unknown is not None:
            return documented | unknown
        return documented

    def _open_enum(self, values: list[Any], kind: str) -> st.SearchStrategy[JSON]:
        unknown = self._unknown_value(values, kind)
        assert unknown is not None
        if self._loose.every_enum_unknown:
            return unknown
        if self._loose.unknown_enums:
            return st.sampled_from(values) | unknown
        plain = st.text(max_size=12) if kind == "string" else st.integers(-INT_BOUND, INT_BOUND)
        return st.sampled_from(values) | plain

    @staticmethod
    def _unknown_value(values: list[Any], kind: str) -> st.SearchStrategy[JSON] | None:
        """Values of the enum's type that it does not list (None for types without such values)."""
        if kind == "string":
            return UNKNOWN_ENUM.filter(lambda v: v not in values)
        if kind == "integer":
            return UNKNOWN_CODE.filter(lambda v: v not in values)
        return None

    def _mixed(self, schema: Mapping[str, Any], where: str, depth: int, unknown_only: bool) -> st.SearchStrategy[JSON]:
        """An item of a mixed-kind union as TMDB sends it: a member's item with that member's media_type, or
        (always, when `unknown_only`) an item of a kind no member names, in the member without one."""
        return st.one_of(self._mixed_members(schema, where, depth, unknown_only))

    def _mixed_members(
        self, schema: Mapping[str, Any], where: str, depth: int, unknown_only: bool
    ) -> list[st.SearchStrategy[JSON]]:
        kinds = self.kinds(schema) or []
        key = "anyOf" if "anyOf" in schema else "oneOf"
        named = {kind for kind, _ in kinds if kind}
        options = []
        for i, (kind, member) in enumerate(kinds):
            if unknown_only and kind:
                continue
            item = self.for_schema(member, f"{where}/{key}/{i}", depth)
            if kind:
                options.append(item.map(lambda body, kind=kind: self._with_kind(body, kind)))
            else:
                strange = UNKNOWN_KIND.filter(lambda k: k not in named)
                fields = st.dictionaries(KIND_FIELDS, json_values(), max_size=3)
                options.append(st.tuples(item, strange, fields).map(self._unknown_kind))
        if not options:
            raise ValueError(f"{where}: a mixed-kind union needs a member without {KIND_EXTENSION} to take other kinds")
        return options

    def _with_kind(self, body: JSON, kind: str) -> JSON:
        if not isinstance(body, dict) or (self._loose.optionals == "none" and KIND not in body):
            return body  # every optional field absent: media_type too (the members are then tried in order)
        return {**body, KIND: kind}

    def _unknown_kind(self, parts: tuple[JSON, str, dict[str, JSON]]) -> JSON:
        body, kind, fields = parts
        if not isinstance(body, dict) or self._loose.optionals == "none":
            return body  # every optional field absent: an empty item, which the members try in order
        return {**{k: v for k, v in fields.items() if k not in body}, **body, KIND: kind}

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
        if self._loose.optionals == "all" and high > low:
            low = high = max(low, 1)  # every list holds one item, so every field appears (and bodies stay small)
        resolved, _ = self._resolve(items, f"{where}/items")
        if self._loose.unknown_kinds and high > 0 and self.kinds(resolved) is not None:
            # items of the kinds the members name, with at least one of a kind none names among them
            known = st.lists(self._mixed(resolved, f"{where}/items", depth + 1, unknown_only=False), max_size=high)
            unknown = st.lists(
                self._mixed(resolved, f"{where}/items", depth + 1, unknown_only=True), min_size=1, max_size=2
            )
            return st.tuples(known, unknown, st.integers(0, high)).map(lambda p: p[0][: p[2]] + p[1] + p[0][p[2] :])
        if self._loose.optionals == "all" and high > 0 and self.kinds(resolved) is not None:
            # one item of each member's kind (and one of another kind), so every member's fields appear
            return st.tuples(*self._mixed_members(resolved, f"{where}/items", depth + 1, unknown_only=False)).map(list)
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
            if name not in required and (depth >= self._max_depth or self._loose.optionals == "none"):
                continue  # deep enough: recursive schemas (a company's parent_company) stop here
            value = self.for_schema(sub, f"{where}/properties/{name}", depth + 1)
            if name in required or self._loose.optionals == "all":
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
