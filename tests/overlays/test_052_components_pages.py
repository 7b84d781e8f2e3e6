"""overlays/052-components-pages.yaml declares one page envelope per kind of result."""
from __future__ import annotations

from typing import Any

import pytest

from tests.overlays.schema_support import all_components, declared_by, errors

FILE = "052-components-pages.yaml"
ENVELOPE = {"page", "results", "total_pages", "total_results"}
MOVIE = {"id": 550, "title": "Fight Club", "vote_average": 8.4}


@pytest.fixture(scope="module")
def components() -> dict[str, Any]:
    return all_components()


def test_every_page_has_the_integer_envelope_always_present(components: dict[str, Any]) -> None:
    pages = sorted(name for name in declared_by(FILE) if name.endswith("Page"))
    assert {"MoviePage", "TvSeriesPage", "PersonPage", "MediaPage", "ReviewPage"} <= set(pages)
    for name in pages:
        schema = components["schemas"][name]
        assert set(schema["required"]) == ENVELOPE, name
        assert all(schema["properties"][field] == {"type": "integer"} for field in ENVELOPE - {"results"}), name
        assert schema["properties"]["results"]["type"] == "array", name


def test_a_movie_page_with_chart_dates_is_valid(components: dict[str, Any]) -> None:
    page = {"dates": {"maximum": "2024-01-10", "minimum": "2023-11-23"}, "page": 1, "results": [MOVIE],
            "total_pages": 3, "total_results": 60}
    assert errors(components, "MoviePage", page) == []
    assert errors(components, "MoviePage", {**page, "page": "1"})
    assert errors(components, "MoviePage", {key: page[key] for key in ("page", "results")})
    assert errors(components, "MoviePage", {**page, "results": [{"id": 1}]})


def test_a_media_page_mixes_movies_people_and_tv_series(components: dict[str, Any]) -> None:
    person = {"id": 287, "name": "Brad Pitt", "gender": 2, "media_type": "person"}
    tv = {"id": 1399, "name": "Game of Thrones", "media_type": "tv"}
    page = {"page": 1, "results": [MOVIE, person, tv], "total_pages": 1, "total_results": 3}
    assert errors(components, "MediaPage", page) == []
    assert errors(components, "MediaPage", {**page, "results": [{"id": 1, "media_type": "collection"}]})


def test_people_are_tried_before_tv_series_in_mixed_pages(components: dict[str, Any]) -> None:
    # As the docs shape them (before 058): the generator took the first variant that parses, and a
    # person also has the id and name a TV series requires, so PersonSummary (which required gender)
    # had to come first. 058 then drops that requirement: media_type picks the member instead
    # (generator/edits/083), and only items without one are still tried in this order.
    variants = components["schemas"]["MediaPage"]["properties"]["results"]["items"]["anyOf"]
    names = [variant["$ref"].rsplit("/", 1)[-1] for variant in variants]
    assert names.index("PersonSummary") < names.index("TvSeriesSummary")
    assert "gender" in components["schemas"]["PersonSummary"]["required"]
    assert "gender" not in components["schemas"]["TvSeriesSummary"]["properties"]
