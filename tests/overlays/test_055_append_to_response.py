"""overlays/055-append-to-response.yaml types the sub-responses append_to_response adds to details."""
from __future__ import annotations

from typing import Any

import pytest

from tests.overlays.schema_support import all_components, apply, errors

FILE = "055-append-to-response.yaml"


@pytest.fixture(scope="module")
def components() -> dict[str, Any]:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": all_components()}
    result = apply(FILE, document)["components"]
    assert isinstance(result, dict)
    return result


def test_it_only_adds_optional_properties_to_the_three_details(components: dict[str, Any]) -> None:
    before = all_components()["schemas"]
    for name, schema in components["schemas"].items():
        if name in {"MovieDetails", "TvSeriesDetails", "PersonDetails"}:
            assert schema["required"] == before[name]["required"]
            assert set(schema["properties"]) > set(before[name]["properties"])
        else:
            assert schema == before[name], name


def test_movie_details_with_appended_credits_videos_and_providers_are_valid(components: dict[str, Any]) -> None:
    movie = {
        "id": 550, "title": "Fight Club",
        "credits": {"cast": [{"id": 819, "name": "Edward Norton", "character": None}], "crew": []},
        "videos": {"results": [{"key": "qtRKdVHc-cE", "site": "YouTube", "size": 1080}]},
        "watch/providers": {"results": {"US": {"link": "https://x", "flatrate": [{"provider_id": 8}]}}},
        "keywords": {"keywords": [{"id": 825, "name": "support group"}]},
    }
    assert errors(components, "MovieDetails", movie) == []
    assert errors(components, "MovieDetails", {**movie, "credits": {"cast": [{"id": "819"}]}})


def test_tv_keywords_keep_their_results_list_and_people_their_credits(components: dict[str, Any]) -> None:
    series = {"id": 1399, "name": "GoT", "keywords": {"results": [{"id": 1, "name": "dragon"}]}, "aggregate_credits": {"cast": []}}
    assert errors(components, "TvSeriesDetails", series) == []
    assert errors(components, "TvSeriesDetails", {**series, "keywords": {"results": [{"id": "one"}]}})
    person = {"id": 287, "name": "Brad Pitt", "movie_credits": {"cast": [{"id": 550, "title": "Fight Club"}]}}
    assert errors(components, "PersonDetails", person) == []
    assert errors(components, "PersonDetails", {**person, "movie_credits": {"cast": [{"id": 550}]}})
