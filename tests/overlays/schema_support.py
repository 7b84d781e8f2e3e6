"""Helpers for the tests of the schema overlays (050-089): apply a real overlay file to a tiny
document, and validate hand-made objects against the components it declares."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

from scripts.common import load_yaml
from scripts.overlay import apply_overlay

OVERLAYS = Path(__file__).resolve().parents[2] / "overlays"
COMPONENT_FILES = (
    "050-components-media.yaml",
    "051-components-resources.yaml",
    "052-components-pages.yaml",
    "053-components-account-lists-auth.yaml",
)


def load(name: str) -> dict[str, Any]:
    overlay = load_yaml((OVERLAYS / name).read_text(encoding="utf-8"))
    assert isinstance(overlay, dict)
    return overlay


def apply(name: str, document: dict[str, Any]) -> dict[str, Any]:
    result, _ = apply_overlay(document, load(name), name)
    assert isinstance(result, dict)
    return result


def tiny_document() -> dict[str, Any]:
    """What the earlier overlays leave in `components`: security schemes and the shared Error."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "tiny", "version": "1"},
        "paths": {},
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "properties": {"status_code": {"type": "integer"}}}},
        },
    }


def declared_by(name: str) -> set[str]:
    """The component names one overlay file declares (read from the file, not hard-coded)."""
    before = set(tiny_document()["components"]["schemas"])
    return set(apply(name, tiny_document())["components"]["schemas"]) - before


def all_components() -> dict[str, Any]:
    """`components` after every component overlay, in pipeline order."""
    document = tiny_document()
    for name in COMPONENT_FILES:
        document = apply(name, document)
    components = document["components"]
    assert isinstance(components, dict)
    return components


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in refs(item)]
    return []


def errors(components: dict[str, Any], name: str, value: Any) -> list[str]:
    """OpenAPI 3.0 validation errors of `value` against component `name` (empty when valid)."""
    validator = OAS30Validator({"$ref": f"#/components/schemas/{name}", "components": components})
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(value)]
