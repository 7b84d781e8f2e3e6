"""overlays/045-request-bodies.yaml: request bodies with TMDB's types, limits, enums and required fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scripts.common import load_yaml
from scripts.overlay import apply_overlay

OVERLAY = Path(__file__).resolve().parents[2] / "overlays" / "045-request-bodies.yaml"
MEDIA_TYPE = {"$ref": "#/components/schemas/ItemMediaType"}


def body(**properties: str) -> dict[str, Any]:
    """A body as recorded: every field typed from one example, floats for ids, nothing required."""
    props = {name: {"type": kind, "example": 1 if kind == "number" else "x"} for name, kind in properties.items()}
    return {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": props}}}}}


def items_body(*, comment: bool = False) -> dict[str, Any]:
    item = {"media_id": {"type": "number"}, "media_type": {"type": "string"}} | (
        {"comment": {"type": "string"}} if comment else {}
    )
    schema = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"type": "object", "properties": item}}},
    }
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def doc() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "components": {"securitySchemes": {}},
        "paths": {
            "/3/movie/{movie_id}/rating": {"post": body(value="number"), "delete": {}},
            "/3/tv/{series_id}/rating": {"post": body(value="number")},
            "/3/account/{account_id}/favorite": {
                "post": body(favorite="boolean", media_id="number", media_type="string")
            },
            "/3/account/{account_id}/watchlist": {
                "post": body(media_id="number", media_type="string", watchlist="boolean")
            },
            "/3/list/{list_id}/add_item": {"post": body(media_id="number")},
            "/3/list/{list_id}/remove_item": {"post": body(media_id="number")},
            "/3/list": {"post": body(description="string", language="string", name="string")},
            "/4/list": {
                "post": body(
                    description="string", iso_3166_1="string", iso_639_1="string", name="string", public="boolean"
                )
            },
            "/4/list/{list_id}": {"put": body(description="string", name="string", public="boolean", sort_by="string")},
            "/4/list/{list_id}/items": {"post": items_body(), "delete": items_body(), "put": items_body(comment=True)},
            "/3/authentication/session/new": {"post": body(request_token="string")},
            "/3/authentication/token/validate_with_login": {
                "post": body(password="string", request_token="string", username="string")
            },
            "/3/authentication/session": {"delete": body(session_id="string")},
            "/3/authentication/session/convert/4": {"post": body(request_token="string")},
            "/4/auth/request_token": {"post": body(redirect_to="string")},
            "/4/auth/access_token": {"post": body(request_token="string"), "delete": body(access_token="string")},
        },
    }


@pytest.fixture(scope="module")
def paths() -> dict[str, Any]:
    result, _ = apply_overlay(doc(), load_yaml(OVERLAY.read_text(encoding="utf-8")), OVERLAY.name)
    assert result["components"]["schemas"]["ItemMediaType"]["enum"] == ["movie", "tv"]
    return dict(result["paths"])


def schema(paths: dict[str, Any], path: str, method: str = "post") -> dict[str, Any]:
    found: dict[str, Any] = paths[path][method]["requestBody"]["content"]["application/json"]["schema"]
    return found


def test_bodies_are_required_except_the_optional_redirect(paths: dict[str, Any]) -> None:
    for path, item in paths.items():
        for method, op in item.items():
            if "requestBody" in op:
                assert op["requestBody"]["required"] is (path != "/4/auth/request_token"), f"{method} {path}"
    assert "requestBody" not in paths["/3/movie/{movie_id}/rating"]["delete"]


@pytest.mark.parametrize("path", ["/3/movie/{movie_id}/rating", "/3/tv/{series_id}/rating"])
def test_a_rating_is_a_required_half_step_from_half_to_ten(paths: dict[str, Any], path: str) -> None:
    rating = schema(paths, path)
    assert rating["required"] == ["value"]
    value = rating["properties"]["value"]
    assert (value["type"], value["minimum"], value["maximum"], value["multipleOf"]) == ("number", 0.5, 10, 0.5)


@pytest.mark.parametrize(
    ("path", "flag"),
    [("/3/account/{account_id}/favorite", "favorite"), ("/3/account/{account_id}/watchlist", "watchlist")],
)
def test_favorite_and_watchlist_take_an_integer_id_and_movie_or_tv(paths: dict[str, Any], path: str, flag: str) -> None:
    account = schema(paths, path)
    assert sorted(account["required"]) == sorted(["media_type", "media_id", flag])
    assert account["properties"]["media_id"]["type"] == "integer"
    assert account["properties"]["media_type"] == MEDIA_TYPE


@pytest.mark.parametrize("method", ["post", "delete", "put"])
def test_v4_list_items_are_typed_and_required(paths: dict[str, Any], method: str) -> None:
    items = schema(paths, "/4/list/{list_id}/items", method)
    assert items["required"] == ["items"]
    item = items["properties"]["items"]["items"]
    assert item["required"] == ["media_type", "media_id"]
    assert item["properties"]["media_id"]["type"] == "integer" and item["properties"]["media_type"] == MEDIA_TYPE


def test_v3_list_items_are_integer_movie_ids(paths: dict[str, Any]) -> None:
    for path in ["/3/list/{list_id}/add_item", "/3/list/{list_id}/remove_item"]:
        assert schema(paths, path)["properties"]["media_id"]["type"] == "integer"
        assert schema(paths, path)["required"] == ["media_id"]


def test_lists_need_a_name_and_v4_a_language_and_sort_order_enum(paths: dict[str, Any]) -> None:
    assert schema(paths, "/3/list")["required"] == ["name"]
    assert schema(paths, "/4/list")["required"] == ["name", "iso_639_1"]
    sort_by = schema(paths, "/4/list/{list_id}", "put")["properties"]["sort_by"]
    assert "original_order.asc" in sort_by["enum"] and sort_by["type"] == "string"


def test_session_from_v4_token_reads_the_access_token(paths: dict[str, Any]) -> None:
    convert = schema(paths, "/3/authentication/session/convert/4")
    assert list(convert["properties"]) == ["access_token"] and convert["required"] == ["access_token"]


def test_authentication_bodies_require_their_fields(paths: dict[str, Any]) -> None:
    assert schema(paths, "/3/authentication/session/new")["required"] == ["request_token"]
    assert schema(paths, "/3/authentication/token/validate_with_login")["required"] == [
        "username",
        "password",
        "request_token",
    ]
    assert schema(paths, "/3/authentication/session", "delete")["required"] == ["session_id"]
    assert schema(paths, "/4/auth/access_token")["required"] == ["request_token"]
    assert schema(paths, "/4/auth/access_token", "delete")["required"] == ["access_token"]
