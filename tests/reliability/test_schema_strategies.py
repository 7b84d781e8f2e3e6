"""The strategy builder: strict bodies conform to their schema; loose ones add only TMDB's looseness."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from openapi_schema_validator import OAS30Validator

from tests.reliability import spec_index
from tests.reliability.schema_strategies import LOOSE, STRICT, SchemaStrategies

SPEC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Genre": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
            "Movie": {
                "type": "object",
                "required": ["id", "genres", "status"],
                "properties": {
                    "id": {"type": "integer", "minimum": 1},
                    "poster_path": {"type": "string", "nullable": True},
                    "vote_average": {"type": "number", "minimum": 0, "maximum": 10},
                    "release_date": {"type": "string", "format": "date"},
                    "genres": {"type": "array", "items": {"$ref": "#/components/schemas/Genre"}},
                    "status": {"type": "string", "enum": ["Rumored", "Released"]},
                    "providers": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Genre"}},
                    "extra": {
                        "allOf": [{"$ref": "#/components/schemas/Genre"}, {"properties": {"x": {"type": "boolean"}}}]
                    },
                    "either": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                    "anything": {},
                },
            },
        }
    }
}
MOVIE = {"$ref": "#/components/schemas/Movie"}
VALIDATOR = OAS30Validator({**SPEC["components"]["schemas"]["Movie"], "components": SPEC["components"]})
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None)


@SETTINGS
@given(SchemaStrategies(SPEC, STRICT).for_schema(MOVIE))
def test_strict_bodies_validate_against_their_schema(body):
    VALIDATOR.validate(body)
    assert not [key for key in body if key.startswith("zz_")]


@SETTINGS
@given(SchemaStrategies(SPEC, LOOSE).for_schema(MOVIE))
def test_loose_bodies_keep_required_fields_typed(body):
    assert isinstance(body["id"], int) and body["id"] >= 1
    assert isinstance(body["genres"], list)
    assert isinstance(body["status"], str)


def test_loose_bodies_do_reach_every_looseness():
    seen = {"null": False, "extra": False, "new enum": False}

    @SETTINGS
    @given(SchemaStrategies(SPEC, LOOSE).for_schema(MOVIE))
    def collect(body):
        seen["null"] |= any(value is None for key, value in body.items() if key != "poster_path")
        seen["extra"] |= any(key.startswith("zz_") for key in body)
        seen["new enum"] |= body["status"] not in ("Rumored", "Released")

    collect()
    assert all(seen.values()), seen


@pytest.mark.parametrize(
    "schema", [{"type": "tuple"}, {"$ref": "#/components/schemas/Nowhere"}, {"type": "object", "required": ["a"]}]
)
def test_schemas_it_cannot_honour_fail_loudly(schema):
    with pytest.raises((ValueError, KeyError)):
        SchemaStrategies(SPEC).for_schema(schema).example()


@pytest.mark.parametrize(
    "op", [op for op in spec_index.operations() if op.success_schema], ids=lambda op: op.operation_id
)
def test_every_success_schema_of_the_final_spec_is_understood(op):
    """Strict bodies for each operation validate against the final spec's own schema."""
    spec = spec_index.load_spec()
    validator = OAS30Validator({**op.success_schema, "components": spec.get("components", {})})

    @settings(max_examples=3, deadline=None, derandomize=True, database=None)
    @given(SchemaStrategies(spec, STRICT).for_schema(op.success_schema, op.operation_id))
    def check(body):
        validator.validate(body)

    check()
