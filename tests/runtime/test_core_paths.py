"""The call path's less travelled roads: request() by path, bodies, suggestions, empty and non-JSON
bodies, TMDB's errors sent with HTTP 200, Unset arguments, reprs (mutation testing found them
untested, MUTATION.md)."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from runtime_support import ACCESS_TOKEN, API_KEY, FakeClock
from tmdb_generated.models.v4_lists_create_body import V4ListsCreateBody
from tmdb_generated.types import UNSET
from tmdb_sdk import TMDB, APIError, ArgumentError, AsyncTMDB, NotFoundError, ResponseParseError


def test_request_by_path_sends_method_params_and_body_and_returns_the_json(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request(
        "/3/movie/550", method="GET", query_string={"api_key": API_KEY, "language": "de"}
    ).respond_with_json({"id": 550})
    httpserver.expect_request("/3/list/1/add_item", method="POST", json={"media_id": 5}).respond_with_json({"ok": 1})
    httpserver.expect_request("/3/empty").respond_with_data(b"", status=200)
    assert tmdb.request("GET", "/3/movie/550", params={"language": "de"}) == {"id": 550}
    assert tmdb.request("POST", "/3/list/1/add_item", json={"media_id": 5}) == {"ok": 1}
    assert tmdb.request("GET", "/3/empty") is None


def test_request_errors_name_the_operation_given_or_the_request(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/missing").respond_with_json({"status_code": 34, "status_message": "gone"}, status=404)
    httpserver.expect_request("/3/text").respond_with_data("<html>", status=200)
    with pytest.raises(NotFoundError) as named:
        tmdb.request("GET", "/3/missing", operation="my_lookup")
    assert str(named.value) == "my_lookup failed with HTTP 404, TMDB status_code 34: gone"
    with pytest.raises(NotFoundError) as unnamed:
        tmdb.request("GET", "/3/missing")
    assert str(unnamed.value) == "GET /3/missing failed with HTTP 404, TMDB status_code 34: gone"
    with pytest.raises(ResponseParseError) as not_json:
        tmdb.request("GET", "/3/text")
    assert str(not_json.value) == (
        "GET /3/text: response could not be parsed: body is not JSON (Expecting value at position 0)"
    )


async def test_async_request_by_path(httpserver: HTTPServer, atmdb: AsyncTMDB) -> None:
    httpserver.expect_request(
        "/3/list/1/add_item", method="POST", query_string={"api_key": API_KEY, "x": "1"}, json={"media_id": 5}
    ).respond_with_json({"ok": 1})
    httpserver.expect_request("/3/missing").respond_with_json({"status_code": 34}, status=404)
    assert await atmdb.request("POST", "/3/list/1/add_item", params={"x": 1}, json={"media_id": 5}) == {"ok": 1}
    with pytest.raises(NotFoundError, match="^mine failed with HTTP 404"):
        await atmdb.request("GET", "/3/missing", operation="mine")


def test_an_empty_body_where_a_model_is_expected_is_a_parse_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_data(b"", status=200)
    with pytest.raises(ResponseParseError) as caught:
        tmdb.movies.details(1)
    assert (
        str(caught.value) == "movies_details: response could not be parsed: MovieDetails: the body is empty, not JSON"
    )
    assert caught.value.operation == "movies_details"


def test_a_body_is_a_model_or_a_dict(httpserver: HTTPServer, bearer_tmdb: TMDB) -> None:
    created = {"id": 9, "success": True, "status_code": 1, "status_message": "ok"}
    httpserver.expect_request("/4/list", method="POST", json={"name": "x", "iso_639_1": "en"}).respond_with_json(
        created, status=201
    )
    assert bearer_tmdb.v4.lists.create(body=V4ListsCreateBody(name="x", iso_639_1="en")).id == 9
    with pytest.raises(ArgumentError) as caught:
        bearer_tmdb.v4.lists.create(body=7)
    assert str(caught.value) == "tmdb.v4.lists.create(*, body): body must be a V4ListsCreateBody or a dict, got int"


def test_an_unknown_argument_is_named_with_the_closest_known_one(tmdb: TMDB) -> None:
    with pytest.raises(ArgumentError) as close:
        tmdb.movies.details(550, languag="de")
    assert str(close.value) == (
        "tmdb.movies.details(movie_id, *, append_to_response=None, language=None): "
        "unexpected argument 'languag'; did you mean 'language'?"
    )
    with pytest.raises(ArgumentError) as far:
        tmdb.movies.details(550, zzz=1)
    assert str(far.value).endswith("unexpected argument 'zzz'")


def test_unset_is_left_out_and_false_is_sent(httpserver: HTTPServer, tmdb: TMDB) -> None:
    page = {"page": 1, "total_pages": 1, "total_results": 0, "results": []}
    httpserver.expect_request(
        "/3/search/movie", query_string={"api_key": API_KEY, "query": "q", "include_adult": "false"}
    ).respond_with_json(page)
    assert tmdb.search.movie(query="q", include_adult=False, language=UNSET).page == 1


def test_tmdb_errors_sent_with_http_200_need_success_false_and_an_int_code(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_json(
        {"success": False, "status_code": 34, "status_message": 5}
    )
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_json({"status_code": 34, "status_message": "x"})
    with pytest.raises(APIError) as sent_as_200:
        tmdb.movies.details(1)
    assert (type(sent_as_200.value), sent_as_200.value.http_status, sent_as_200.value.status_code) == (
        APIError,
        200,
        34,
    )
    assert sent_as_200.value.status_message is None
    with pytest.raises(ResponseParseError):
        tmdb.movies.details(1)  # no `success: false`: a body that does not fit, not an error of TMDB's


def test_the_client_repr_masks_both_credentials(base_url: str, fake_clock: FakeClock) -> None:
    with TMDB(api_key=API_KEY, access_token=ACCESS_TOKEN, base_url=base_url, clock=fake_clock.clock()) as tmdb:
        text = repr(tmdb)
    assert text.startswith(f"TMDB(base_url={base_url!r}, credentials=Credentials(api_key='***', ")
    assert "access_token='***')" in text
