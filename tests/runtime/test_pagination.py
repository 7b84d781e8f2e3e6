"""Lazy iteration over paged operations, by item and by page, bounded, sync and async."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from runtime_support import API_KEY
from tmdb_sdk import TMDB, AsyncTMDB
from tmdb_sdk.pagination import next_page
from werkzeug import Request, Response

PATH = "/3/movie/popular"


def page_body(page: int, total_pages: int = 3, per_page: int = 2) -> dict[str, Any]:
    first = (page - 1) * per_page + 1
    results = [{"id": n, "title": f"Movie {n}"} for n in range(first, first + per_page)]
    return {"page": page, "results": results, "total_pages": total_pages, "total_results": total_pages * per_page}


def serve_pages(httpserver: HTTPServer, total_pages: int = 3, path: str = PATH) -> None:
    def handler(request: Request) -> Response:
        assert request.args["api_key"] == API_KEY
        body = page_body(int(request.args["page"]), total_pages)
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(path).respond_with_handler(handler)


def requested_pages(httpserver: HTTPServer) -> list[str]:
    return [request.args["page"] for request, _ in httpserver.log]


def test_three_pages_yield_every_item_once(httpserver: HTTPServer, tmdb: TMDB) -> None:
    serve_pages(httpserver)
    ids = [movie.id for movie in tmdb.movie_lists.popular.items()]
    assert ids == [1, 2, 3, 4, 5, 6]
    assert requested_pages(httpserver) == ["1", "2", "3"]


def test_iteration_is_lazy_and_max_items_stops_early(httpserver: HTTPServer, tmdb: TMDB) -> None:
    serve_pages(httpserver)
    items = tmdb.movie_lists.popular.items(max_items=3, language="en-US")
    assert httpserver.log == []  # nothing fetched before the first next()
    assert [m.id for m in items] == [1, 2, 3]
    assert requested_pages(httpserver) == ["1", "2"]
    assert httpserver.log[0][0].args["language"] == "en-US"


def test_pages_with_max_pages_and_start_page(httpserver: HTTPServer, tmdb: TMDB) -> None:
    serve_pages(httpserver)
    pages = list(tmdb.movie_lists.popular.pages(start_page=2, max_pages=5))
    assert [p.page for p in pages] == [2, 3]
    assert [m.id for m in tmdb.movie_lists.popular.items(max_pages=1)] == [1, 2]


def test_an_empty_page_ends_the_iteration(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request(PATH).respond_with_json({"page": 1, "results": [], "total_pages": 9, "total_results": 0})
    assert list(tmdb.movie_lists.popular.items()) == []
    assert len(httpserver.log) == 1


def test_pagination_never_goes_past_page_500() -> None:
    assert next_page(499, 1000, fetched=1, max_pages=None, got_items=True) == 500
    assert next_page(500, 1000, fetched=2, max_pages=None, got_items=True) is None
    assert next_page(1, None, fetched=1, max_pages=None, got_items=True) is None
    assert next_page(2, 5, fetched=2, max_pages=2, got_items=True) is None


def test_bad_bounds_and_unpaged_operations_are_refused(tmdb: TMDB) -> None:
    with pytest.raises(TypeError, match="movies_details is not a paged operation"):
        tmdb.movies.details.items(550)
    with pytest.raises(ValueError, match="max_pages"):
        tmdb.movie_lists.popular.pages(max_pages=0)
    with pytest.raises(ValueError, match="start_page"):
        tmdb.movie_lists.popular.items(start_page=501)
    assert tmdb.search.movie.paged and not tmdb.movies.details.paged


def test_search_with_required_query(httpserver: HTTPServer, tmdb: TMDB) -> None:
    serve_pages(httpserver, total_pages=2, path="/3/search/movie")
    assert [m.id for m in tmdb.search.movie.items(query="fight")] == [1, 2, 3, 4]
    assert {request.args["query"] for request, _ in httpserver.log} == {"fight"}


async def test_async_three_pages_yield_every_item_once(httpserver: HTTPServer, atmdb: AsyncTMDB) -> None:
    serve_pages(httpserver)
    ids = [movie.id async for movie in atmdb.movie_lists.popular.items()]
    assert ids == [1, 2, 3, 4, 5, 6]
    limited = [m.id async for m in atmdb.movie_lists.popular.items(max_items=1)]
    assert limited == [1]
    pages = [p.page async for p in atmdb.movie_lists.popular.pages(max_pages=2)]
    assert pages == [1, 2]
    with pytest.raises(TypeError):
        atmdb.movies.details.pages(550)
