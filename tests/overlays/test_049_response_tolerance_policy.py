"""overlays/049-response-tolerance-policy.yaml: the written policy, its list of required fields (into the
spec's info), and the fallback member of mixed-kind lists."""

from __future__ import annotations

from typing import Any

from tests.overlays.schema_support import all_components, apply, declared_by, errors, load, tiny_document

FILE = "049-response-tolerance-policy.yaml"


def policy() -> dict[str, Any]:
    result: dict[str, Any] = apply(FILE, tiny_document())["info"]["x-tmdb-response-policy"]
    return result


def test_the_header_states_every_rule() -> None:
    text = load(FILE)["info"]["description"]
    for rule in ("Required only where TMDB guarantees", "Nullable where TMDB sends null", "Enums in responses are open",
                 "Enums in requests", "Status bodies", "Mixed-kind lists", "Unknown fields are kept"):  # fmt: skip
        assert rule in text, rule


def test_every_required_field_has_a_reason_and_names_existing_components() -> None:
    components = set(all_components()["schemas"])
    for rule in policy()["required"]:
        assert len(rule["reason"].split()) >= 10, rule["fields"]
        assert rule["fields"] and set(rule["schemas"]) <= components, set(rule["schemas"]) - components


def test_it_declares_only_the_fallback() -> None:
    assert declared_by(FILE) == {"OtherMedia"}
    assert policy()["fallback"] == "OtherMedia"


def test_the_fallback_takes_any_item_and_requires_nothing() -> None:
    components = apply(FILE, tiny_document())["components"]
    collection = {"id": 10, "media_type": "collection", "name": "Star Wars", "poster_path": None, "parts": [1]}
    assert errors(components, "OtherMedia", collection) == []
    assert errors(components, "OtherMedia", {}) == []
    assert "required" not in components["schemas"]["OtherMedia"]
