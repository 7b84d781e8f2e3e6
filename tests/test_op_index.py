"""scripts/op_index.py: the operation index, built by the generator's own parser from a tiny hand-made spec."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from scripts import op_index

ROOT = Path(__file__).resolve().parents[1]
CONFIG = op_index.load_config(ROOT / "generator" / "config.yaml")


def _page(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "page": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "total_pages": {"type": "integer"},
        },
    }


def _ok(schema: str, status: str = "200") -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {status: {"description": "ok", "content": {"application/json": {"schema": ref}}}}


def _query(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def _path(name: str, kind: str = "integer") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def tiny_spec() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Tiny", "version": "1.0.0"},
        "tags": [{"name": "movies"}, {"name": "credits"}, {"name": "search"}, {"name": "v4_lists"}],
        "paths": {
            "/3/movie/{movie_id}": {
                "get": {
                    "tags": ["movies"], "operationId": "movies_details", "summary": "Details",
                    "parameters": [_path("movie_id"), _query("append_to_response", {"type": "string"}),
                                   _query("language", {"type": "string"})],
                    "responses": _ok("MovieDetails"),
                }
            },
            "/3/movie/{movie_id}/credits": {
                "get": {"tags": ["movies"], "operationId": "movies_credits", "summary": "Credits",
                        "parameters": [_path("movie_id")], "responses": _ok("Credits")}
            },
            "/3/movie/{movie_id}/watch/providers": {
                "get": {"tags": ["movies"], "operationId": "movies_watch_providers", "summary": "Providers",
                        "parameters": [_path("movie_id")], "responses": _ok("Providers")}
            },
            "/3/credit/{credit_id}": {
                "get": {"tags": ["credits"], "operationId": "credits_details", "summary": "Credit",
                        "parameters": [_path("credit_id", "string")], "responses": _ok("Credits")}
            },
            "/3/search/movie": {
                "get": {
                    "tags": ["search"], "operationId": "search_movie", "summary": "Search movies",
                    "parameters": [
                        _query("query", {"type": "string"}, required=True),
                        _query("page", {"type": "integer", "default": 1}),
                        _query("include_adult", {"type": "boolean", "default": False}),
                        _query("primary_release_date.gte", {"type": "string"}),
                        _query("sort_by", {"type": "string", "enum": ["a.asc", "a.desc"]}),
                        _query("session_id", {"type": "string"}),
                    ],
                    "responses": _ok("MoviePage"),
                }
            },
            "/4/list": {
                "post": {
                    "tags": ["v4_lists"], "operationId": "v4_lists_create", "summary": "Create",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/ListBody"}}}},
                    "responses": _ok("Status", "201"),
                }
            },
        },
        "components": {"schemas": {
            "MovieDetails": {"type": "object", "properties": {
                "id": {"type": "integer"}, "credits": {"$ref": "#/components/schemas/Credits"},
                "watch/providers": {"$ref": "#/components/schemas/Providers"}, "title": {"type": "string"}}},
            "Credits": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "Providers": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "MovieSummary": {"type": "object", "properties": {"title": {"type": "string"}}},
            "MoviePage": _page("MovieSummary"),
            "ListBody": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            "Status": {"type": "object", "properties": {"success": {"type": "boolean"}}},
        }},
    }  # fmt: skip


@pytest.fixture(scope="module")
def index() -> op_index.Index:
    docs = op_index.docs_pages([("GET", "/3/movie/{movie_id}", "/api-reference/movies/details.md")])
    return op_index.build_index(tiny_spec(), CONFIG, docs)


def test_every_operation_is_indexed_under_its_resource_and_action(index: op_index.Index) -> None:
    assert sorted(index) == ["credits_details", "movies_credits", "movies_details", "movies_watch_providers",
                             "search_movie", "v4_lists_create"]  # fmt: skip
    details = index["movies_details"]
    assert (details["resource"], details["action"], details["version"]) == ("movies", "details", 3)
    assert (details["method"], details["path"]) == ("GET", "/3/movie/{movie_id}")
    assert details["summary"] == "Details"
    assert details["docs"] == "https://ileolami.mintlify.site/api-reference/movies/details"
    assert index["search_movie"]["docs"] is None


def test_module_names_are_the_generators(index: op_index.Index) -> None:
    assert index["movies_details"]["module"] == "tmdb_generated.api.movies.movies_details"
    # credits is a builtin: the generator's folder is credits_, the resource keeps the spec's tag.
    assert index["credits_details"]["module"] == "tmdb_generated.api.credits_.credits_details"
    assert (index["credits_details"]["tag"], index["credits_details"]["resource"]) == ("credits", "credits")


def test_parameters_carry_python_and_wire_names_types_and_defaults(index: op_index.Index) -> None:
    params = {p["name"]: p for p in index["search_movie"]["query_params"]}
    assert params["primary_release_date_gte"]["wire"] == "primary_release_date.gte"
    assert (params["query"]["kind"], params["query"]["required"]) == ("str", True)
    assert (params["page"]["kind"], params["page"]["default"]) == ("int", 1)
    assert (params["include_adult"]["kind"], params["include_adult"]["default"]) == ("bool", False)
    assert params["sort_by"]["annotation"] == "SearchMovieSortBy"
    assert params["sort_by"]["imports"] == [["tmdb_generated.models.search_movie_sort_by", "SearchMovieSortBy"]]
    path = index["movies_details"]["path_params"]
    assert [(p["name"], p["kind"], p["required"]) for p in path] == [("movie_id", "int", True)]
    assert index["credits_details"]["path_params"][0]["kind"] == "str"


def test_models_paging_and_bodies(index: op_index.Index) -> None:
    search = index["search_movie"]
    assert search["paged"] and search["item"] == {
        "annotation": "MovieSummary", "imports": [["tmdb_generated.models.movie_summary", "MovieSummary"]]}
    assert search["result"]["model"] == "MoviePage"
    assert not index["movies_details"]["paged"] and index["movies_details"]["item"] is None
    create = index["v4_lists_create"]
    assert (create["version"], create["resource"], create["action"]) == (4, "lists", "create")
    assert create["body"] == {"model": "ListBody", "module": "tmdb_generated.models.list_body", "required": True}
    assert (create["result"]["model"], create["result"]["status"]) == ("Status", 201)


def test_append_parts_are_the_result_models_properties_named_after_siblings(index: op_index.Index) -> None:
    parts = index["movies_details"]["append"]
    assert sorted(parts) == ["credits", "watch/providers"]
    assert parts["credits"] == {"attribute": "credits_", "operation_id": "movies_credits", "model": "Credits",
                                "module": "tmdb_generated.models.credits_"}  # fmt: skip
    assert parts["watch/providers"]["operation_id"] == "movies_watch_providers"
    assert index["movies_credits"]["append"] == {}


def test_cacheable_is_a_get_that_belongs_to_no_user(index: op_index.Index) -> None:
    assert index["movies_details"]["cacheable"]
    assert not index["search_movie"]["cacheable"]  # takes a session_id
    assert not index["v4_lists_create"]["cacheable"]


def test_the_runtime_module_is_literals_only(index: op_index.Index) -> None:
    text = op_index.render_module(index)
    namespace: dict[str, Any] = {}
    exec(compile(text, "_operations.py", "exec"), namespace)  # noqa: S102
    entry = namespace["OPERATIONS"]["movies_details"]
    assert entry["path_params"] == (("movie_id", "movie_id", "int", True, None),)
    assert entry["result"] == ("tmdb_generated.models.movie_details", "MovieDetails", 200)
    assert entry["append"]["credits"] == ("credits_", "movies_credits", "tmdb_generated.models.credits_", "Credits")
    assignment = next(n for n in ast.parse(text).body if isinstance(n, ast.AnnAssign))
    assert assignment.value is not None
    ast.literal_eval(assignment.value)  # nothing but literals
