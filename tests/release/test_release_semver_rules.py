"""Every kind of change scripts/api_diff.py classifies, each with the weight and the bump it gets.

One row per rule: `setup` shapes both sides (the baseline and the new build), `edit` changes only
the new one. The rows are the semver contract of the package: a rule that moves from breaking to
addition ships a breaking change under a minor version, so each rule is pinned here by name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from scripts.api_diff import Change, classify, compare_surfaces, split_enums
from scripts.api_surface import api_surface
from tests.release.tiny_specs import DOCS_DETAILS, MOVIE, at, docs_spec, movie_schema, tiny_spec

Spec = dict[str, Any]
Edit = Callable[[Spec], Any]
ADD_ITEM = ["paths", "/3/list/{list_id}/add_item", "post"]


def nothing(spec: Spec) -> None:
    return None


def body(spec: Spec) -> Spec:
    return at(spec, *ADD_ITEM, "requestBody")


def body_schema(spec: Spec) -> Spec:
    """The add_item body's object part (the first of its allOf); `required` is in the second."""
    return at(spec, *ADD_ITEM, "requestBody", "content", "application/json", "schema", "allOf", 0)


def body_required(spec: Spec) -> list[str]:
    return at(spec, *ADD_ITEM, "requestBody", "content", "application/json", "schema", "allOf", 1, "required")


def parameters(spec: Spec) -> list[Spec]:
    return at(spec, *MOVIE, "parameters")


def with_sort_by(spec: Spec, *values: str) -> None:
    parameters(spec).append({"name": "sort_by", "in": "query", "schema": {"type": "string", "enum": list(values)}})


def with_body_field_enum(spec: Spec, *values: str) -> None:
    body_schema(spec)["properties"]["media_type"] = {"type": "string", "enum": list(values)}


def with_response_enum(spec: Spec, *values: str) -> None:
    movie_schema(spec)["properties"]["status"] = {"type": "string", "enum": list(values)}


def credits_operation(spec: Spec) -> None:
    spec["paths"]["/3/movie/{movie_id}/credits"] = {
        "get": {"operationId": "movies_credits", "responses": {"200": {"description": "ok"}}}
    }


def optional_body(spec: Spec) -> None:
    at(spec, *MOVIE)["requestBody"] = {
        "content": {"application/json": {"schema": {"type": "object", "properties": {"note": {"type": "string"}}}}}
    }


