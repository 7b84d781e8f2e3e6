"""overlays/050-components-media.yaml declares typed movie, TV, season, episode and person components."""
from __future__ import annotations

import json
from typing import Any

import pytest

from tests.overlays.schema_support import all_components, apply, declared_by, errors, tiny_document

FILE = "050-components-media.yaml"

MOVIE = {
    "id": 550, "title": "Fight Club", "original_title": "Fight Club", "original_language": "en",
    "overview": "...", "release_date": "1999-10-15", "adult": False, "video": False, "genre_ids": [18],
    "poster_path": None, "backdrop_path": "/b.jpg", "popularity": 61.4, "vote_average": 8, "vote_count": 26280,
}
TV = {"id": 1399, "name": "Game of Thrones", "first_air_date": "", "origin_country": ["US"], "vote_average": 8.4}


@pytest.fixture(scope="module")
def components() -> dict[str, Any]:
    return all_components()


def test_it_adds_components_without_touching_the_ones_already_there() -> None:
    result = apply(FILE, tiny_document())["components"]
    assert result["securitySchemes"] == tiny_document()["components"]["securitySchemes"]
    assert result["schemas"]["Error"] == tiny_document()["components"]["schemas"]["Error"]
    assert {"MovieSummary", "MovieDetails", "TvSeriesSummary", "TvSeriesDetails", "Season", "Episode",
            "PersonSummary", "PersonDetails", "Genre", "Company", "Network", "Collection"} <= declared_by(FILE)


def test_a_whole_number_vote_average_and_a_null_poster_are_a_valid_movie(components: dict[str, Any]) -> None:
    assert errors(components, "MovieSummary", MOVIE) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "550"), ("vote_count", 1.5), ("genre_ids", [18.5]), ("popularity", "high"), ("title", None)],
)
def test_ids_and_counts_are_integers_and_strings_stay_strings(components: dict[str, Any], field: str, value: Any) -> None:
    assert errors(components, "MovieSummary", {**MOVIE, field: value})


def test_a_movie_summary_needs_its_id_and_title(components: dict[str, Any]) -> None:
    assert errors(components, "MovieSummary", {"id": 1})
    assert errors(components, "MovieSummary", {"title": "x"})


def test_movie_details_accept_the_nulls_tmdb_sends(components: dict[str, Any]) -> None:
    details = {**MOVIE, "belongs_to_collection": None, "homepage": None, "imdb_id": None, "runtime": None,
               "genres": [{"id": 18, "name": "Drama"}], "spoken_languages": [{"iso_639_1": "en", "name": "English"}]}
    assert errors(components, "MovieDetails", details) == []
    collection = {"id": 10, "name": "Star Wars", "poster_path": None, "backdrop_path": None}
    assert errors(components, "MovieDetails", {**details, "belongs_to_collection": collection}) == []
    assert errors(components, "MovieDetails", {**details, "belongs_to_collection": {"id": "ten"}})


def test_tv_details_accept_a_missing_next_episode_and_an_empty_date(components: dict[str, Any]) -> None:
    episode = {"id": 63056, "name": "Winter Is Coming", "runtime": None, "still_path": None, "episode_number": 1}
    series = {**TV, "next_episode_to_air": None, "last_episode_to_air": episode, "seasons": [{"id": 3624, "air_date": None}]}
    assert errors(components, "TvSeriesDetails", series) == []
    assert errors(components, "TvSeriesDetails", {**series, "last_episode_to_air": {"id": 1, "episode_number": 1.5}})


def test_people_may_have_unknown_birthdays_and_gender_is_a_closed_code(components: dict[str, Any]) -> None:
    person = {"id": 287, "name": "Brad Pitt", "gender": 2, "birthday": None, "deathday": "", "homepage": None}
    assert errors(components, "PersonDetails", person) == []
    assert errors(components, "PersonDetails", {**person, "gender": 4})


def test_a_person_summary_knows_for_movies_and_tv_series(components: dict[str, Any]) -> None:
    person = {"id": 1, "name": "x", "gender": 0, "known_for_department": None, "known_for": [MOVIE, TV]}
    assert errors(components, "PersonSummary", person) == []
    assert errors(components, "PersonSummary", {**person, "known_for": [{"id": 1}]})


def test_rated_items_carry_the_v3_or_v4_rating(components: dict[str, Any]) -> None:
    assert errors(components, "RatedMovie", {**MOVIE, "rating": 8.5}) == []
    assert errors(components, "RatedTvSeries", {**TV, "account_rating": {"value": 7, "created_at": "2024-01-01"}}) == []
    assert errors(components, "RatedMovie", {**MOVIE, "rating": "good"})


def test_a_company_may_have_a_parent_company_or_none(components: dict[str, Any]) -> None:
    company = {"id": 1, "name": "Lucasfilm", "logo_path": None, "parent_company": None}
    assert errors(components, "Company", company) == []
    assert errors(components, "Company", {**company, "parent_company": {"id": 2, "name": "Disney"}}) == []


def _shape(schema: dict[str, Any]) -> str:
    """What a generated class is made of: the schema without its prose."""
    return json.dumps({k: v for k, v in schema.items() if k != "description"}, sort_keys=True)


def test_no_two_components_share_a_shape(components: dict[str, Any]) -> None:
    by_shape: dict[str, list[str]] = {}
    for name, schema in components["schemas"].items():
        by_shape.setdefault(_shape(schema), []).append(name)
    assert [names for names in by_shape.values() if len(names) > 1] == []


def test_keywords_reuse_the_genre_id_and_name_pair(components: dict[str, Any]) -> None:
    assert "Keyword" not in components["schemas"]
    keywords = components["schemas"]["MovieKeywords"]["properties"]["keywords"]
    assert keywords["items"] == {"$ref": "#/components/schemas/Genre"}
    assert errors(components, "MovieKeywords", {"id": 550, "keywords": [{"id": 825, "name": "support group"}]}) == []
