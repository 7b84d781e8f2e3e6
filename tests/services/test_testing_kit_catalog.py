"""tmdb_sdk.testing._catalog: the stand-in's knowledge of TMDB, read from small hand-made data (the
packaged catalog is loaded once per process, so its reading is checked here on fresh input)."""

from __future__ import annotations

from typing import Any

import pytest
from tmdb_sdk.testing._catalog import Catalog, _compile, catalog, parse, sample

REF = "#/components/schemas/"


def entry(operation_id: str, method: str, path: str, **fields: Any) -> dict[str, Any]:
    return {
        "operation_id": operation_id,
        "method": method,
        "path": path,
        "parameters": [],
        "body": None,
        "security": [["bearerAuth"]],
        "responses": {"200": []},
        **fields,
    }


DATA: dict[str, Any] = {
    "operations": [
        entry(
            "movie",
            "GET",
            "/3/movie/{movie_id}",
            parameters=[
                {"in": "path", "name": "movie_id", "required": True, "schema": {"type": "integer"}},
                {"in": "query", "name": "language", "required": False, "schema": {"type": "string"}},
            ],
            security=[["bearerAuth"], ["apiKeyAuth"]],
            responses={"200": [{"name": "first", "body": {"id": 1}}, {"name": "second", "body": {"id": 2}}]},
            success_schema={"type": "object"},
        ),
        entry("latest", "GET", "/3/movie/latest"),
        entry("delete", "DELETE", "/3/movie/{movie_id}", body={"required": True, "schema": {"type": "object"}}),
        entry("episode", "GET", "/3/tv/{series_id}/season/{season_number}"),
    ],
    "schemas": {"Thing": {"type": "string"}},
    "error_bodies": {"NotFound": {"status_code": 34}},
    "spec_sha256": "ab" * 32,
}


def test_parse_reads_every_field_of_an_operation() -> None:
    parsed = parse(DATA)
    movie = parsed.operations["movie"]
    assert (movie.operation_id, movie.method, movie.path) == ("movie", "GET", "/3/movie/{movie_id}")
    assert movie.parameters == tuple(DATA["operations"][0]["parameters"])
    assert movie.body is None
    assert movie.security == (("bearerAuth",), ("apiKeyAuth",))
    assert movie.responses == DATA["operations"][0]["responses"]
    assert movie.success_schema == {"type": "object"}
    assert movie.pattern.fullmatch("/3/movie/550")
    assert parsed.operations["delete"].body == {"required": True, "schema": {"type": "object"}}
    assert parsed.operations["latest"].success_schema is None  # not recorded: none
    assert list(parsed.operations) == ["movie", "latest", "delete", "episode"]


def test_parse_keeps_the_schemas_error_bodies_and_spec_digest() -> None:
    parsed = parse(DATA)
    assert (parsed.schemas, parsed.error_bodies, parsed.spec_sha256) == (
        {"Thing": {"type": "string"}},
        {"NotFound": {"status_code": 34}},
        "ab" * 32,
    )


def test_the_packaged_catalog_holds_the_spec_digest_and_tmdbs_error_bodies() -> None:
    packaged = catalog()
    assert isinstance(packaged, Catalog) and len(packaged.spec_sha256) == 64
    assert packaged.error_bodies["NotFound"]["status_code"] == 34


@pytest.mark.parametrize(
    ("template", "path", "matches"),
    [
        ("/3/configuration", "/3/configuration", True),
        ("/3/configuration", "/3/configuration/x", False),
        ("/3/movie/{movie_id}", "/3/movie/550", True),
        ("/3/movie/{movie_id}", "/3/movie/", False),
        ("/3/movie/{movie_id}", "/3/movie/550/images", False),
        ("/3/movie/{movie_id}", "3/movie/550", False),
        ("/3/movie/{movie_id}/images", "/3/movie/tt0137523/images", True),
        ("/3/movie/{movie_id}/images", "/3/movie/550/videos", False),
        ("/3/tv/{series_id}/season/{season_number}", "/3/tv/1399/season/1", True),
        ("/3/tv/{series_id}/season/{season_number}", "/3/tv/1399/seasons/1", False),
        ("/3/a.b/{x}", "/3/a.b/1", True),
        ("/3/a.b/{x}", "/3/aXb/1", False),  # fixed text is matched literally
    ],
)
def test_a_path_template_matches_paths_with_any_segment_for_each_parameter(
    template: str, path: str, matches: bool
) -> None:
    assert bool(_compile(template).fullmatch(path)) is matches


def test_the_most_specific_template_answers_and_every_template_on_the_path_is_named() -> None:
    parsed = parse(DATA)
    op, on_path = parsed.match("GET", "/3/movie/latest")
    assert op is not None and op.operation_id == "latest"
    assert [o.operation_id for o in on_path] == ["latest", "movie", "delete"]
    op, on_path = parsed.match("DELETE", "/3/movie/latest")
    assert op is not None and op.operation_id == "delete"
    op, on_path = parsed.match("POST", "/3/movie/550")
    assert op is None and [o.operation_id for o in on_path] == ["movie", "delete"]
    assert parsed.match("GET", "/3/nothing") == (None, [])


