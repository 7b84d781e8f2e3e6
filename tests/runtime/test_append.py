"""append_to_response on details operations: one request, appended parts parsed into their models."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from runtime_support import API_KEY
from tmdb_sdk import TMDB, AsyncTMDB, ResponseParseError
from tmdb_sdk._index import operation


def model_of(tag: str, action: str) -> type[Any]:
    """The model the sub-resource's own operation returns."""
    model = operation(f"{tag}_{action}").result_class()
    assert model is not None
    return model


MOVIE = {
    "id": 550,
    "title": "Fight Club",
    "credits": {"id": 550, "cast": [{"id": 819, "name": "Edward Norton", "character": "Narrator"}], "crew": []},
    "images": {"id": 550, "backdrops": [], "logos": [], "posters": [{"file_path": "/p.jpg", "width": 500}]},
    "watch/providers": {"id": 550, "results": {}},
}


def test_parts_are_requested_in_one_call_and_parsed_with_their_models(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request(
        "/3/movie/550",
        query_string={"language": "en-US", "api_key": API_KEY, "append_to_response": "credits,images,watch/providers"},
    ).respond_with_json(MOVIE)
    appended = tmdb.movies.details.with_appended(550, append=["credits", "images", "watch/providers"], language="en-US")
    assert appended.result.title == "Fight Club"
    credits = appended["credits"]
    assert isinstance(credits, model_of("movies", "credits"))
    assert credits.cast[0].name == "Edward Norton"
    assert isinstance(appended["images"], model_of("movies", "images"))
    assert appended["images"].posters[0].file_path == "/p.jpg"
    assert isinstance(appended["watch/providers"], model_of("movies", "watch_providers"))
    assert list(appended) == ["credits", "images", "watch/providers"]
    assert len(httpserver.log) == 1


def test_other_details_operations_use_their_own_sub_resources(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/person/287").respond_with_json(
        {"id": 287, "name": "Brad Pitt", "external_ids": {"id": 287, "imdb_id": "nm0000093"}}
    )
    appended = tmdb.people.details.with_appended(287, append=["external_ids"])
    assert isinstance(appended["external_ids"], model_of("people", "external_ids"))
    assert appended["external_ids"].imdb_id == "nm0000093"
    assert httpserver.log[0][0].args["append_to_response"] == "external_ids"


def test_bad_parts_are_refused_before_any_request(httpserver: HTTPServer, tmdb: TMDB) -> None:
    with pytest.raises(ValueError, match="'casts' is not a sub-resource of movies; choose from .*credits"):
        tmdb.movies.details.with_appended(550, append=["casts"])
    with pytest.raises(ValueError, match="at most 20"):
        tmdb.movies.details.with_appended(550, append=["credits"] * 21)
    with pytest.raises(TypeError, match="list of names"):
        tmdb.movies.details.with_appended(550, append="credits")
    with pytest.raises(TypeError, match="details operations only"):
        tmdb.movies.credits.with_appended(550, append=["images"])
    assert httpserver.log == []


def test_a_part_missing_from_the_response_is_a_parse_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/tv/1399").respond_with_json({"id": 1399, "name": "Game of Thrones"})
    with pytest.raises(ResponseParseError, match="tv_series_details: .*'videos' is missing"):
        tmdb.tv_series.details.with_appended(1399, append=["videos"])


def test_the_extra_parameter_does_not_leak_into_later_calls(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/550").respond_with_json(MOVIE)
    tmdb.movies.details.with_appended(550, append=["credits"])
    tmdb.movies.details(550)
    assert "append_to_response" not in httpserver.log[1][0].args


async def test_async_with_appended(httpserver: HTTPServer, atmdb: AsyncTMDB) -> None:
    httpserver.expect_request("/3/tv/1399/season/1").respond_with_json(
        {"id": 1, "season_number": 1, "credits": {"id": 1, "cast": [], "crew": []}}
    )
    appended = await atmdb.tv_seasons.details.with_appended(1399, 1, append=["credits"])
    assert isinstance(appended["credits"], model_of("tv_seasons", "credits"))
    assert httpserver.log[0][0].args["append_to_response"] == "credits"


def test_the_plain_details_call_accepts_a_list(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/550").respond_with_json(MOVIE)
    movie = tmdb.movies.details(550, append_to_response=["credits", "images"])
    assert httpserver.log[0][0].args["append_to_response"] == "credits,images"
    assert movie.credits_.cast[0].name == "Edward Norton"


SEASON = {
    "_id": "5256c89f19c2956ff6046d47",
    "id": 3624,
    "season_number": 1,
    "episodes": [{"id": 63056, "episode_number": 1, "name": "Winter Is Coming"}],
    "credits": {"id": 3624, "cast": [{"id": 22970, "name": "Peter Dinklage", "character": "Tyrion"}], "crew": []},
    "images": {"id": 3624, "posters": [{"file_path": "/s1.jpg", "width": 1000}]},
}
EPISODE = {
    "id": 63056,
    "episode_number": 1,
    "season_number": 1,
    "name": "Winter Is Coming",
    "external_ids": {"id": 63056, "imdb_id": "tt1480055", "tvdb_id": 3254641},
    "images": {"id": 63056, "stills": [{"file_path": "/e1.jpg", "width": 1920}]},
}


def test_season_details_with_appended_credits_and_images(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request(
        "/3/tv/1399/season/1", query_string={"api_key": API_KEY, "append_to_response": "credits,images"}
    ).respond_with_json(SEASON)
    appended = tmdb.tv_seasons.details.with_appended(1399, 1, append=["credits", "images"])
    assert appended.result.episodes[0].name == "Winter Is Coming"
    assert isinstance(appended["credits"], model_of("tv_seasons", "credits"))
    assert appended["credits"].cast[0].name == "Peter Dinklage"
    assert isinstance(appended["images"], model_of("tv_seasons", "images"))
    assert appended["images"].posters[0].file_path == "/s1.jpg"


def test_season_details_plain_call_declares_the_appended_parts(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/tv/1399/season/1").respond_with_json(SEASON)
    season = tmdb.tv_seasons.details(1399, 1, append_to_response=["credits", "images"])
    assert httpserver.log[0][0].args["append_to_response"] == "credits,images"
    assert isinstance(season.credits_, model_of("tv_seasons", "credits"))
    assert season.images.posters[0].width == 1000
    assert "credits" not in season.additional_properties


def test_episode_details_with_appended_external_ids_and_images(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request(
        "/3/tv/1399/season/1/episode/1", query_string={"api_key": API_KEY, "append_to_response": "external_ids,images"}
    ).respond_with_json(EPISODE)
    appended = tmdb.tv_episodes.details.with_appended(1399, 1, 1, append=["external_ids", "images"])
    assert appended.result.name == "Winter Is Coming"
    assert isinstance(appended["external_ids"], model_of("tv_episodes", "external_ids"))
    assert appended["external_ids"].imdb_id == "tt1480055"
    assert isinstance(appended["images"], model_of("tv_episodes", "images"))
    assert appended["images"].stills[0].file_path == "/e1.jpg"
    episode = tmdb.tv_episodes.details(1399, 1, 1, append_to_response=["external_ids", "images"])
    assert episode.external_ids.tvdb_id == 3254641


def test_a_part_episodes_do_not_have_is_refused(httpserver: HTTPServer, tmdb: TMDB) -> None:
    with pytest.raises(ValueError, match="'aggregate_credits' is not a sub-resource of tv_episodes"):
        tmdb.tv_episodes.details.with_appended(1399, 1, 1, append=["aggregate_credits"])
    assert httpserver.log == []