RULES: list[Any] = [
    # operations
    pytest.param(
        nothing, credits_operation, ["addition: operation added (movies_credits)"], "minor", id="operation added"
    ),
    pytest.param(
        nothing,
        lambda s: s["paths"].pop("/3/list/{list_id}/add_item"),
        ["breaking: operation removed"],
        "major",
        id="operation removed",
    ),
    pytest.param(
        nothing,
        lambda s: at(s, *MOVIE).update(operationId="movies_get"),
        ["breaking: operationId renamed: movies_details -> movies_get"],
        "major",
        id="operationId renamed",
    ),
    # parameters
    pytest.param(
        nothing,
        lambda s: parameters(s).append({"name": "page", "in": "query", "schema": {"type": "integer"}}),
        ["addition: optional parameter `query:page` (integer) added"],
        "minor",
        id="optional parameter added",
    ),
    pytest.param(
        nothing,
        lambda s: parameters(s).append(
            {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        ["breaking: required parameter `query:region` (string) added"],
        "major",
        id="required parameter added",
    ),
    pytest.param(
        nothing,
        lambda s: parameters(s).clear(),
        ["breaking: parameter `query:language` removed"],
        "major",
        id="parameter removed",
    ),
    pytest.param(
        nothing,
        lambda s: s["components"]["parameters"]["Language"].update(required=True),
        ["breaking: parameter `query:language` made required"],
        "major",
        id="parameter made required",
    ),
    pytest.param(
        lambda s: s["components"]["parameters"]["Language"].update(required=True),
        lambda s: s["components"]["parameters"]["Language"].pop("required"),
        ["addition: parameter `query:language` made optional"],
        "minor",
        id="parameter made optional",
    ),
    pytest.param(
        nothing,
        lambda s: s["components"]["parameters"]["Language"]["schema"].update(type="integer"),
        ["breaking: parameter `query:language` type changed: string -> integer"],
        "major",
        id="parameter retyped",
    ),
    # request bodies
    pytest.param(nothing, optional_body, ["addition: optional request body added"], "minor", id="optional body added"),
    pytest.param(
        nothing,
        lambda s: (optional_body(s), at(s, *MOVIE, "requestBody").update(required=True)),
        ["breaking: required request body added"],
        "major",
        id="required body added",
    ),
    pytest.param(
        nothing,
        lambda s: at(s, *ADD_ITEM).pop("requestBody"),
        ["breaking: request body removed"],
        "major",
        id="request body removed",
    ),
    pytest.param(
        lambda s: body(s).update(required=False),
        lambda s: body(s).update(required=True),
        ["breaking: request body made required"],
        "major",
        id="request body made required",
    ),
    pytest.param(
        nothing,
        lambda s: body(s).update(required=False),
        ["addition: request body made optional"],
        "minor",
        id="request body made optional",
    ),
    # request-body fields
    pytest.param(
        nothing,
        lambda s: body_schema(s)["properties"].update(comment={"type": "string"}),
        ["addition: optional request body field `comment` (string) added"],
        "minor",
        id="optional request field added",
    ),
    pytest.param(
        nothing,
        lambda s: (body_schema(s)["properties"].update(kind={"type": "string"}), body_required(s).append("kind")),
        ["breaking: required request body field `kind` (string) added"],
        "major",
        id="required request field added",
    ),
    pytest.param(
        lambda s: body_schema(s)["properties"].update(comment={"type": "string"}),
        lambda s: body_schema(s)["properties"].pop("comment"),
        ["breaking: request body field `comment` removed"],
        "major",
        id="request field removed",
    ),
    pytest.param(
        nothing,
        lambda s: body_schema(s)["properties"]["media_id"].update(type="string"),
        ["breaking: request body field `media_id` type changed: integer -> string"],
        "major",
        id="request field retyped",
    ),
    pytest.param(
        lambda s: body_required(s).clear(),
        lambda s: body_required(s).append("media_id"),
        ["breaking: request body field `media_id` made required"],
        "major",
        id="request field made required",
    ),
    pytest.param(
        nothing,
        lambda s: body_required(s).clear(),
        ["addition: request body field `media_id` made optional"],
        "minor",
        id="request field made optional",
    ),
    # responses and their fields
    pytest.param(
        nothing,
        lambda s: at(s, *MOVIE, "responses").update({"401": {"description": "no"}}),
        ["addition: response 401 added"],
        "minor",
        id="response added",
    ),
    pytest.param(
        nothing,
        lambda s: at(s, *MOVIE, "responses").pop("404"),
        ["breaking: response 404 removed"],
        "major",
        id="response removed",
    ),
    pytest.param(
        nothing,
        lambda s: movie_schema(s)["properties"].update(budget={"type": "integer"}),
        ["addition: response 200 field `budget` (integer) added"],
        "minor",
        id="response field added",
    ),
    pytest.param(
        nothing,
        lambda s: movie_schema(s)["properties"].pop("title"),
        ["breaking: response 200 field `title` removed"],
        "major",
        id="response field removed",
    ),
    pytest.param(
        nothing,
        lambda s: movie_schema(s)["properties"]["title"].update(type="integer"),
        ["breaking: response 200 field `title` type changed: string -> integer"],
        "major",
        id="response field retyped",
    ),
    pytest.param(
        nothing,
        lambda s: movie_schema(s)["properties"]["title"].update(nullable=True),
        ["breaking: response 200 field `title` type changed: string -> string|null"],
        "major",
        id="response field made nullable",
    ),
    pytest.param(
        nothing,
        lambda s: movie_schema(s)["required"].clear(),
        ["breaking: response 200 field `id` no longer required"],
        "major",
        id="response field no longer required",
    ),
    pytest.param(
        nothing,
        lambda s: movie_schema(s)["required"].append("title"),
        [],
        "patch",
        id="response field made required",  # a reader gets more than before: nothing to announce
    ),
    # enum values: a caller may send fewer values only in a major, and read more values only in a major
    pytest.param(
        lambda s: with_sort_by(s, "title.asc"),
        lambda s: with_sort_by_values(s, "title.asc", "title.desc"),
        ['addition: parameter `query:sort_by` enum value "title.desc" added'],
        "minor",
        id="parameter enum value added",
    ),
    pytest.param(
        lambda s: with_sort_by(s, "title.asc", "title.desc"),
        lambda s: with_sort_by_values(s, "title.asc"),
        ['breaking: parameter `query:sort_by` enum value "title.desc" removed'],
        "major",
        id="parameter enum value removed",
    ),
    pytest.param(
        lambda s: with_body_field_enum(s, "movie"),
        lambda s: with_body_field_enum(s, "movie", "tv"),
        ['addition: request body field `media_type` enum value "tv" added'],
        "minor",
        id="request field enum value added",
    ),
    pytest.param(
        lambda s: with_body_field_enum(s, "movie", "tv"),
        lambda s: with_body_field_enum(s, "movie"),
        ['breaking: request body field `media_type` enum value "tv" removed'],
        "major",
        id="request field enum value removed",
    ),
    pytest.param(
        lambda s: with_response_enum(s, "Released"),
        lambda s: with_response_enum(s, "Released", "Rumored"),
        ['breaking: response 200 field `status` enum value "Rumored" added'],
        "major",
        id="response field enum value added",
    ),
    pytest.param(
        lambda s: with_response_enum(s, "Released", "Rumored"),
        lambda s: with_response_enum(s, "Released"),
        ['addition: response 200 field `status` enum value "Rumored" removed'],
        "minor",
        id="response field enum value removed",
    ),
    pytest.param(
        nothing,
        lambda s: s["components"]["parameters"]["Language"]["schema"].update(enum=["en-US"]),
        ['breaking: parameter `query:language` type changed: string -> string enum["en-US"]'],
        "major",
        id="enum given to a type",
    ),
    pytest.param(
        lambda s: with_sort_by(s, "b", "a"),
        lambda s: with_sort_by_values(s, "a", "b"),
        [],
        "patch",
        id="enum values reordered",
    ),
    # no surface change
    pytest.param(nothing, lambda s: at(s, *MOVIE).update(description="words"), [], "patch", id="description only"),
]


def with_sort_by_values(spec: Spec, *values: str) -> None:
    sort_by = next(p for p in parameters(spec) if p.get("name") == "sort_by")
    sort_by["schema"]["enum"] = list(values)


def weigh(setup: Edit, edit: Edit) -> tuple[list[Change], str]:
    old = tiny_spec()
    setup(old)
    new = copy.deepcopy(old)
    edit(new)
    before, after = api_surface(old, "old"), api_surface(new, "new")
    changes = compare_surfaces(before, after)
    named = before["operations"].keys() | after["operations"].keys()
    assert [c.operation for c in changes if c.operation not in named] == [], "a change must name its operation"
    return changes, classify(changes, spec_changed=True)


@pytest.mark.parametrize(("setup", "edit", "expected", "bump"), RULES)
def test_each_rule_weighs_its_change(setup: Edit, edit: Edit, expected: list[str], bump: str) -> None:
    changes, proposed = weigh(setup, edit)
    assert [f"{c.weight}: {c.text}" for c in changes] == expected
    assert proposed == bump


def test_an_unchanged_spec_is_no_change_at_all() -> None:
    surface = api_surface(tiny_spec(), "same")
    assert compare_surfaces(surface, surface) == []
    assert classify([], spec_changed=False) == "none"


DOCS_PROPERTIES = [*DOCS_DETAILS, "responses", "200", "content", "application/json", "schema", "properties"]

DOCS_RULES: list[Any] = [
    pytest.param(
        lambda s: at(s, *DOCS_PROPERTIES).pop("tagline"),
        ["breaking: docs: response 200 field `tagline` removed"],
        "major",
        id="docs field removed",
    ),
    pytest.param(
        lambda s: at(s, *DOCS_PROPERTIES).update(budget={"type": "number"}),
        ["addition: docs: response 200 field `budget` (number) added"],
        "minor",
        id="docs field added",
    ),
    pytest.param(
        lambda s: at(s, *DOCS_PROPERTIES)["title"].update(enum=["a"]),
        ['breaking: docs: response 200 field `title` type changed: string -> string enum["a"]'],
        "major",
        id="docs field retyped",
    ),
    pytest.param(lambda s: at(s, *DOCS_DETAILS).update(summary="words"), [], "patch", id="docs words only"),
]


@pytest.mark.parametrize(("edit", "expected", "bump"), DOCS_RULES)
def test_a_docs_layer_change_is_weighed_like_the_clients(edit: Edit, expected: list[str], bump: str) -> None:
    """The docs layer (the spec before the overlays) moves while the client layer stays the same."""
    docs = docs_spec()
    edit(docs)
    changes = compare_surfaces(api_surface(tiny_spec(), "a", docs_spec()), api_surface(tiny_spec(), "b", docs))
    assert [f"{c.weight}: {c.text}" for c in changes] == expected
    assert {c.operation for c in changes} <= {"GET /3/movie//{movie_id}"}
    assert classify(changes, spec_changed=True) == bump


def test_enum_values_are_read_back_whatever_characters_they_hold() -> None:
    kind = 'array<string enum["a] enum[b","c|d"]>|null'
    assert split_enums(kind) == ("array<string>|null", [frozenset({'"a] enum[b"', '"c|d"'})])
    assert split_enums("integer enum[0,1,2]") == ("integer", [frozenset({"0", "1", "2"})])
    assert split_enums("string") == ("string", [])


def test_a_change_names_its_operation() -> None:
    changes, _ = weigh(nothing, lambda s: at(s, *ADD_ITEM).pop("requestBody"))
    assert [str(c) for c in changes] == ["POST /3/list/{list_id}/add_item: request body removed"]


def test_an_operation_added_in_the_docs_has_no_operation_id_to_show() -> None:
    docs = docs_spec()
    credits_operation(docs)
    changes = compare_surfaces(api_surface(tiny_spec(), "a", docs_spec()), api_surface(tiny_spec(), "b", docs))
    assert [f"{c.weight}: {c}" for c in changes] == ["addition: GET /3/movie/{movie_id}/credits: docs: operation added"]


def test_surfaces_without_parameters_bodies_or_responses_still_compare() -> None:
    """A hand-written or older surface may leave out empty parts: they read as empty."""
    bare = {"operations": {"GET /x": {"operationId": "x"}, "POST /y": {"operationId": "y", "requestBody": {}}}}
    full = {
        "operations": {
            "GET /x": {"operationId": "x", "parameters": {"query:page": "integer"}, "responses": {"200": {}}},
            "POST /y": {"operationId": "y", "requestBody": {"fields": {"name": "string"}}},
        }
    }
    assert [f"{c.weight}: {c}" for c in compare_surfaces(bare, full)] == [
        "addition: GET /x: optional parameter `query:page` (integer) added",
        "addition: GET /x: response 200 added",
        "addition: POST /y: optional request body field `name` (string) added",
    ]
    assert [f"{c.weight}: {c}" for c in compare_surfaces(full, bare)] == [
        "breaking: GET /x: parameter `query:page` removed",
        "breaking: GET /x: response 200 removed",
        "breaking: POST /y: request body field `name` removed",
    ]


def test_enum_values_are_compared_after_normalising_their_json() -> None:
    """Object values compare whatever their key order; each value is reported in compact JSON."""
    assert split_enums('object enum[{"b":1,"a":2}]') == split_enums('object enum[{"a":2,"b":1}]')
    assert split_enums('object enum[{"b": 1, "a": 2}]') == ("object", [frozenset({'{"a":2,"b":1}'})])
    assert split_enums("array enum[[1, 2]]") == ("array", [frozenset({"[1,2]"})])
    assert split_enums('anyOf[integer enum[1]|string enum["a"]]') == (
        "anyOf[integer|string]",
        [frozenset({"1"}), frozenset({'"a"'})],
    )
