"""Edges of paging, append parts, dates, retry bounds, buffered bodies and the aiohttp pool's
corrections (mutation testing found them untested, MUTATION.md)."""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from runtime_support import API_KEY
from tmdb_sdk import TMDB, ArgumentError, AsyncTMDB, RetryPolicy, parse_date, parse_datetime
from tmdb_sdk._index import operation
from tmdb_sdk.append import plan
from tmdb_sdk.operations import page_fields
from tmdb_sdk.pagination import check_bounds

POLICY = RetryPolicy(max_attempts=4, backoff_base=0.5, backoff_max=2.0, max_server_delay=30.0, max_total=10.0)


# -- paging ------------------------------------------------------------------------------------------


def test_page_fields_read_models_and_dicts_and_ignore_what_does_not_fit() -> None:
    assert page_fields({"page": 2.0, "total_pages": 7, "results": [1]}) == (2, 7, [1])
    assert page_fields(SimpleNamespace(page=3, total_pages=9.0, results=[2])) == (3, 9, [2])
    assert page_fields({"page": "2", "total_pages": None, "results": "x"}) == (None, None, [])
    assert page_fields(SimpleNamespace()) == (None, None, [])


def page(number: int, total: int, size: int = 2) -> dict[str, Any]:
    results = [{"id": number * 10 + i, "title": f"M{number}.{i}"} for i in range(size)]
    return {"page": number, "total_pages": total, "total_results": total * size, "results": results}


def serve_pages(httpserver: HTTPServer, total: int) -> None:
    for number in range(1, total + 1):
        httpserver.expect_request(
            "/3/movie/popular", query_string={"api_key": API_KEY, "page": str(number)}
        ).respond_with_json(page(number, total))


def test_sync_items_honour_max_pages_and_check_their_bounds(httpserver: HTTPServer, tmdb: TMDB) -> None:
    serve_pages(httpserver, 3)
    assert [m.id for m in tmdb.movie_lists.popular.items(max_pages=1)] == [10, 11]
    assert list(tmdb.movie_lists.popular.items(max_items=0)) == []
    with pytest.raises(ValueError, match="max_pages must be at least 1, got 0"):
        tmdb.movie_lists.popular.items(max_pages=0)
    with pytest.raises(ValueError, match="max_items must not be negative, got -1"):
        tmdb.movie_lists.popular.items(max_items=-1)


async def test_async_items_and_pages_honour_and_check_their_bounds(httpserver: HTTPServer, atmdb: AsyncTMDB) -> None:
    serve_pages(httpserver, 3)
    assert [m.id async for m in atmdb.movie_lists.popular.items(max_pages=1)] == [10, 11]
    assert [m.id async for m in atmdb.movie_lists.popular.items(max_items=3)] == [10, 11, 20]
    with pytest.raises(ValueError, match="max_pages must be at least 1, got 0"):
        atmdb.movie_lists.popular.items(max_pages=0)
    with pytest.raises(ValueError, match="max_items must not be negative, got -1"):
        atmdb.movie_lists.popular.items(max_items=-1)
    with pytest.raises(ValueError, match="max_pages must be at least 1, got 0"):
        atmdb.movie_lists.popular.pages(max_pages=0)


def test_the_last_page_tmdb_serves_can_be_the_first_asked_for() -> None:
    check_bounds(None, 0, 500)
    check_bounds(1, None, 1)
    with pytest.raises(ValueError, match="start_page must be between 1 and 500, got 501"):
        check_bounds(None, None, 501)


def test_operations_and_resources_show_what_they_take(tmdb: TMDB) -> None:
    assert (
        repr(tmdb.movies.details)
        == "<MoviesDetails tmdb.movies.details(movie_id, *, append_to_response=None, language=None)>"
    )
    assert (
        repr(tmdb.collections) == f"<{type(tmdb.collections).__name__} tmdb.collections: details, images, translations>"
    )
    with pytest.raises(AttributeError, match="has no operation 'detials'; did you mean 'details'?"):
        tmdb.movies.detials  # noqa: B018


def test_append_to_response_is_given_once(tmdb: TMDB) -> None:
    with pytest.raises(ArgumentError) as caught:
        tmdb.movies.details.with_appended(550, append=["credits"], append_to_response="images")
    assert str(caught.value) == "movies_details: pass the parts as append=[...] only, not append_to_response too"


def test_append_takes_up_to_twenty_parts_and_names_an_unknown_one() -> None:
    info = operation("movies_details")
    assert plan(info, ["credits"] * 20) == ("credits",) * 20
    with pytest.raises(ArgumentError, match="at most 20 append_to_response parts, got 21"):
        plan(info, ["credits"] * 21)
    with pytest.raises(ArgumentError) as caught:
        plan(info, ["credits", "bogus"])
    assert (
        str(caught.value)
        == f"movies_details: 'bogus' is not a sub-resource of movies; choose from {', '.join(info.append)}"
    )


