"""The recorded request of an operation, and the keyword arguments that make the generated function send it.

Values come from the final spec: each parameter's example (the docs recorded these with the
response), else, for a parameter the call cannot do without, a value derived from its schema.
They are converted to the types the generated signature declares, as a user would pass them.
"""

from __future__ import annotations

import datetime
import enum
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from dateutil.parser import isoparse
from tmdb_generated.types import Unset

from .catalog import Operation, final_spec
from .docs_pages import docs_pages, page_key, parameter_example, recorded_parameters
from .naming import python_name

_SCHEMA_SAMPLES: dict[str, Any] = {"integer": 1, "number": 1, "string": "1", "boolean": True}


@dataclass(frozen=True)
class RecordedRequest:
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any = None
    has_body: bool = False
    derived: tuple[str, ...] = field(default=())  # parameters with no example, valued from their schema
    defaults: dict[str, Any] = field(default_factory=dict)  # query defaults the client sends unasked

    @property
    def expected_query(self) -> dict[str, Any]:
        return {**self.defaults, **self.query}


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow local $refs (#/components/...) to the schema they name."""
    while "$ref" in schema:
        target: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def schema_sample(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The simplest value the schema accepts: its example, default, first enum value or minimum;
    for an object, its required properties; for allOf/anyOf/oneOf, the first branch."""
    schema = resolve(document, schema)
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("allOf", "anyOf", "oneOf"):
        if schema.get(key):
            return schema_sample(document, schema[key][0])
    if schema.get("type") == "object":
        properties = schema.get("properties") or {}
        return {name: schema_sample(document, properties.get(name, {})) for name in schema.get("required", [])}
    if schema.get("type") == "array":
        return []
    if "minimum" in schema:
        return schema["minimum"]
    return _SCHEMA_SAMPLES.get(schema.get("type", "string"), "1")


def body_example(operation: Operation) -> tuple[bool, Any]:
    body = operation.spec.get("requestBody") or {}
    for media in (body.get("content") or {}).values():
        for example in (media.get("examples") or {}).values():
            if "value" in example:
                return True, example["value"]
        if "example" in media:
            return True, media["example"]
    return False, None


def required_body_schema(operation: Operation) -> dict[str, Any] | None:
    body = operation.spec.get("requestBody") or {}
    if not body.get("required"):
        return None
    for media in (body.get("content") or {}).values():
        return media.get("schema") or {}
    return None


def recorded_request(
    operation: Operation, document: dict[str, Any], on_page: Mapping[tuple[str, str], Any]
) -> RecordedRequest:
    """The request to replay. A parameter's value is the one its docs page records (`on_page`), else
    its example in the final spec (`document`), else, when the call needs one, derived from its schema."""
    values: dict[str, dict[str, Any]] = {"path": {}, "query": {}}
    derived, defaults = [], {}
    for parameter in operation.spec.get("parameters") or []:
        where = parameter.get("in")
        if where not in values:
            continue  # headers and cookies: TMDB documents none the caller passes
        key = (where, parameter["name"])
        found, value = key in on_page, on_page.get(key)
        if not found:
            found, value = parameter_example(parameter)
        if not found and (where == "path" or parameter.get("required")):
            found, value = True, schema_sample(document, parameter.get("schema") or {})
            derived.append(f"{where} {parameter['name']}")
        if found:
            values[where][parameter["name"]] = value
        elif where == "query" and "default" in (parameter.get("schema") or {}):
            defaults[parameter["name"]] = parameter["schema"]["default"]
    has_body, body = body_example(operation)
    body_schema = required_body_schema(operation)
    if not has_body and body_schema is not None:
        has_body, body = True, schema_sample(document, body_schema)
        derived.append("request body")
    return RecordedRequest(values["path"], values["query"], body, has_body, tuple(derived), defaults)


@cache
def _parameters_on_pages() -> dict[str, dict[tuple[str, str], Any]]:
    return recorded_parameters(docs_pages())


def request_to_replay(operation: Operation) -> RecordedRequest:
    """The operation's recorded request, from its docs page and the final spec."""
    on_page = _parameters_on_pages().get(page_key(operation.method, operation.path), {})
    return recorded_request(operation, final_spec(), on_page)


@cache
def signature_types(function: Callable[..., Any]) -> tuple[inspect.Signature, dict[str, Any]]:
    return inspect.signature(function), typing.get_type_hints(function)


def call_arguments(operation: Operation, request: RecordedRequest, function: Callable[..., Any]) -> dict[str, Any]:
    """Keyword arguments for the generated function, typed as its signature says."""
    signature, hints = signature_types(function)
    by_name = {(p["in"], p["name"]): p for p in operation.spec.get("parameters") or []}
    kwargs: dict[str, Any] = {}
    for where, recorded in (("path", request.path), ("query", request.query)):
        for name, value in recorded.items():
            keyword = python_name(by_name[(where, name)], signature)
            kwargs[keyword] = convert(value, hints[keyword], f"{operation.label} {where} parameter {name!r}")
    if request.has_body:
        if "body" not in signature.parameters:
            raise AssertionError(f"{operation.label}: the spec records a request body but the function takes none")
        kwargs["body"] = convert(request.body, hints["body"], f"{operation.label} request body")
    return kwargs


def convert(value: Any, annotation: Any, what: str) -> Any:
    """`value` (JSON from the docs) as an instance of `annotation`; AssertionError naming `what` if impossible."""
    try:
        return _convert(value, annotation)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise AssertionError(f"{what}: cannot pass recorded value {value!r} as {annotation}: {exc}") from exc


def _convert(value: Any, annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return _convert_union(value, typing.get_args(annotation))
    if origin is typing.Literal:
        for allowed in typing.get_args(annotation):
            if allowed == value or str(allowed) == str(value):
                return allowed
        raise ValueError(f"not one of {typing.get_args(annotation)}")
    if origin is list:
        (item_type,) = typing.get_args(annotation) or (Any,)
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list):
            raise TypeError("expected a list")
        return [_convert(item, item_type) for item in items]
    if annotation is Any:
        return value
    if isinstance(annotation, type):
        return _convert_to_class(value, annotation)
    raise TypeError(f"unsupported annotation {annotation!r}")


def _convert_union(value: Any, members: tuple[Any, ...]) -> Any:
    if value is None and type(None) in members:
        return None
    errors = []
    for member in members:
        if member is type(None) or member is Unset:
            continue
        try:
            return _convert(value, member)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            errors.append(f"{member}: {exc}")
    raise TypeError("; ".join(errors) or "no member accepts it")


def _convert_to_class(value: Any, cls: type) -> Any:
    if cls is bool:
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        raise ValueError("not a boolean")
    if cls is int:
        if isinstance(value, bool):
            raise TypeError("a boolean is not an integer")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("not a whole number")
        return int(value)
    if cls is float:
        if isinstance(value, bool):
            raise TypeError("a boolean is not a number")
        return float(value)
    if cls is str:
        if isinstance(value, (dict, list)):
            raise TypeError("not a scalar")
        return json_text(value)
    if cls is datetime.datetime:
        return isoparse(value)
    if cls is datetime.date:
        return isoparse(value).date()
    if issubclass(cls, enum.Enum):
        return cls(value)
    if hasattr(cls, "from_dict"):
        return cls.from_dict(value)
    if isinstance(value, cls):
        return value
    raise TypeError(f"no conversion to {cls.__name__}")


def json_text(value: Any) -> str:
    """A scalar as it appears in a URL: JSON's spelling of booleans, Python's of numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
