"""API surface extraction and the diff's semver classification, on small hand-made specs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scripts.api_diff import bumped, classify, compare_surfaces, diff_files, format_report
from scripts.api_surface import api_surface
from scripts.common import PipelineError
from scripts.release_bump import CHANGELOG_HEADER, with_entry


def tiny_spec() -> dict[str, Any]:
    movie = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "genres": {"type": "array", "items": {"$ref": "#/components/schemas/Genre"}},
            "release_date": {"type": "string", "format": "date", "nullable": True},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/3/movie/{movie_id}": {
                "parameters": [{"name": "movie_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "get": {
                    "operationId": "movies_details",
                    "parameters": [{"$ref": "#/components/parameters/Language"}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": movie}}},
                        "404": {"$ref": "#/components/responses/NotFound"},
                    },
                },
            },
            "/3/list/{list_id}/add_item": {
                "post": {
                    "operationId": "lists_add_movie",
                    "parameters": [{"name": "list_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "allOf": [
                                        {"type": "object", "properties": {"media_id": {"type": "integer"}}},
                                        {"required": ["media_id"]},
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {"201": {"description": "created"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Genre": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
                "Error": {"type": "object", "properties": {"status_code": {"type": "integer"}}},
            },
            "parameters": {"Language": {"name": "language", "in": "query", "schema": {"type": "string"}}},
            "responses": {
                "NotFound": {
                    "description": "nf",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }


def test_surface_flattens_refs_arrays_allof_and_marks_required() -> None:
    surface = api_surface(tiny_spec(), "sha")
    details = surface["operations"]["GET /3/movie/{movie_id}"]
    assert details["operationId"] == "movies_details"
    assert details["parameters"] == {"path:movie_id": "integer (required)", "query:language": "string"}
    assert details["responses"]["200"] == {
        "id": "integer (required)",
        "title": "string",
        "genres": "array<object>",
        "genres[].id": "integer",
        "genres[].name": "string",
        "release_date": "string(date)|null",
    }
    assert details["responses"]["404"] == {"status_code": "integer"}
    add = surface["operations"]["POST /3/list/{list_id}/add_item"]
    assert add["requestBody"] == {"required": True, "fields": {"media_id": "integer (required)"}}
    assert add["responses"] == {"201": {}}


def test_surface_names_a_dangling_ref() -> None:
    spec = tiny_spec()
    del spec["components"]["schemas"]["Genre"]
    with pytest.raises(PipelineError, match=r"GET /3/movie/\{movie_id\}.*#/components/schemas/Genre"):
        api_surface(spec, "sha")


def changed(edit: Any) -> list[str]:
    old = tiny_spec()
    new = copy.deepcopy(old)
    edit(new)
    return [f"{c.weight}: {c.text}" for c in compare_surfaces(api_surface(old, "a"), api_surface(new, "b"))]


MOVIE = ["paths", "/3/movie/{movie_id}", "get"]


def at(spec: dict[str, Any], *keys: str) -> Any:
    node: Any = spec
    for key in keys:
        node = node[key]
    return node


def movie_schema(spec: dict[str, Any]) -> dict[str, Any]:
    return at(spec, *MOVIE, "responses", "200", "content", "application/json", "schema")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda s: movie_schema(s)["properties"].pop("title"), ["breaking: response 200 field `title` removed"]),
        (
            lambda s: movie_schema(s)["properties"].update(budget={"type": "integer"}),
            ["addition: response 200 field `budget` (integer) added"],
        ),
        (
            lambda s: movie_schema(s)["properties"]["id"].update(type="string"),
            ["breaking: response 200 field `id` type changed: integer -> string"],
        ),
        (
            lambda s: s["components"]["schemas"]["Genre"]["properties"].pop("name"),
            ["breaking: response 200 field `genres[].name` removed"],
        ),
        (lambda s: movie_schema(s)["required"].clear(), ["breaking: response 200 field `id` no longer required"]),
        (
            lambda s: s["components"]["parameters"]["Language"].update(required=True),
            ["breaking: parameter `query:language` made required"],
        ),
        (
            lambda s: at(s, *MOVIE, "parameters").append(
                {"name": "page", "in": "query", "schema": {"type": "integer"}}
            ),
            ["addition: optional parameter `query:page` (integer) added"],
        ),
        (
            lambda s: at(s, *MOVIE, "parameters").append(
                {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}}
            ),
            ["breaking: required parameter `query:region` (string) added"],
        ),
        (
            lambda s: at(s, *MOVIE).update(operationId="details7"),
            ["breaking: operationId renamed: movies_details -> details7"],
        ),
        (lambda s: s["paths"].pop("/3/list/{list_id}/add_item"), ["breaking: operation removed"]),
        (lambda s: at(s, *MOVIE, "responses").pop("404"), ["breaking: response 404 removed"]),
        (lambda s: at(s, *MOVIE).update(description="words only"), []),
    ],
)
def test_each_kind_of_change_is_named_and_weighed(edit: Any, expected: list[str]) -> None:
    assert changed(edit) == expected


def test_bump_follows_the_heaviest_change() -> None:
    assert classify([], spec_changed=False) == "none"
    assert classify([], spec_changed=True) == "patch"
    old, new = api_surface(tiny_spec(), "a"), copy.deepcopy(api_surface(tiny_spec(), "b"))
    new["operations"]["GET /3/movie/{movie_id}"]["responses"]["200"]["budget"] = "integer"
    assert classify(compare_surfaces(old, new), spec_changed=True) == "minor"
    del new["operations"]["GET /3/movie/{movie_id}"]["responses"]["200"]["title"]
    assert classify(compare_surfaces(old, new), spec_changed=True) == "major"
    assert [bumped("0.1.0", b) for b in ("major", "minor", "patch", "none")] == ["1.0.0", "0.2.0", "0.1.1", "0.1.0"]


def test_diff_reads_a_spec_on_one_side_and_a_surface_on_the_other(tmp_path: Path) -> None:
    spec_path = tmp_path / "openapi.json"
    spec_path.write_text(json.dumps(tiny_spec()))
    surface = api_surface(tiny_spec(), "older-spec")
    del surface["operations"]["GET /3/movie/{movie_id}"]["parameters"]["query:language"]
    surface_path = tmp_path / "api-surface.json"
    surface_path.write_text(json.dumps(surface))
    changes, bump = diff_files(surface_path, spec_path)
    assert [str(c) for c in changes] == ["GET /3/movie/{movie_id}: optional parameter `query:language` (string) added"]
    assert bump == "minor"


def test_changelog_entries_go_newest_first_under_the_header() -> None:
    first = with_entry("", "## 0.1.0\n\nfirst\n")
    second = with_entry(first, "## 1.0.0 (major)\n\nsecond\n")
    assert second.startswith(CHANGELOG_HEADER)
    assert second.index("## 1.0.0") < second.index("## 0.1.0")


def test_report_names_a_description_only_change_as_patch() -> None:
    report = format_report([], classify([], spec_changed=True))
    assert report.splitlines()[0] == "api-diff: 0 breaking, 0 additions -> patch bump"
    assert "no operation, parameter or type did" in report
    assert format_report([], "none") == "api-diff: 0 breaking, 0 additions -> no change"