def test_append_needs_a_list_of_parts_on_a_details_operation() -> None:
    with pytest.raises(ArgumentError) as not_details:
        plan(operation("genres_movie_list"), ["credits"])
    with pytest.raises(ArgumentError) as a_string:
        plan(operation("movies_details"), "credits")
    with pytest.raises(ArgumentError) as nothing:
        plan(operation("movies_details"), [])
    assert [str(e.value) for e in (not_details, a_string, nothing)] == [
        "genres_movie_list: append_to_response works on details operations only",
        "movies_details: append must be a list of names, e.g. ['credits', 'images'], not a string",
        "movies_details: append needs at least one part",
    ]


def test_paging_goes_on_from_the_page_tmdb_says_it_sent(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/popular", query_string={"api_key": API_KEY, "page": "1"}).respond_with_json(
        page(2, 3)
    )
    httpserver.expect_request("/3/movie/popular", query_string={"api_key": API_KEY, "page": "3"}).respond_with_json(
        page(3, 3)
    )
    assert [m.id for m in tmdb.movie_lists.popular.items()] == [20, 21, 30, 31]


def test_dates_of_the_wrong_type_are_named() -> None:
    with pytest.raises(TypeError) as date:
        parse_date(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError) as stamp:
        parse_datetime(5)  # type: ignore[arg-type]
    assert (str(date.value), str(stamp.value)) == ("not a TMDB date (YYYY-MM-DD): 5", "not a TMDB timestamp: 5")


# -- retry bounds ------------------------------------------------------------------------------------


def test_a_wait_that_ends_exactly_at_the_budget_is_taken() -> None:
    patient = RetryPolicy(max_server_delay=30.0, max_total=60.0)
    assert patient.delay_for_status("GET", 429, 30.0, attempt=1, elapsed=0.0, rand=0.5) == 30.0  # at the cap
    assert patient.delay_for_status("GET", 429, 30.5, attempt=1, elapsed=0.0, rand=0.5) is None
    assert POLICY.delay_for_status("GET", 503, None, attempt=1, elapsed=9.8, rand=0.0) is None
    assert POLICY.delay_for_status("GET", 503, None, attempt=1, elapsed=9.75, rand=0.0) == 0.25  # ends at 10.0
    refused = httpx.ConnectError("refused", request=httpx.Request("GET", "http://h/"))
    assert POLICY.delay_for_error("GET", refused, attempt=1, elapsed=9.75, rand=0.0) == 0.25
    assert POLICY.delay_for_error("GET", refused, attempt=1, elapsed=9.8, rand=0.0) is None
    assert POLICY.delay_for_error("GET", refused, attempt=2, elapsed=9.8, rand=1.0) is None


async def test_the_real_async_sleep_is_awaited(httpserver: HTTPServer, base_url: str) -> None:
    httpserver.expect_oneshot_request("/3/movie/1").respond_with_json(
        {"status_code": 25}, status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_request("/3/movie/1").respond_with_json({"id": 1, "title": "x"})
    async with AsyncTMDB(api_key=API_KEY, base_url=base_url) as atmdb:
        assert (await atmdb.movies.details(1)).id == 1
    assert len(httpserver.log) == 2


def test_a_buffered_body_keeps_its_headers(httpserver: HTTPServer, tmdb: TMDB) -> None:
    body = gzip.compress(json.dumps({"id": 1, "title": "zipped"}).encode())
    httpserver.expect_request("/3/movie/1").respond_with_data(
        body, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}
    )
    assert tmdb.movies.details(1).title == "zipped"


class _Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    CHUNKS = (b'{"id": 1, ', b'"title": "in two"}')

    def __iter__(self) -> Iterator[bytes]:
        yield from self.CHUNKS

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.CHUNKS:
            yield chunk


def chunked(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=_Chunks(), extensions={"http_version": b"HTTP/2", "reason_phrase": b"Fine"})


def test_a_body_in_chunks_is_joined_and_the_response_keeps_its_extensions(caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.DEBUG, logger="tmdb_sdk"),
        TMDB(api_key=API_KEY, transport=httpx.MockTransport(chunked)) as tmdb,
    ):
        assert tmdb.movies.details(1).title == "in two"
    assert any('"HTTP/2 200 Fine"' in record.getMessage() for record in caplog.records), caplog.records


async def test_an_async_body_in_chunks_is_joined() -> None:
    async with AsyncTMDB(api_key=API_KEY, transport=httpx.MockTransport(chunked)) as atmdb:
        assert (await atmdb.movies.details(1)).title == "in two"
