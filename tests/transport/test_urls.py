"""UrlMaker builds the very URL httpx builds from `base + path` and `params=`."""

from __future__ import annotations

import httpx
import pytest
from tmdb_sdk._urls import UrlMaker

BASES = [
    "https://api.themoviedb.org",
    "http://127.0.0.1:8080",
    "http://proxy.test/tmdb/",
    "http://proxy.test/BOX",
    "http://[::1]:9000",
]
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


def test_a_path_in_normal_form_is_joined_to_the_base_parsed_once(monkeypatch):
    # What UrlMaker is for: no httpx.URL parse per call (~40% of building a request) when the path
    # is already in normal form; any other path is left to httpx.URL, parsed as usual.
    maker = UrlMaker("https://api.themoviedb.org")
    parsed: list[object] = []
    parse = httpx.URL.__init__

    def counting(self: httpx.URL, *args: object, **kwargs: object) -> None:
        parsed.append(args[0] if args else kwargs.get("url"))
        parse(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx.URL, "__init__", counting)
    for path in ("/3/movie/550", "/4/list/7%2F8", "/3/tv/1399/season/1"):
        assert str(maker(path, {"language": "de"})) == f"https://api.themoviedb.org{path}?language=de"
    assert parsed == []
    assert str(maker("/3/movie/a b")) == "https://api.themoviedb.org/3/movie/a%20b"
    assert str(maker("3/movie")) == "https://api.themoviedb.org3/movie"  # as httpx reads base + path
    assert parsed == ["https://api.themoviedb.org/3/movie/a b", "https://api.themoviedb.org3/movie"]


@pytest.mark.parametrize("params", PARAMS)
def test_a_base_url_with_a_query_is_left_to_httpx(params):
    base = "http://proxy.test/tmdb?key=1"
    assert str(UrlMaker(base)("/3/movie/550", params)) == str(httpx.URL(base + "/3/movie/550", params=params or None))


def test_a_tuple_repeats_its_key_as_a_list_does():
    url = UrlMaker("https://api.themoviedb.org")("/3/discover/movie", {"with_genres": ("28", 12), "page": 1})
    assert str(url) == "https://api.themoviedb.org/3/discover/movie?with_genres=28&with_genres=12&page=1"
    assert url == httpx.URL(
        "https://api.themoviedb.org/3/discover/movie", params={"with_genres": ("28", 12), "page": 1}
    )
