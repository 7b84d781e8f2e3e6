"""The tolerance strategies on a tiny spec: each case is a body the spec documents, and is the case it
claims (read back by body_walk); mixed-kind items carry their member's media_type, or an unknown kind."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from openapi_schema_validator import OAS30Validator

from tests.reliability.schema_strategies import STRICT, TOLERANCE_CASES, SchemaStrategies
from tests.tolerance.body_walk import ENUM, MIXED, NULLABLE, OPTIONAL, Walker


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


SPEC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Kind": {"type": "string", "enum": ["movie", "tv"]},
            "Code": {"type": "integer", "enum": [0, 1, 2]},
            "Movie": {
                "type": "object",
                "x-tmdb-media-type": "movie",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "poster_path": {"type": "string", "nullable": True},
                    "media_type": {"anyOf": [ref("Kind"), {"type": "string"}]},
                },
            },
            "Series": {
                "type": "object",
                "x-tmdb-media-type": "tv",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}, "code": {"anyOf": [ref("Code"), {"type": "integer"}]}},
            },
            "Other": {"type": "object", "properties": {"id": {"type": "integer"}, "media_type": {"type": "string"}}},
            "Page": {
                "type": "object",
                "required": ["page"],
                "properties": {
                    "page": {"type": "integer"},
                    "collection": {"anyOf": [ref("Movie"), {"nullable": True, "enum": [None]}]},
                    "results": {"type": "array", "items": {"anyOf": [ref("Movie"), ref("Series"), ref("Other")]}},
                },
            },
        }
    }
}
PAGE = ref("Page")
VALIDATOR = OAS30Validator({**PAGE, "components": SPEC["components"]})
WALKER = Walker(SPEC)
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None)


def test_the_walker_sees_every_case_in_the_schema() -> None:
    assert WALKER.features(PAGE) == {ENUM, MIXED, NULLABLE, OPTIONAL}


@pytest.mark.parametrize("case", list(TOLERANCE_CASES))
def test_each_case_is_documented_and_is_what_it_claims(case: str) -> None:
    shown = []

    @SETTINGS
    @given(SchemaStrategies(SPEC, TOLERANCE_CASES[case]).for_schema(PAGE))
    def check(body: Any) -> None:
        VALIDATOR.validate(body)
        seen = WALKER.walk(PAGE, body)
        if case == "unknown enum values":
            assert seen.enums and not [value for _, value, known in seen.enums if known]
        elif case == "optional fields absent":
            assert seen.optionals == [] and set(body) == {"page"}
        elif case == "nullable fields null":
            assert seen.nullables and all(null for _, null in seen.nullables)
        else:
            assert seen.mixed_lists and all(unknown for _, unknown in seen.mixed_lists)
        shown.append(body)

    check()
    assert shown


@SETTINGS
@given(SchemaStrategies(SPEC, STRICT).for_schema(PAGE))
def test_mixed_items_carry_their_members_kind_or_an_unknown_one(body: Any) -> None:
    VALIDATOR.validate(body)
    for item in body.get("results", []):
        kind = item.get("media_type")
        if "code" in item:
            assert kind == "tv"
        elif kind not in ("movie", "tv"):
            assert kind is not None and set(item) - {"id", "media_type"} <= {"name", "title", "overview",
                "poster_path", "season_number"} | {k for k in item if k.startswith("zz_")}  # fmt: skip
