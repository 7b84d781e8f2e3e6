"""overlays/010-transport-headers.yaml drops recorded transport headers and keeps meaningful ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scripts.common import load_yaml
from scripts.overlay import apply_overlay

OVERLAY = Path(__file__).resolve().parents[2] / "overlays" / "010-transport-headers.yaml"


def apply(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = apply_overlay(document, load_yaml(OVERLAY.read_text(encoding="utf-8")), OVERLAY.name)[0]
    return result


def header(example: str) -> dict[str, Any]:
    return {"schema": {"type": "string", "example": example}}


def response(*names: str) -> dict[str, Any]:
    return {"description": "", "headers": {name: header("x") for name in names}}


RECORDED = ["Alt-Svc", "Via", "X-Amz-Cf-Id", "X-Amz-Cf-Pop", "X-Cache", "Age", "Cache-Control", "cache-control",
            "ETag", "etag", "Vary", "vary", "x-memc", "x-memc-age", "x-memc-expires", "x-memc-key", "Date",
            "Server", "Connection", "Transfer-Encoding", "Content-Encoding", "Content-Length"]  # fmt: skip


def doc() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "paths": {
            "/3/movie/{movie_id}": {"get": {"responses": {"200": response(*RECORDED)}}},
            "/3/authentication/token/new": {
                "get": {"responses": {"200": response("Date", "Vary", "authentication-callback", "Retry-After")}}
            },
        },
    }


def test_every_recorded_transport_header_is_removed_with_its_empty_map() -> None:
    result = apply(doc())
    assert "headers" not in result["paths"]["/3/movie/{movie_id}"]["get"]["responses"]["200"]


def test_meaningful_headers_stay() -> None:
    result = apply(doc())
    kept = result["paths"]["/3/authentication/token/new"]["get"]["responses"]["200"]["headers"]
    assert sorted(kept) == ["Retry-After", "authentication-callback"]


def test_the_rest_of_the_document_is_untouched() -> None:
    source = doc()
    source["paths"]["/3/movie/{movie_id}"]["get"]["responses"]["200"]["content"] = {"application/json": {}}
    result = apply(source)
    assert result["paths"]["/3/movie/{movie_id}"]["get"]["responses"]["200"] == {
        "description": "",
        "content": {"application/json": {}},
    }
