"""overlays/056-nullable-lists.yaml lets TMDB send null for the per-title lists of details and summaries."""
from __future__ import annotations

from typing import Any

import pytest

from tests.overlays.schema_support import all_components, apply, errors, load

FILE = "056-nullable-lists.yaml"
MOVIE = {"id": 550, "title": "Fight Club", "genres": [{"id": 18, "name": "Drama"}], "origin_country": ["US"]}
SERIES = {"id": 1399, "name": "Game of Thrones", "seasons": [{"id": 3624}], "created_by": []}


@pytest.fixture(scope="module")
def before() -> dict[str, Any]:
    return all_components()


@pytest.fixture(scope="module")
def after(before: dict[str, Any]) -> dict[str, Any]:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": before}
    result = apply(FILE, document)["components"]
    assert isinstance(result, dict)
    return result


@pytest.mark.parametrize(
    ("schema", "body", "field"),
    [
        ("MovieDetails", MOVIE, "genres"),
        ("MovieDetails", MOVIE, "production_companies"),
        ("MovieDetails", MOVIE, "spoken_languages"),
        ("TvSeriesDetails", SERIES, "seasons"),
        ("TvSeriesDetails", SERIES, "created_by"),
        ("TvSeriesDetails", SERIES, "networks"),
        ("MovieSummary", MOVIE, "genre_ids"),
        ("TvSeriesSummary", SERIES, "origin_country"),
    ],
)
def test_a_null_list_was_invalid_and_now_parses(
    before: dict[str, Any], after: dict[str, Any], schema: str, body: dict[str, Any], field: str
) -> None:
    assert errors(before, schema, {**body, field: None})
    assert errors(after, schema, {**body, field: None}) == []


def test_lists_stay_typed_and_ids_stay_required(after: dict[str, Any]) -> None:
    assert errors(after, "MovieDetails", {**MOVIE, "genres": [{"id": "18", "name": "Drama"}]})
    assert errors(after, "MovieSummary", {**MOVIE, "genre_ids": [18.5]})
    assert errors(after, "MovieDetails", {"title": "no id", "genres": None})
    assert errors(after, "TvSeriesDetails", {**SERIES, "id": None})


def test_it_only_adds_nullable_to_existing_fields(before: dict[str, Any], after: dict[str, Any]) -> None:
    changed = 0
    for name, schema in after["schemas"].items():
        old = before["schemas"][name]
        assert schema.get("required") == old.get("required"), name
        assert set(schema.get("properties", {})) == set(old.get("properties", {})), name
        for field, sub in schema.get("properties", {}).items():
            if sub != old["properties"][field]:
                assert sub == {**old["properties"][field], "nullable": True}, f"{name}.{field}"
                changed += 1
    assert changed == 27


def test_every_action_says_why() -> None:
    actions = load(FILE)["actions"]
    assert all("may be null" in action["description"] for action in actions)


def _nullable_refs_not_as_any_of(node: Any, where: str) -> list[str]:
    """Places where a nullable reference is written as `{nullable, allOf: [$ref]}` or `{nullable, $ref}`:
    openapi-schema-validator then rejects the null (nullable is read only beside a `type`)."""
    if isinstance(node, list):
        return [w for i, item in enumerate(node) for w in _nullable_refs_not_as_any_of(item, f"{where}/{i}")]
    if not isinstance(node, dict):
        return []
    found = [where] if node.get("nullable") and ("allOf" in node or "$ref" in node) else []
    return found + [w for key, value in node.items() for w in _nullable_refs_not_as_any_of(value, f"{where}/{key}")]


def test_nullable_references_are_written_as_any_of_ref_or_null(after: dict[str, Any]) -> None:
    assert _nullable_refs_not_as_any_of(after, "#/components") == []
    nullable_refs = [
        prop for schema in after["schemas"].values() for prop in schema.get("properties", {}).values()
        if {"nullable": True, "enum": [None]} in prop.get("anyOf", [])
    ]
    assert len(nullable_refs) >= 4  # belongs_to_collection, last/next_episode_to_air, parent_company, ...
