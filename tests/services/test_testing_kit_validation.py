"""tmdb_sdk.testing.validation: the stand-in's request checks, on small hand-made schemas, with the
exact messages a failing test shows."""

from __future__ import annotations

from typing import Any

import pytest
from tmdb_sdk.testing.validation import coerce, errors

REF = "#/components/schemas/"
SCHEMAS: dict[str, Any] = {
    "Page": {"type": "integer", "minimum": 1, "maximum": 500},
    "PageAlias": {"$ref": REF + "Page"},
    "Flags": {"type": "array", "items": {"type": "boolean"}},
    "Loop": {"$ref": REF + "Loop"},
}


def check(value: Any, schema: dict[str, Any], where: str = "v") -> list[str]:
    return errors(value, schema, SCHEMAS, where)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("x", "string"),
        (3, "integer"),
        (3.0, "integer"),
        (3, "number"),
        (2.5, "number"),
        (True, "boolean"),
        ([1], "array"),
        ({"a": 1}, "object"),
        (None, "null"),
        (object(), "unknown-type"),
    ],
)
def test_values_of_the_declared_type_fit(value: Any, kind: str) -> None:
    assert check(value, {"type": kind}) == []


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        ("7", "integer", "v: expected integer, got str '7'"),
        (2.5, "integer", "v: expected integer, got float 2.5"),
        (True, "integer", "v: expected integer, got bool True"),
        (False, "number", "v: expected number, got bool False"),
        (1, "boolean", "v: expected boolean, got int 1"),
        (1, "string", "v: expected string, got int 1"),
        ("a", "array", "v: expected array, got str 'a'"),
        ([], "object", "v: expected object, got list []"),
        (0, "null", "v: expected null, got int 0"),
    ],
)
def test_a_value_of_another_type_is_named_with_its_type(value: Any, kind: str, message: str) -> None:
    assert check(value, {"type": kind}) == [message]


def test_a_wrong_type_stops_the_other_checks_of_that_schema() -> None:
    assert check("abc", {"type": "integer", "minimum": 5, "enum": [5, 6]}) == ["v: expected integer, got str 'abc'"]


def test_references_are_followed_even_through_an_alias() -> None:
    assert check(0, {"$ref": REF + "PageAlias"}, "page") == ["page: 0 is below the minimum 1"]
    assert check(3, {"$ref": REF + "PageAlias"}) == []


def test_a_chain_of_32_references_is_followed() -> None:
    chain: dict[str, Any] = {f"S{k}": {"$ref": f"{REF}S{k + 1}"} for k in range(31)}
    chain["S31"] = {"type": "integer"}
    assert errors("x", {"$ref": REF + "S0"}, chain, "v") == ["v: expected integer, got str 'x'"]
    assert coerce("5", {"$ref": REF + "S0"}, chain) == 5


def test_a_chain_of_more_than_32_references_is_given_up_and_accepts_anything() -> None:
    chain: dict[str, Any] = {f"S{k}": {"$ref": f"{REF}S{k + 1}"} for k in range(32)}
    chain["S32"] = {"type": "integer"}
    assert errors("x", {"$ref": REF + "S0"}, chain, "v") == []


def test_a_reference_loop_ends() -> None:
    assert check(1, {"$ref": REF + "Loop"}) == []  # 32 hops, then the schema read as it is


def test_null_fits_a_nullable_schema_only() -> None:
    assert check(None, {"type": "string", "nullable": True}) == []
    assert check(None, {"type": "string"}) == ["v: expected string, got NoneType None"]


def test_enum_values() -> None:
    schema = {"type": "string", "enum": ["movie", "tv"]}
    assert check("tv", schema) == []
    assert check("person", schema, "media") == ["media: 'person' is not one of ['movie', 'tv']"]


@pytest.mark.parametrize(
    ("value", "schema", "found"),
    [
        (1, {"minimum": 1}, []),
        (0, {"minimum": 1}, ["v: 0 is below the minimum 1"]),
        (0.5, {"minimum": 1}, ["v: 0.5 is below the minimum 1"]),
        (1, {"minimum": 1, "exclusiveMinimum": True}, ["v: 1 is below the minimum 1"]),
        (1, {"minimum": 1, "exclusiveMinimum": False}, []),
        (2, {"minimum": 1, "exclusiveMinimum": True}, []),
        (500, {"maximum": 500}, []),
        (501, {"maximum": 500}, ["v: 501 is above the maximum 500"]),
        (500, {"maximum": 500, "exclusiveMaximum": True}, ["v: 500 is above the maximum 500"]),
        (500, {"maximum": 500, "exclusiveMaximum": False}, []),
        (499, {"maximum": 500, "exclusiveMaximum": True}, []),
        (5, {"minimum": 10, "maximum": 1}, ["v: 5 is below the minimum 10", "v: 5 is above the maximum 1"]),
        (1.5, {"multipleOf": 0.5}, []),
        (10, {"multipleOf": 5}, []),
        (7, {"multipleOf": 5}, ["v: 7 is not a multiple of 5"]),
        (0.3, {"multipleOf": 0.1}, []),  # within rounding
        (1.0000001, {"multipleOf": 1}, ["v: 1.0000001 is not a multiple of 1"]),
        (3, {"multipleOf": 0}, []),  # no step: no check
    ],
)
def test_number_bounds_and_steps(value: float, schema: dict[str, Any], found: list[str]) -> None:
    assert check(value, {"type": "number", **schema}) == found


