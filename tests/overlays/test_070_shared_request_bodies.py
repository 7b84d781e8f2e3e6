"""overlays/070-shared-request-bodies.yaml moves bodies several operations share into one component each."""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.overlays.schema_support import apply, load

FILE = "070-shared-request-bodies.yaml"
_BODY = re.compile(r"^\$\.paths\['([^']+)'\]\.(\w+)\.requestBody\.content\['application/json'\]$")
RATING = {"type": "object", "required": ["value"], "properties": {"value": {"type": "number", "minimum": 0.5}}}
ITEM = {"type": "object", "required": ["media_id"], "properties": {"media_id": {"type": "integer"}}}
ITEMS = {"type": "object", "properties": {"items": {"type": "array", "items": ITEM, "minItems": 1}}}

SHARED = {
    "RatingBody": [("post", "/3/movie/{movie_id}/rating"), ("post", "/3/tv/{series_id}/rating"),
                   ("post", "/3/tv/{series_id}/season/{season_number}/episode/{episode_number}/rating")],
    "RequestTokenBody": [("post", "/3/authentication/session/new"), ("post", "/4/auth/access_token")],
    "AccessTokenBody": [("post", "/3/authentication/session/convert/4"), ("delete", "/4/auth/access_token")],
    "ListMovieBody": [("post", "/3/list/{list_id}/add_item"), ("post", "/3/list/{list_id}/remove_item")],
    "V4ListItemsBody": [("post", "/4/list/{list_id}/items"), ("delete", "/4/list/{list_id}/items")],
}


def typed_body(name: str) -> dict[str, Any]:
    """A body as 045 leaves it: typed inline, with a marker saying which shared shape it is."""
    schemas = {"RatingBody": RATING, "V4ListItemsBody": ITEMS}
    schema = schemas.get(name, {"type": "object", "properties": {name: {"type": "string"}}})
    return {"required": True, "content": {"application/json": {"schema": schema, "examples": {"e": {"value": {}}}}}}


def tiny_document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for name, operations in SHARED.items():
        for method, path in operations:
            paths.setdefault(path, {})[method] = {"requestBody": typed_body(name), "responses": {}}
    paths["/4/list/{list_id}/items"]["put"] = {"requestBody": typed_body("UpdateItems"), "responses": {}}
    return {"openapi": "3.0.3", "paths": paths, "components": {"schemas": {"Error": {"type": "object"}}}}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return apply(FILE, tiny_document())


def test_the_overlay_targets_exactly_the_shared_operations() -> None:
    targeted = {m.groups()[::-1] for a in load(FILE)["actions"] if (m := _BODY.match(a["target"]))}
    assert targeted == {operation for operations in SHARED.values() for operation in operations}


@pytest.mark.parametrize("name", sorted(SHARED))
def test_each_shared_body_is_one_component_every_user_references(result: dict[str, Any], name: str) -> None:
    for method, path in SHARED[name]:
        body = result["paths"][path][method]["requestBody"]
        assert body["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{name}"}
        assert body["required"] is True
        assert body["content"]["application/json"]["examples"] == {"e": {"value": {}}}


def test_the_component_keeps_the_types_045_gave_the_body(result: dict[str, Any]) -> None:
    schemas = result["components"]["schemas"]
    assert schemas["RatingBody"] == RATING
    assert schemas["AccessTokenBody"] == typed_body("AccessTokenBody")["content"]["application/json"]["schema"]
    assert schemas["Error"] == {"type": "object"}


def test_v4_list_items_get_a_named_item_component(result: dict[str, Any]) -> None:
    schemas = result["components"]["schemas"]
    assert schemas["V4ListItemRef"] == ITEM
    assert schemas["V4ListItemsBody"]["properties"]["items"] == {
        "type": "array", "items": {"$ref": "#/components/schemas/V4ListItemRef"}, "minItems": 1}


def test_a_body_no_other_operation_shares_stays_inline(result: dict[str, Any]) -> None:
    assert result["paths"]["/4/list/{list_id}/items"]["put"]["requestBody"] == typed_body("UpdateItems")
