"""The three classes of real responses that issue 11 saw fail, each as TMDB sends it (hand-written from
the shapes other TMDB clients report), through the generated function, TMDB and AsyncTMDB.

1. Closed enums on response fields. `media_type` carries kinds the docs never list ("episode",
   "tv_episode", "season", "tv_season", "collection"), and Gender, ReleaseType and EpisodeGroupType
   are code lists TMDB can extend. Where: every response that holds a movie, series, person, credit,
   review, tagged image, release date or episode group (68 operations; 21 uses of the four enums).
2. Status bodies without `success`: deleting a rating, a list or a list item answers
   `{"status_code": 13, "status_message": ...}`. Where: every write operation (StatusResponse:
   15 operations; 31 return a body with status fields) and every error body (all 173 operations).
3. Mixed-kind lists holding a kind their union does not know. Where: multi search, trending all
   and people, known_for of every person list, combined credits, tagged images, credit details,
   find, v3 and v4 list details (13 operations; 8 unions).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tmdb_generated.models import (
    Error,
    MediaPage,
    MovieSummary,
    OtherMedia,
    PersonSummary,
    StatusResponse,
    TaggedImagePage,
    TvSeriesSummary,
    V4ListDetails,
)
from tmdb_generated.types import UNSET

from tests.reliability import runtime_api as rt
from tests.reliability import spec_index
from tests.tolerance.calls import Callers, as_json, callers, minimal_body

SPEC = spec_index.load_spec()
BY_ID = {op.operation_id: op for op in spec_index.operations()}


@pytest.fixture(scope="module")
def call() -> Iterator[Callers]:
    with callers() as three:
        yield three


def through_all(call: Callers, operation_id: str, body: Any) -> list[Any]:
    """The body as the generated function, TMDB and AsyncTMDB return it; each gives the body back unchanged."""
    op = BY_ID[operation_id]
    request = {"body": minimal_body(SPEC, op.body_schema)} if op.body_schema else {}
    results = call.all_three(op, body, request)
    assert [as_json(result) for result in results] == [body] * 3
    return results


# -- class 1: closed enums on response fields ----------------------------------------------------------

EPISODE_STILL = {  # a person tagged in an episode's still, as TMDB sent it in 2021: the media has no media_type
    "aspect_ratio": 1.777777777777778,
    "file_path": "/zOfyeSOWa5SPPs82lszeNrMUzH9.jpg",
    "height": 1080,
    "id": "574e9546c3a3687ff1001ba0",
    "iso_639_1": None,
    "vote_average": 0.0,
    "vote_count": 0,
    "width": 1920,
    "image_type": "still",
    "media": {
        "air_date": "2016-05-31",
        "episode_number": 1,
        "id": 1196876,
        "name": "Jimmy Fallon & Miley Cyrus",
        "overview": "Maya Rudolph and Martin Short star with special guests.",
        "production_code": "",
        "season_number": 1,
        "show_id": 66623,
        "still_path": "/4pNDfeyqkqkOhTmebvg46aoqaxP.jpg",
        "vote_average": 0.0,
        "vote_count": 0,
    },
    "media_type": "episode",
}
TV_EPISODE_STILL = {  # ... and now: the image and its media both say tv_episode
    **EPISODE_STILL,
    "id": "5f8b2e5c1b1f3c0036a1c2d4",
    "media_type": "tv_episode",
    "media": {**EPISODE_STILL["media"], "episode_type": "standard", "runtime": 44, "media_type": "tv_episode"},
}
SEASON_POSTER = {
    "aspect_ratio": 0.667,
    "file_path": "/9Jmd1OumCjaXDkpllbSGi2EpJvl.jpg",
    "height": 3000,
    "id": "5bd0a0b6c3a36828f500c5e9",
    "iso_639_1": "en",
    "vote_average": 5.312,
    "vote_count": 1,
    "width": 2000,
    "image_type": "poster",
    "media": {
        "_id": "5256c89f19c2956ff6046d47",
        "air_date": "2011-04-17",
        "id": 3624,
        "name": "Season 1",
        "overview": "",
        "poster_path": "/wgfKiqzuMrFIkU1M68DDDY8kGC1.jpg",
        "season_number": 1,
        "vote_average": 8.3,
        "media_type": "tv_season",
    },
    "media_type": "tv_season",
}
MOVIE_STILL = {
    **SEASON_POSTER,
    "id": "58d2b8a4c3a36838a70000e6",
    "image_type": "backdrop",
    "media": {"id": 550, "title": "Fight Club", "original_title": "Fight Club", "media_type": "movie", "video": False},
    "media_type": "movie",
}


def test_tagged_images_of_episodes_and_seasons(call: Callers) -> None:
    body = {"id": 31, "page": 1, "results": [EPISODE_STILL, TV_EPISODE_STILL, SEASON_POSTER, MOVIE_STILL],
            "total_pages": 1, "total_results": 4}  # fmt: skip
    for page in through_all(call, "people_tagged_images", body):
        assert isinstance(page, TaggedImagePage)
        kinds = [image.media_type for image in page.results]
        assert kinds == ["episode", "tv_episode", "tv_season", "movie"]  # kept as TMDB sent them
        episode, tv_episode, season, movie = (image.media for image in page.results)
        assert isinstance(tv_episode, OtherMedia) and tv_episode["show_id"] == 66623
        assert isinstance(season, OtherMedia) and season.media_type == "tv_season" and season["name"] == "Season 1"
        assert isinstance(movie, MovieSummary) and movie.title == "Fight Club"
        # without a media_type of its own, the episode is tried in order: it has a name, as a series does
        assert isinstance(episode, TvSeriesSummary) and episode["show_id"] == 66623


@pytest.mark.parametrize(
    ("operation_id", "body", "read"),
    [
        pytest.param(
            "movies_credits",
            {
                "id": 550,
                "cast": [
                    {"id": 819, "name": "Edward Norton", "gender": 2, "known_for_department": "Acting"},
                    {"id": 1, "name": "Someone", "gender": 5},
                ],
                "crew": [],
            },
            lambda result: [member.gender for member in result.cast],
            id="a gender code TMDB adds",
        ),
        pytest.param(
            "movies_release_dates",
            {
                "id": 550,
                "results": [
                    {
                        "iso_3166_1": "US",
                        "release_dates": [
                            {
                                "certification": "R",
                                "descriptors": [],
                                "iso_639_1": "",
                                "note": "",
                                "release_date": "1999-10-15T00:00:00.000Z",
                                "type": 3,
                            },
                            {
                                "certification": "",
                                "descriptors": [],
                                "iso_639_1": "",
                                "note": "Festival",
                                "release_date": "1999-09-10T00:00:00.000Z",
                                "type": 9,
                            },
                        ],
                    }
                ],
            },
            lambda result: [date.type_ for date in result.results[0].release_dates],
            id="a release type TMDB adds",
        ),
        pytest.param(
            "tv_episode_groups_details",
            {
                "id": "5acf93e60e0a26346d0000ce",
                "name": "Story arcs",
                "type": 8,
                "episode_count": 0,
                "group_count": 0,
                "network": None,
                "groups": [],
            },
            lambda result: [result.type_],
            id="an episode group type TMDB adds",
        ),
    ],
)
def test_codes_tmdb_adds_are_kept_as_plain_values(call: Callers, operation_id: str, body: Any, read: Any) -> None:
    for result in through_all(call, operation_id, body):
        values = read(result)
        assert values[-1] in (5, 9, 8) and all(type(value) is int for value in values)


# -- class 2: status bodies ----------------------------------------------------------------------------

DELETED = {"status_code": 13, "status_message": "The item/record was deleted successfully."}
STATUS_OPERATIONS = [
    op.operation_id for op in BY_ID.values() if op.success_schema == {"$ref": "#/components/schemas/StatusResponse"}
]


@pytest.mark.parametrize("operation_id", STATUS_OPERATIONS)
def test_a_status_body_without_success_parses(call: Callers, operation_id: str) -> None:
    body = DELETED if BY_ID[operation_id].method == "delete" or "remove" in operation_id else {
        "status_code": 12, "status_message": "The item/record was updated successfully."}  # fmt: skip
    for status in through_all(call, operation_id, body):
        assert isinstance(status, StatusResponse)
        assert status.success is UNSET and status.status_code == body["status_code"]


def test_an_error_body_without_success_is_tmdbs_error(call: Callers) -> None:
    error = Error.from_dict({"status_code": 34, "status_message": "The resource you requested could not be found."})
    assert error.success is UNSET and error.to_dict() == {"status_code": 34, "status_message": error.status_message}
    assert Error.from_dict({"errors": ["page must be less than or equal to 500"]}).to_dict() == {
        "errors": ["page must be less than or equal to 500"]
    }
    call.state.update(status=404, body=b'{"status_code": 34, "status_message": "The resource could not be found."}')
    with pytest.raises(rt.NotFoundError) as caught:
        rt.movie_details(call.sync)
    assert caught.value.status_code == 34


# -- class 3: mixed-kind lists with a kind the union does not know -------------------------------------

MOVIE = {"adult": False, "backdrop_path": "/hZkgoQYus5vegHoetLkCJzb17zJ.jpg", "id": 550, "title": "Fight Club",
         "original_language": "en", "original_title": "Fight Club", "overview": "A ticking-time-bomb insomniac...",
         "poster_path": "/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg", "media_type": "movie", "genre_ids": [18],
         "popularity": 61.416, "release_date": "1999-10-15", "video": False, "vote_average": 8.433, "vote_count": 26280}  # fmt: skip
SERIES = {"adult": False, "backdrop_path": None, "id": 1399, "name": "Game of Thrones", "original_language": "en",
          "original_name": "Game of Thrones", "overview": "Seven noble families...", "poster_path": None,
          "media_type": "tv", "genre_ids": [10765, 18], "popularity": 1.5, "first_air_date": "2011-04-17",
          "vote_average": 8.4, "vote_count": 21000, "origin_country": ["US"]}  # fmt: skip
PERSON = {"adult": False, "id": 287, "name": "Brad Pitt", "original_name": "Brad Pitt", "media_type": "person",
          "popularity": 20.1, "gender": 2, "known_for_department": "Acting", "profile_path": "/cckcYc2v0yh1tc9QjRelptcOBko.jpg",
          "known_for": [MOVIE, {**SERIES, "media_type": "tv"}]}  # fmt: skip
COLLECTION = {"adult": False, "backdrop_path": "/zZ9Zc4iKRpl6H2K5TqEMx9RDzPm.jpg", "id": 10,
              "name": "Star Wars Collection", "original_language": "en", "original_name": "Star Wars Collection",
              "overview": "An epic space-opera theatrical film series.", "poster_path": "/r8Ph5MYXL04Qzu4QBbq2KjqwtkQ.jpg",
              "media_type": "collection"}  # fmt: skip


def test_multi_search_with_a_collection(call: Callers) -> None:
    body = {"page": 1, "results": [MOVIE, COLLECTION, SERIES, PERSON], "total_pages": 1, "total_results": 4}
    for page in through_all(call, "search_multi", body):
        assert isinstance(page, MediaPage)
        assert [type(item) for item in page.results] == [MovieSummary, OtherMedia, TvSeriesSummary, PersonSummary]
        collection = page.results[1]
        assert isinstance(collection, OtherMedia)
        assert (collection.id, collection.media_type, collection["name"]) == (10, "collection", "Star Wars Collection")
        assert collection.to_dict() == COLLECTION


def test_trending_all_and_known_for_with_seasons(call: Callers) -> None:
    season = {"id": 3624, "name": "Season 1", "season_number": 1, "media_type": "tv_season", "show_id": 1399}
    person = {**PERSON, "known_for": [MOVIE, season]}
    body = {"page": 1, "results": [season, person], "total_pages": 1, "total_results": 2}
    for page in through_all(call, "trending_all", body):
        first, second = page.results
        assert isinstance(first, OtherMedia) and isinstance(second, PersonSummary)
        assert [type(item) for item in second.known_for] == [MovieSummary, OtherMedia]


def test_v4_list_with_a_collection(call: Callers) -> None:
    body = {"id": 8192, "name": "Saga", "public": True, "page": 1, "total_pages": 1, "total_results": 3,
            "results": [MOVIE, COLLECTION, SERIES], "comments": {"movie:550": None, "collection:10": "all of it"},
            "object_ids": {"movie:550": "4bc88b5b017a3c0f26000048"}}  # fmt: skip
    for details in through_all(call, "v4_lists_details", body):
        assert isinstance(details, V4ListDetails)
        assert [type(item) for item in details.results] == [MovieSummary, OtherMedia, TvSeriesSummary]


def test_combined_credits_with_an_unknown_kind(call: Callers) -> None:
    movie_credit = {**MOVIE, "character": "Tyler Durden", "credit_id": "52fe4250c3a36847f80149f3", "order": 1}
    odd = {"id": 99, "media_type": "tv_special", "name": "A special", "character": "Himself", "credit_id": "5a"}
    body = {"id": 287, "cast": [movie_credit, odd], "crew": [odd]}
    for credits in through_all(call, "people_combined_credits", body):
        assert [type(item).__name__ for item in credits.cast] == ["PersonMovieCast", "OtherMedia"]
        assert credits.crew[0].to_dict() == odd


def test_an_item_of_a_known_kind_that_does_not_fit_is_not_hidden_in_the_fallback(call: Callers) -> None:
    """A movie without its id is a broken movie, not another kind: the call says which field, as for any page."""
    body = {"page": 1, "results": [{"title": "no id", "media_type": "movie"}], "total_pages": 1, "total_results": 1}
    call.serve(BY_ID["search_multi"], body)
    with pytest.raises(rt.ResponseError) as caught:
        call.via_tmdb(BY_ID["search_multi"], {})
    assert "id" in str(caught.value)
