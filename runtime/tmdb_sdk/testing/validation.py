"""Request checks of the stand-in: a small validator for the JSON-schema keywords the final spec
uses in its parameters and request bodies (scripts/stand_in_data.py refuses any other one).

Query values arrive as text; `coerce` turns them into the schema's type first, as TMDB reads them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "array": (list,), "object": (dict,), "null": (type(None),),
}


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _resolve(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> Mapping[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 32:
        schema = schemas[str(schema["$ref"]).rsplit("/", 1)[1]]
        seen += 1
    return schema


def _type_ok(value: Any, expected: str) -> bool:
    if isinstance(value, bool) and expected in ("integer", "number"):
        return False
    if expected == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES.get(expected, (object,)))


def errors(value: Any, schema: Mapping[str, Any], schemas: Mapping[str, Any], where: str) -> list[str]:
    """What is wrong with `value` for `schema` (empty when it fits)."""
    schema = _resolve(schema, schemas)
    if value is None and schema.get("nullable"):
        return []
    found: list[str] = []
    for sub in schema.get("allOf", ()):
        found += errors(value, sub, schemas, where)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            fits = [not errors(value, sub, schemas, where) for sub in schema[key]]
            if (key == "anyOf" and not any(fits)) or (key == "oneOf" and fits.count(True) != 1):
                found.append(f"{where}: {value!r} fits {fits.count(True)} of the {key} schemas")
    expected = schema.get("type")
    if isinstance(expected, str) and not _type_ok(value, expected):
        return [*found, f"{where}: expected {expected}, got {type(value).__name__} {value!r}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        found += _number_errors(value, schema, where)
    if isinstance(value, str):
        found += _string_errors(value, schema, where)
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            found.append(f"{where}: at least {schema['minItems']} items expected, got {len(value)}")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            found.append(f"{where}: at most {schema['maxItems']} items expected, got {len(value)}")
        if "items" in schema:
            for index, item in enumerate(value):
                found += errors(item, schema["items"], schemas, f"{where}[{index}]")
    if isinstance(value, dict):
        found += _object_errors(value, schema, schemas, where)
    return found


def _number_errors(value: float, schema: Mapping[str, Any], where: str) -> list[str]:
    found = []
    if "minimum" in schema and (value < schema["minimum"] or (schema.get("exclusiveMinimum") is True and value == schema["minimum"])):
        found.append(f"{where}: {value} is below the minimum {schema['minimum']}")
    if "maximum" in schema and (value > schema["maximum"] or (schema.get("exclusiveMaximum") is True and value == schema["maximum"])):
        found.append(f"{where}: {value} is above the maximum {schema['maximum']}")
    step = schema.get("multipleOf")
    if step and abs(value / step - round(value / step)) > 1e-9:
        found.append(f"{where}: {value} is not a multiple of {step}")
    return found


def _string_errors(value: str, schema: Mapping[str, Any], where: str) -> list[str]:
    found = []
    if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
        found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if "minLength" in schema and len(value) < schema["minLength"]:
        found.append(f"{where}: shorter than {schema['minLength']} characters")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        found.append(f"{where}: longer than {schema['maxLength']} characters")
    if schema.get("format") == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            found.append(f"{where}: {value!r} is not a date (YYYY-MM-DD)")
    return found


def _object_errors(value: dict[str, Any], schema: Mapping[str, Any], schemas: Mapping[str, Any], where: str) -> list[str]:
    found = [f"{where}: missing required property {name!r}" for name in schema.get("required", ()) if name not in value]
    properties = schema.get("properties") or {}
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            found += errors(item, properties[name], schemas, f"{where}.{name}")
        elif extra is False:
            found.append(f"{where}: unexpected property {name!r}")
        elif isinstance(extra, Mapping):
            found += errors(item, extra, schemas, f"{where}.{name}")
    return found


def coerce(text: str, schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> Any:
    """A query or path value (text) as the type its schema declares; the text itself when it does not
    read as that type (the validator then names the problem)."""
    schema = _resolve(schema, schemas)
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if kind == "array":
        return [coerce(part, schema.get("items") or {}, schemas) for part in text.split(",")]
    return text
