"""overlays/057-append-to-response-seasons-episodes.yaml: append_to_response on season and episode details."""

from __future__ import annotations

from typing import Any

import pytest

from tests.overlays.schema_support import all_components, apply, errors

FILE = "057-append-to-response-seasons-episodes.yaml"
SEASON = "/3/tv/{series_id}/season/{season_number}"
EPISODE = SEASON + "/episode/{episode_number}"
SEASON_CREDITS = SEASON + "/credits"


def path_params(*names: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "integer"}} for name in names]


def tiny() -> dict[str, Any]:
    """The two details operations, a sibling that must stay as it is, and the component overlays' schemas."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            SEASON: {"get": {"parameters": path_params("series_id", "season_number")}},
            EPISODE: {"get": {"parameters": path_params("series_id", "season_number", "episode_number")}},
            SEASON_CREDITS: {"get": {"parameters": path_params("series_id", "season_number")}},
        },
        "components": all_components(),
    }


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return apply(FILE, tiny())


def test_both_details_operations_gain_the_parameter_and_nothing_else_does(document: dict[str, Any]) -> None:
    before = tiny()["paths"]
    for path in (SEASON, EPISODE):
        parameters = document["paths"][path]["get"]["parameters"]
        assert parameters[:-1] == before[path]["get"]["parameters"]
        added = parameters[-1]
        assert (added["name"], added["in"], added["schema"]["type"]) == ("append_to_response", "query", "string")
        assert "at most 20" in added["description"]
    assert document["paths"][SEASON_CREDITS] == before[SEASON_CREDITS]


def test_it_only_adds_optional_properties_to_season_and_episode(document: dict[str, Any]) -> None:
    before = all_components()["schemas"]
    for name, schema in document["components"]["schemas"].items():
        if name in {"Season", "Episode"}:
            assert schema.get("required") == before[name].get("required")
            assert set(schema["properties"]) > set(before[name]["properties"])
        else:
            assert schema == before[name], name


def test_season_details_with_appended_parts_are_typed(document: dict[str, Any]) -> None:
    components = document["components"]
    season = {
        "id": 3624,
        "season_number": 1,
        "episodes": [{"id": 63056, "episode_number": 1}],
        "aggregate_credits": {"cast": [{"id": 22970, "name": "Peter Dinklage", "total_episode_count": 10}]},
        "external_ids": {"id": 3624, "tvdb_id": 364731},
        "watch/providers": {"results": {"US": {"link": "https://x", "flatrate": [{"provider_id": 384}]}}},
    }
    assert errors(components, "Season", season) == []
    assert errors(components, "Season", {**season, "external_ids": {"tvdb_id": "364731"}})
    assert errors(components, "Season", {**season, "account_states": {"results": [{"id": "x"}]}})


def test_episode_details_with_appended_parts_are_typed(document: dict[str, Any]) -> None:
    components = document["components"]
    episode = {
        "id": 63056,
        "episode_number": 1,
        "credits": {"cast": [{"id": 22970, "name": "Peter Dinklage"}], "crew": [], "guest_stars": []},
        "images": {"stills": [{"file_path": "/s.jpg", "width": 1920}]},
        "videos": {"results": []},
    }
    assert errors(components, "Episode", episode) == []
    assert errors(components, "Episode", {**episode, "images": {"stills": [{"width": "wide"}]}})
    assert errors(components, "Episode", {**episode, "credits": {"cast": [{"id": "22970"}]}})