def test_booleans_are_not_numbers_for_the_bounds() -> None:
    assert check(True, {"minimum": 5}) == []
    assert check(True, {"minLength": 5}) == []


@pytest.mark.parametrize(
    ("value", "schema", "found"),
    [
        ("en-US", {"pattern": "^[a-z]{2}(-[A-Z]{2})?$"}, []),
        ("German", {"pattern": "^[a-z]{2}(-[A-Z]{2})?$"}, ["v: 'German' does not match ^[a-z]{2}(-[A-Z]{2})?$"]),
        ("xx-abc-yy", {"pattern": "abc"}, []),  # searched, not anchored
        ("ab", {"minLength": 2}, []),
        ("a", {"minLength": 2}, ["v: shorter than 2 characters"]),
        ("abc", {"maxLength": 3}, []),
        ("abcd", {"maxLength": 3}, ["v: longer than 3 characters"]),
        ("2024-02-29", {"format": "date"}, []),
        ("2023-02-29", {"format": "date"}, ["v: '2023-02-29' is not a date (YYYY-MM-DD)"]),
        ("yesterday", {"format": "date"}, ["v: 'yesterday' is not a date (YYYY-MM-DD)"]),
        ("yesterday", {"format": "date-time"}, []),
        ("", {"minLength": 1, "pattern": "x"}, ["v: '' does not match x", "v: shorter than 1 characters"]),
    ],
)
def test_string_patterns_lengths_and_dates(value: str, schema: dict[str, Any], found: list[str]) -> None:
    assert check(value, {"type": "string", **schema}) == found


@pytest.mark.parametrize(
    ("value", "schema", "found"),
    [
        ([1, 2], {"minItems": 2, "maxItems": 2}, []),
        ([1], {"minItems": 2}, ["v: at least 2 items expected, got 1"]),
        ([1, 2, 3], {"maxItems": 2}, ["v: at most 2 items expected, got 3"]),
        (
            [1, "x", 3, 9],
            {"items": {"type": "integer", "maximum": 5}},
            ["v[1]: expected integer, got str 'x'", "v[3]: 9 is above the maximum 5"],
        ),
        ([True, 1], {"$ref": REF + "Flags"}, ["v[1]: expected boolean, got int 1"]),
    ],
)
def test_list_lengths_and_items(value: list[Any], schema: dict[str, Any], found: list[str]) -> None:
    assert check(value, {"type": "array", **schema}) == found


def test_objects_need_their_required_properties_and_check_each_known_one() -> None:
    schema = {
        "type": "object",
        "required": ["value", "note"],
        "properties": {"value": {"type": "number", "minimum": 0.5, "maximum": 10}, "tags": {"type": "array"}},
    }
    assert check({"value": 11, "tags": "x", "other": 1}, schema, "body") == [
        "body: missing required property 'note'",
        "body.value: 11 is above the maximum 10",
        "body.tags: expected array, got str 'x'",
    ]
    assert check({"value": 1, "note": ""}, schema) == []


def test_unknown_properties_are_allowed_unless_additional_properties_says_otherwise() -> None:
    value = {"known": 1, "extra": "x"}
    properties = {"known": {"type": "integer"}}
    assert check(value, {"type": "object", "properties": properties}) == []
    assert check(value, {"type": "object", "properties": properties, "additionalProperties": True}) == []
    assert check(value, {"type": "object", "properties": properties, "additionalProperties": False}) == [
        "v: unexpected property 'extra'"
    ]
    assert check(value, {"type": "object", "additionalProperties": {"type": "integer"}}, "body") == [
        "body.extra: expected integer, got str 'x'"
    ]
    assert check({"a": 1, "b": 2}, {"type": "object", "additionalProperties": {"$ref": REF + "Page"}}) == []
    assert check({"a": 0}, {"type": "object", "properties": None, "additionalProperties": {"$ref": REF + "Page"}}) == [
        "v.a: 0 is below the minimum 1"
    ]


def test_additional_property_errors_add_to_the_missing_ones() -> None:
    schema = {"type": "object", "required": ["a"], "additionalProperties": {"type": "integer"}}
    assert check({"b": "x"}, schema) == ["v: missing required property 'a'", "v.b: expected integer, got str 'x'"]


def test_object_errors_add_to_the_combinator_ones() -> None:
    schema = {"type": "object", "anyOf": [{"required": ["a"]}], "required": ["b"]}
    assert check({}, schema) == ["v: {} fits 0 of the anyOf schemas", "v: missing required property 'b'"]