def test_literal_segments_count_the_fixed_parts_of_a_template() -> None:
    parsed = parse(DATA)
    assert parsed.operations["movie"].literal_segments == 2
    assert parsed.operations["latest"].literal_segments == 3
    assert parsed.operations["episode"].literal_segments == 3


def test_query_parameter_finds_only_query_parameters() -> None:
    movie = parse(DATA).operations["movie"]
    assert movie.query_parameter("language") == {
        "in": "query",
        "name": "language",
        "required": False,
        "schema": {"type": "string"},
    }
    assert movie.query_parameter("movie_id") is None  # a path parameter
    assert movie.query_parameter("page") is None


def test_examples_are_listed_in_the_specs_order() -> None:
    parsed = parse(DATA)
    assert parsed.operations["movie"].examples() == [("200", "first", {"id": 1}), ("200", "second", {"id": 2})]
    assert parsed.operations["latest"].examples() == []


# -- sample: the simplest body a schema accepts ------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, ""),
        ({}, ""),
        ({"type": "string", "nullable": True}, None),
        ({"type": "boolean"}, True),
        ({"type": "integer"}, 1),
        ({"type": "number"}, 1),
        ({"type": "integer", "minimum": 5}, 5),
        ({"type": "number", "minimum": 0.5}, 0.5),
        ({"type": "string", "enum": ["movie", "tv"]}, "movie"),
        ({"type": "array", "items": {"type": "integer"}}, []),
        ({"type": "array", "items": {"type": "integer", "minimum": 3}, "minItems": 2}, [3, 3]),
        ({"type": "array", "minItems": 1}, [""]),
        ({"allOf": [{"type": "integer"}, {"type": "string"}]}, 1),
        ({"anyOf": [{"type": "boolean"}, {"type": "string"}]}, True),
        ({"oneOf": [{"type": "integer", "minimum": 7}, {"type": "string"}]}, 7),
        ({"allOf": [], "type": "boolean"}, True),
        ({"type": "object"}, {}),
        ({"type": "object", "required": ["name"]}, {"name": ""}),
        (
            {
                "type": "object",
                "required": ["id", "tags"],
                "properties": {
                    "id": {"type": "integer"},
                    "tags": {"type": "array", "minItems": 1, "items": {"type": "boolean"}},
                    "optional": {"type": "string"},
                },
            },
            {"id": 1, "tags": [True]},
        ),
        ({"required": ["n"], "properties": {"n": {"type": "integer", "minimum": 2}}}, {"n": 2}),
        ({"type": "object", "required": ["n"], "properties": None}, {"n": ""}),
        ({"$ref": REF + "Kind"}, "person"),
        ({"$ref": REF + "Alias"}, "person"),
        ({"type": "object", "required": ["kind"], "properties": {"kind": {"$ref": REF + "Kind"}}}, {"kind": "person"}),
        ({"type": "array", "minItems": 1, "items": {"$ref": REF + "Kind"}}, ["person"]),
        ({"oneOf": [{"$ref": REF + "Kind"}]}, "person"),
    ],
)
def test_sample_gives_the_simplest_value_a_schema_accepts(schema: dict[str, Any], expected: Any) -> None:
    schemas = {"Kind": {"type": "string", "enum": ["person", "company"]}, "Alias": {"$ref": REF + "Kind"}}
    assert sample(schema, schemas) == expected


def nesting(value: Any, key: str) -> int:
    depth = 0
    while isinstance(value, dict) and key in value:
        value = value[key]
        value = value[0] if isinstance(value, list) else value
        depth += 1
    assert value == {}
    return depth


def test_a_recursive_object_is_cut_off_after_nine_levels() -> None:
    schemas = {"Node": {"type": "object", "required": ["child"], "properties": {"child": {"$ref": REF + "Node"}}}}
    assert nesting(sample({"$ref": REF + "Node"}, schemas), "child") == 9


def test_recursion_through_lists_and_combinators_counts_each_step() -> None:
    through_list = {
        "Tree": {
            "type": "object",
            "required": ["kids"],
            "properties": {"kids": {"type": "array", "minItems": 1, "items": {"$ref": REF + "Tree"}}},
        }
    }
    assert nesting(sample({"$ref": REF + "Tree"}, through_list), "kids") == 5
    through_all_of = {
        "Box": {"type": "object", "required": ["inner"], "properties": {"inner": {"allOf": [{"$ref": REF + "Box"}]}}}
    }
    assert nesting(sample({"$ref": REF + "Box"}, through_all_of), "inner") == 5
