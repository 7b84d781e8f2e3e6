"""Paging always ends: servers that misbehave (a page number that never advances, a total that grows
forever, pages past 500) get a PaginationError or a clean stop, sync and async, never an endless loop.

Each server counts the requests it answers and refuses to answer more than LIMIT, so a regression fails
with a bounded number of requests instead of hanging the suite.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from tmdb_sdk import TMDB, AsyncTMDB, PaginationError, ResponseParseError, TMDBError
from tmdb_sdk._defaults import MAX_PAGE
from tmdb_sdk.pagination import check_answer, next_page
from werkzeug import Request, Response

PATH = "/3/movie/popular"
LIMIT = 600  # more requests than a correct paginator can ever make (500 pages)


def serve(httpserver: HTTPServer, body: Callable[[int, int], dict[str, Any]]) -> list[int]:
    """Answer PATH with body(requested page, request count); the list records the pages requested."""
    asked: list[int] = []

    def handler(request: Request) -> Response:
        asked.append(int(request.args.get("page", "1")))
        if len(asked) > LIMIT:
            return Response("too many requests: the paginator does not stop", status=418)
        return Response(json.dumps(body(asked[-1], len(asked))), content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(handler)
    return asked


def results(n: int) -> list[dict[str, Any]]:
    return [{"id": n, "title": f"Movie {n}"}]


def always_page_one(page: int, count: int) -> dict[str, Any]:
    return {"page": 1, "results": results(count), "total_pages": 2, "total_results": 2}


def growing_total(page: int, count: int) -> dict[str, Any]:
    return {"page": page, "results": results(page), "total_pages": page + 1, "total_results": 20 * (page + 1)}


def huge_total(page: int, count: int) -> dict[str, Any]:
    return {"page": page, "results": results(page), "total_pages": 99999, "total_results": 1999980}


def test_a_server_that_always_answers_page_one_gets_a_clear_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    asked = serve(httpserver, always_page_one)
    seen: list[int] = []
    with pytest.raises(PaginationError) as caught:
        for movie in tmdb.movie_lists.popular.items():
            seen.append(movie.id)
    assert asked == [1, 2] and seen == [1]  # page 2's answer (a second page 1) is never yielded
    error = caught.value
    assert isinstance(error, TMDBError) and isinstance(error, ResponseParseError)
    assert (error.operation, error.requested, error.answered, error.total_pages) == ("movie_lists_popular", 2, 1, 2)
    assert str(error) == "movie_lists_popular: paging stopped: asked for page 2, the server answered page 1 of 2"


async def test_async_a_server_that_always_answers_page_one_gets_a_clear_error(
    httpserver: HTTPServer, atmdb: AsyncTMDB
) -> None:
    asked = serve(httpserver, always_page_one)
    with pytest.raises(PaginationError, match="asked for page 2, the server answered page 1 of 2"):
        async for _page in atmdb.movie_lists.popular.pages():
            pass
    assert asked == [1, 2]


def test_a_first_page_that_is_not_the_start_page_is_refused(httpserver: HTTPServer, tmdb: TMDB) -> None:
    asked = serve(httpserver, always_page_one)
    with pytest.raises(PaginationError, match="asked for page 3, the server answered page 1 of 2"):
        list(tmdb.movie_lists.popular.pages(start_page=3))
    assert asked == [3]


def test_a_total_that_grows_forever_stops_at_page_500(httpserver: HTTPServer, tmdb: TMDB) -> None:
    asked = serve(httpserver, growing_total)
    pages = [page.page for page in tmdb.movie_lists.popular.pages(start_page=490)]
    assert pages == list(range(490, MAX_PAGE + 1))
    assert asked == pages


async def test_async_a_total_that_grows_forever_stops_at_page_500(httpserver: HTTPServer, atmdb: AsyncTMDB) -> None:
    asked = serve(httpserver, growing_total)
    ids = [movie.id async for movie in atmdb.movie_lists.popular.items(start_page=495)]
    assert ids == list(range(495, MAX_PAGE + 1)) and asked == ids


def test_every_page_from_1_ends_at_500_whatever_total_pages_says(httpserver: HTTPServer, tmdb: TMDB) -> None:
    asked = serve(httpserver, huge_total)
    assert sum(1 for _ in tmdb.movie_lists.popular.items()) == MAX_PAGE
    assert asked == list(range(1, MAX_PAGE + 1))


def test_an_empty_page_stops_even_before_total_pages(httpserver: HTTPServer, tmdb: TMDB) -> None:
    asked = serve(httpserver, lambda page, count: {**huge_total(page, count), "results": results(page) if page < 3 else []})
    assert [movie.id for movie in tmdb.movie_lists.popular.items()] == [1, 2]
    assert asked == [1, 2, 3]


@pytest.mark.parametrize(
    ("page", "total", "max_pages", "expected"),
    [(1, 2, None, 2), (2, 2, None, None), (499, 10**6, None, 500), (500, 10**6, None, None), (3, 10, 3, None)],
)
def test_next_page_rules(page: int, total: int, max_pages: int | None, expected: int | None) -> None:
    assert next_page(page, total, fetched=page, max_pages=max_pages, got_items=True) == expected
    assert next_page(page, total, fetched=page, max_pages=max_pages, got_items=False) is None


def test_check_answer_goes_on_from_an_advancing_page_and_refuses_one_that_does_not() -> None:
    assert check_answer("op", 1, 2, 2, 5) == 2
    assert check_answer("op", 1, 2, None, None) == 2  # no page number: the one asked for
    assert check_answer("op", 1, 2, 4, 5) == 4  # TMDB says it sent page 4: go on from there
    with pytest.raises(PaginationError, match=r"^op: paging stopped: asked for page 2, the server answered page 1$"):
        check_answer("op", 1, 2, 1, None)
    with pytest.raises(PaginationError, match="asked for page 3, the server answered page 2 of 9"):
        check_answer("op", 2, 3, 2, 9)


def test_a_server_that_jumps_back_gets_a_clear_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    asked = serve(httpserver, lambda page, count: {**huge_total(page, count), "page": 5 if page == 1 else 3})
    with pytest.raises(PaginationError, match="asked for page 6, the server answered page 3 of 99999"):
        list(tmdb.movie_lists.popular.items())
    assert asked == [1, 6]
