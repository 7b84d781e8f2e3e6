"""overlays/090-errors.yaml: TMDB's error body as a shared schema and shared responses on every operation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scripts.common import load_yaml
from scripts.overlay import apply_overlay

OVERLAY = Path(__file__).resolve().parents[2] / "overlays" / "090-errors.yaml"
SHARED = {
    "401": "Unauthorized",
    "404": "NotFound",
    "422": "UnprocessableEntity",
    "429": "TooManyRequests",
    "default": "Default",
}
RECORDED_404 = {"description": "Not found", "content": {"application/json": {"example": {"status_code": 34}}}}


def doc() -> dict[str, Any]:
    ok = {"200": {"description": "Details"}}
    return {
        "openapi": "3.0.3",
        "components": {"schemas": {"Movie": {"type": "object"}}},
        "paths": {
            "/3/movie/{movie_id}": {"get": {"responses": dict(ok)}},
            "/4/list": {"post": {"responses": {"201": {"description": "Created"}}}},
            "/3/person/{person_id}": {"get": {"responses": dict(ok, **{"404": RECORDED_404})}},
        },
    }


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    applied: dict[str, Any] = apply_overlay(doc(), load_yaml(OVERLAY.read_text(encoding="utf-8")), OVERLAY.name)[0]
    return applied


def test_error_schema_is_tmdbs_body(result: dict[str, Any]) -> None:
    error = result["components"]["schemas"]["Error"]
    assert "required" not in error  # the tolerance policy's rule 4: an error body may lack any field
    assert {name: prop["type"] for name, prop in error["properties"].items()} == {
        "success": "boolean", "status_code": "integer", "status_message": "string",
    }  # fmt: skip
    assert "Movie" in result["components"]["schemas"]


def test_each_shared_response_carries_the_error_schema(result: dict[str, Any]) -> None:
    responses = result["components"]["responses"]
    assert set(responses) == set(SHARED.values())
    for response in responses.values():
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Retry-After" in responses["TooManyRequests"]["headers"]


@pytest.mark.parametrize(("path", "method"), [("/3/movie/{movie_id}", "get"), ("/4/list", "post")])
def test_every_operation_references_every_shared_failure(result: dict[str, Any], path: str, method: str) -> None:
    responses = result["paths"][path][method]["responses"]
    for code, name in SHARED.items():
        assert responses[code] == {"$ref": f"#/components/responses/{name}"}
    assert len(responses) == 6


def test_a_recorded_failure_keeps_its_own_content(result: dict[str, Any]) -> None:
    responses = result["paths"]["/3/person/{person_id}"]["get"]["responses"]
    assert responses["404"] == RECORDED_404
    assert responses["401"] == {"$ref": "#/components/responses/Unauthorized"}
