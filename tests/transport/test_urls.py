"""UrlMaker builds the very URL httpx builds from `base + path` and `params=`."""

from __future__ import annotations

import httpx
import pytest
from tmdb_sdk._urls import UrlMaker

BASES = ["https://api.themoviedb.org", "http://127.0.0.1:8080", "http://proxy.test/tmdb/", "http://[::1]:9000"]
PATHS = [
    "/3/movie/550",
    "/3/search/movie",
    "/3/tv/1399/season/1/episode/2",
    "/4/list/7%2F8",
    "/3/find/tt%20x",
    "/3/movie/a b",  # not in normal form: httpx normalises it
    "/3/movie/../configuration",
    "/3/movie/%zz",
    "/3/movie/550?language=de",  # a query in the path is merged with params, as httpx does
    "/3/movie/é",
]
PARAMS = [
    None,
    {},
    {"query": "Fight Club & more/+é~*", "page": 2},
    {"include_adult": False, "with_genres": True, "year": 1999.5, "region": None},
    {"with_people": ["287", "819"], "api_key": "k"},
]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("params", PARAMS)
def test_same_url_as_httpx(base, path, params):
    expected = httpx.URL(base.rstrip("/") + path, params=params or None)
    got = UrlMaker(base.rstrip("/"))(path, params)
    assert str(got) == str(expected)
    assert (got.raw_path, got.host, got.port, got.scheme) == (
        expected.raw_path,
        expected.host,
        expected.port,
        expected.scheme,
    )
    assert httpx.Request("GET", got).url == expected
