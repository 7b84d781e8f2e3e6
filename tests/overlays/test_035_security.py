"""overlays/035-security.yaml: v3 operations accept bearer or api_key, v4 operations bearer only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scripts.common import load_yaml
from scripts.overlay import apply_overlay

OVERLAY = Path(__file__).resolve().parents[2] / "overlays" / "035-security.yaml"
V3: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"apiKeyAuth": []}]
V4: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def apply(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = apply_overlay(document, load_yaml(OVERLAY.read_text(encoding="utf-8")), OVERLAY.name)[0]
    return result


def doc() -> dict[str, Any]:
    """Shaped like the merged docs: a bearer-only default, one v3 operation naming an undeclared scheme."""
    return {
        "openapi": "3.0.3",
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/3/movie/{movie_id}": {"get": {"tags": ["movies"]}},
            "/3/authentication/session/new": {"post": {"tags": ["authentication"], "security": [{"apiKey": []}]}},
            "/4/list/{list_id}": {"get": {"tags": ["v4_lists"]}, "delete": {"tags": ["v4_lists"], "security": V4}},
            "/4/auth/access_token": {"post": {"tags": ["v4_auth"]}},
        },
    }


def test_both_schemes_are_declared_the_api_key_in_the_query() -> None:
    schemes = apply(doc())["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http" and schemes["bearerAuth"]["scheme"] == "bearer"
    assert {k: schemes["apiKeyAuth"][k] for k in ("type", "in", "name")} == {
        "type": "apiKey", "in": "query", "name": "api_key",
    }  # fmt: skip


def test_every_v3_operation_accepts_bearer_or_api_key() -> None:
    paths = apply(doc())["paths"]
    assert paths["/3/movie/{movie_id}"]["get"]["security"] == V3
    assert paths["/3/authentication/session/new"]["post"]["security"] == V3


def test_every_v4_operation_accepts_bearer_only() -> None:
    paths = apply(doc())["paths"]
    assert paths["/4/list/{list_id}"]["get"]["security"] == V4
    assert paths["/4/list/{list_id}"]["delete"]["security"] == V4
    assert paths["/4/auth/access_token"]["post"]["security"] == V4


def test_the_document_default_lists_both_alternatives() -> None:
    assert apply(doc())["security"] == V3