def test_nested_errors_name_the_whole_path() -> None:
    schema = {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {"type": "object", "required": ["media_id"], "properties": {"media_id": {"type": "integer"}}},
            }
        },
    }
    assert check({"items": [{"media_id": 1}, {"media_id": "2"}, {}]}, schema, "request body") == [
        "request body.items[1].media_id: expected integer, got str '2'",
        "request body.items[2]: missing required property 'media_id'",
    ]


def test_all_of_adds_the_errors_of_each_part() -> None:
    schema = {"allOf": [{"type": "integer"}, {"minimum": 3}, {"maximum": 1}]}
    assert check(2, schema) == ["v: 2 is below the minimum 3", "v: 2 is above the maximum 1"]
    assert check("x", schema) == ["v: expected integer, got str 'x'"]


def test_combinators_follow_references() -> None:
    assert check(0, {"allOf": [{"$ref": REF + "Page"}]}) == ["v: 0 is below the minimum 1"]
    schema = {"anyOf": [{"$ref": REF + "Page"}, {"type": "string"}]}
    assert check(3, schema) == []
    assert check(0, schema) == ["v: 0 fits 0 of the anyOf schemas"]
    assert check(3, {"oneOf": [{"$ref": REF + "Page"}, {"type": "string"}]}) == []


def test_any_of_needs_one_fitting_schema() -> None:
    schema = {"anyOf": [{"type": "integer"}, {"type": "string", "minLength": 2}]}
    assert check(3, schema) == [] and check("ab", schema) == []
    assert check("a", schema) == ["v: 'a' fits 0 of the anyOf schemas"]
    assert check(1.5, {"anyOf": [{"type": "number"}, {"type": "number", "minimum": 1}]}) == []


def test_one_of_needs_exactly_one_fitting_schema() -> None:
    schema = {"oneOf": [{"type": "number"}, {"type": "integer"}]}
    assert check(1.5, schema) == []
    assert check(2, schema) == ["v: 2 fits 2 of the oneOf schemas"]
    assert check("x", schema) == ["v: 'x' fits 0 of the oneOf schemas"]
    three = {"oneOf": [{"type": "string"}, {"type": "boolean"}, {"type": "integer"}]}
    assert check(True, three) == []
    assert check(1.5, three) == ["v: 1.5 fits 0 of the oneOf schemas"]


def test_combinator_errors_come_before_a_type_error() -> None:
    schema = {"type": "string", "anyOf": [{"type": "integer"}]}
    assert check(1, schema) == ["v: expected string, got int 1"]
    assert check("a", schema) == ["v: 'a' fits 0 of the anyOf schemas"]
    assert check(1.5, schema) == ["v: 1.5 fits 0 of the anyOf schemas", "v: expected string, got float 1.5"]


# -- coerce: query and path text as the declared type ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "schema", "value"),
    [
        ("550", {"type": "integer"}, 550),
        ("-3", {"type": "integer"}, -3),
        ("5.5", {"type": "integer"}, "5.5"),
        ("abc", {"type": "integer"}, "abc"),
        ("7.5", {"type": "number"}, 7.5),
        ("7", {"type": "number"}, 7.0),
        ("x", {"type": "number"}, "x"),
        ("true", {"type": "boolean"}, True),
        ("false", {"type": "boolean"}, False),
        ("True", {"type": "boolean"}, "True"),
        ("1", {"type": "boolean"}, "1"),
        ("28,12", {"type": "array", "items": {"type": "integer"}}, [28, 12]),
        ("true,x", {"type": "array", "items": {"type": "boolean"}}, [True, "x"]),
        ("a,b", {"type": "array"}, ["a", "b"]),
        ("3,4", {"type": "array", "items": {"$ref": REF + "PageAlias"}}, [3, 4]),
        ("a,b", {"type": "array", "items": None}, ["a", "b"]),
        ("12", {"type": "string"}, "12"),
        ("12", {}, "12"),
        ("3", {"$ref": REF + "PageAlias"}, 3),
        ("true,false", {"$ref": REF + "Flags"}, [True, False]),
    ],
)
def test_text_is_read_as_its_declared_type_when_it_can_be(text: str, schema: dict[str, Any], value: Any) -> None:
    assert coerce(text, schema, SCHEMAS) == value
    assert type(coerce(text, schema, SCHEMAS)) is type(value)


def test_coerced_text_that_does_not_fit_is_reported_with_its_type() -> None:
    schema = {"type": "integer", "minimum": 1}
    assert errors(coerce("0", schema, SCHEMAS), schema, SCHEMAS, "path parameter movie_id") == [
        "path parameter movie_id: 0 is below the minimum 1"
    ]
    assert errors(coerce("abc", schema, SCHEMAS), schema, SCHEMAS, "page") == ["page: expected integer, got str 'abc'"]
