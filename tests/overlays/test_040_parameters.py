"""overlays/040-parameters.yaml: TMDB's parameter names, integer ids, paging limits, enums and filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scripts.common import load_yaml
from scripts.overlay import apply_overlay

OVERLAY = Path(__file__).resolve().parents[2] / "overlays" / "040-parameters.yaml"
GUEST_RATED = ["/3/guest_session/{guest_session_id}/rated/" + kind for kind in ("movies", "tv", "tv/episodes")]
PAGED_WITHOUT_PAGE = [f"/3/trending/{kind}/{{time_window}}" for kind in ("all", "movie", "person", "tv")] + [
    "/3/tv/{series_id}/lists", "/3/tv/{series_id}/similar", "/3/keyword/{keyword_id}/movies", "/3/list/{list_id}",
]  # fmt: skip


def p(name: str, where: str = "query", example: Any = None, default: Any = None, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if example is not None:
        schema["example"] = example
    if default is not None:
        schema["default"] = default
    return {"name": name, "in": where, "schema": schema, **extra}


def path_id(name: str) -> dict[str, Any]:
    return p(name, "path", "12", required=True)


def get(*parameters: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"parameters": list(parameters)}}


def doc() -> dict[str, Any]:
    """The recorded shapes: string ids and pages, misspelled names, recorded session ids."""
    paths: dict[str, Any] = {
        "/3/movie/{movie_id}": get(path_id("movie_id"), p("append_to_reponse", example="Finding Nemo"), p("langauge")),
        "/3/tv/{series_id}/season/{season_number}/episode/{episode_number}": get(
            path_id("series_id"),
            path_id("season_number"),
            path_id("episode_number"),
            p("guest_session"),
        ),
        "/3/account/{account_id}/favorite/movies": get(
            path_id("account_id"),
            p("page", example="1"),
            p("session_id", example="3bebb912"),
            p("sort_by"),
        ),
        "/4/account/{account_object_id}/lists": get(p("account_object_id", "path", "676a950b"), p("page")),
        "/4/account/{account_object_id}/movie/rated": get(p("language", default="en-US")),
        "/3/person/{person_id}": get(path_id("person_id")),
        "/3/movie/{movie_id}/account_states": get(path_id("movie_id"), p("guest_session_id", example="06c5731")),
        "/3/person/popular": get(p("langauges"), p("pages", example="1")),
        "/3/configuration/countries": get(p("languages", example="en-NG")),
        "/3/search/movie": get(p("query"), p("include_adult", example="true"), p("region"), p("year", example="")),
        "/3/watch/providers/movie": get(p("watch-region", example="NG")),
        "/3/movie/{movie_id}/changes": get(path_id("movie_id"), p("start_date"), p("end_date", example="")),
        "/3/movie/{movie_id}/alternative_titles": get(path_id("movie_id"), p("country", example="")),
        "/3/movie/{movie_id}/images": get(path_id("movie_id"), p("include_image_language")),
        "/3/list/{list_id}/clear": {"post": {"parameters": [path_id("list_id"), p("confirm", example="true")]}},
        "/3/list/{list_id}/item_status": get(path_id("list_id"), p("movie_id")),
        "/3/find/{external_id}": get(p("external_id", "path", "facebook", required=True), p("external_source")),
        "/3/credit/{credit_id}": get(p("credit_id", "path", "3", required=True)),
        "/3/review/{review_id}": get(p("review_id", "path", required=True)),
        "/3/tv/episode_group/{tv_episode_group_id}": get(p("tv_episode_group_id", "path", required=True)),
        "/3/tv/airing_today": get(p("timezone", example="WAT")),
        "/3/discover/movie": {"get": {}},
        "/3/discover/tv": {"get": {}},
    }
    for path in PAGED_WITHOUT_PAGE:
        paths[path] = get(p("time_window", "path", "day", required=True) if "trending" in path else p("x", "path"))
    for path in GUEST_RATED:
        paths[path] = get(p("guest_session_id", "path", "97e5", required=True))
    paths["/3/tv/{series_id}/similar"]["get"]["parameters"] = [path_id("series_id")]
    paths["/3/tv/season/{season_id}/changes"] = get(path_id("season_id"), p("page"))
    return {"openapi": "3.0.3", "components": {}, "paths": paths}


def params(result: dict[str, Any], path: str, method: str = "get") -> dict[str, dict[str, Any]]:
    return {prm["name"]: prm for prm in result["paths"][path][method]["parameters"]}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    applied: dict[str, Any] = apply_overlay(doc(), load_yaml(OVERLAY.read_text(encoding="utf-8")), OVERLAY.name)[0]
    return applied


def test_misspelled_names_become_tmdb_names(result: dict[str, Any]) -> None:
    assert set(params(result, "/3/movie/{movie_id}")) == {"movie_id", "append_to_response", "language"}
    assert set(params(result, "/3/person/popular")) == {"language", "page"}
    assert set(params(result, "/3/configuration/countries")) == {"language"}
    assert set(params(result, "/3/watch/providers/movie")) == {"watch_region"}
    assert "guest_session_id" in params(result, "/3/tv/{series_id}/season/{season_number}/episode/{episode_number}")


def test_numeric_path_ids_are_integers_with_no_string_example(result: dict[str, Any]) -> None:
    episode = params(result, "/3/tv/{series_id}/season/{season_number}/episode/{episode_number}")
    assert episode["series_id"]["schema"]["type"] == "integer" and episode["series_id"]["schema"]["minimum"] == 1
    assert episode["season_number"]["schema"] | {"description": ""} == {
        "type": "integer", "minimum": 0, "example": 1, "description": "",
    }  # fmt: skip
    for path, name in [("/3/list/{list_id}/clear", "list_id"), ("/3/tv/season/{season_id}/changes", "season_id")]:
        method = "post" if "clear" in path else "get"
        schema = params(result, path, method)[name]["schema"]
        assert schema["type"] == "integer" and not isinstance(schema.get("example"), str)


def test_string_ids_stay_strings(result: dict[str, Any]) -> None:
    assert params(result, "/4/account/{account_object_id}/lists")["account_object_id"]["schema"]["type"] == "string"
    assert params(result, "/3/credit/{credit_id}")["credit_id"]["schema"]["type"] == "string"
    assert params(result, "/3/review/{review_id}")["review_id"]["schema"]["type"] == "string"


def test_page_is_an_integer_from_1_to_500_defaulting_to_1(result: dict[str, Any]) -> None:
    for path in [
        "/3/account/{account_id}/favorite/movies",
        "/3/person/popular",
        "/4/account/{account_object_id}/lists",
    ]:
        schema = params(result, path)["page"]["schema"]
        assert (schema["type"], schema["minimum"], schema["maximum"], schema["default"]) == ("integer", 1, 500, 1)


@pytest.mark.parametrize("path", PAGED_WITHOUT_PAGE + GUEST_RATED)
def test_paged_responses_get_the_page_parameter_they_lacked(result: dict[str, Any], path: str) -> None:
    assert params(result, path)["page"]["schema"]["maximum"] == 500


def test_flags_are_booleans_and_years_integers(result: dict[str, Any]) -> None:
    search = params(result, "/3/search/movie")
    assert search["include_adult"]["schema"] | {"description": ""} == {
        "type": "boolean",
        "default": False,
        "description": "",
    }
    assert search["year"]["schema"]["type"] == "integer" and search["year"]["schema"]["example"] == 2020
    assert search["query"]["required"] is True
    confirm = params(result, "/3/list/{list_id}/clear", "post")["confirm"]
    assert confirm["required"] is True and confirm["schema"] == {
        "type": "boolean",
        "description": confirm["description"],
    }


def test_enums_shared_as_components(result: dict[str, Any]) -> None:
    schemas = result["components"]["schemas"]
    assert schemas["CreatedAtSortOrder"]["enum"] == ["created_at.asc", "created_at.desc"]
    assert schemas["TrendingTimeWindow"]["enum"] == ["day", "week"]
    sort_by = params(result, "/3/account/{account_id}/favorite/movies")["sort_by"]["schema"]
    assert sort_by == {"$ref": "#/components/schemas/CreatedAtSortOrder"}
    window = params(result, "/3/trending/movie/{time_window}")["time_window"]["schema"]
    assert window == {"$ref": "#/components/schemas/TrendingTimeWindow"}
    for path in GUEST_RATED:
        assert params(result, path)["sort_by"]["schema"] == {"$ref": "#/components/schemas/CreatedAtSortOrder"}


def test_recorded_session_ids_are_not_kept_as_examples(result: dict[str, Any]) -> None:
    session = params(result, "/3/account/{account_id}/favorite/movies")["session_id"]
    assert "example" not in session["schema"] and session["schema"]["description"]
    guest = params(result, "/3/movie/{movie_id}/account_states")["guest_session_id"]
    assert "example" not in guest["schema"] and guest["schema"]["description"]


def test_language_has_no_default_so_tmdb_applies_its_own(result: dict[str, Any]) -> None:
    language = params(result, "/4/account/{account_object_id}/movie/rated")["language"]["schema"]
    assert "default" not in language and language["pattern"] == "^[a-z]{2}(-[A-Z]{2})?$"


def test_descriptions_sit_on_the_schema_where_the_generator_reads_them(result: dict[str, Any]) -> None:
    for path, name in [("/3/movie/{movie_id}", "movie_id"), ("/3/movie/{movie_id}/changes", "end_date")]:
        prm = params(result, path)[name]
        assert prm["schema"]["description"] == prm["description"]


def test_find_requires_a_known_external_source(result: dict[str, Any]) -> None:
    source = params(result, "/3/find/{external_id}")["external_source"]
    assert source["required"] is True and "imdb_id" in source["schema"]["enum"]


def test_discover_gets_its_filters(result: dict[str, Any]) -> None:
    movie, tv = params(result, "/3/discover/movie"), params(result, "/3/discover/tv")
    assert {"with_genres", "with_cast", "primary_release_year", "vote_average.gte", "sort_by", "page"} <= set(movie)
    assert {"with_networks", "first_air_date.gte", "include_null_first_air_dates", "sort_by"} <= set(tv)
    assert movie["sort_by"]["schema"]["default"] == "popularity.desc"
    assert movie["vote_average.gte"]["schema"]["type"] == "number"
    assert all(prm["in"] == "query" for prm in [*movie.values(), *tv.values()])
