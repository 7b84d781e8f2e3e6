"""The core builds GET requests without httpx.Request's __init__: they must be the requests it builds."""
from __future__ import annotations

import httpx
import pytest
from tmdb_sdk._core import Core, Credentials, Settings
from tmdb_sdk._io import SYNC_IO


def core(**credentials: str) -> Core:
    settings = Settings(credentials=Credentials(**credentials), base_url="https://api.themoviedb.org")
    return Core(settings, httpx.MockTransport(lambda request: httpx.Response(200)), SYNC_IO)


@pytest.mark.parametrize("credentials", [{"api_key": "key-123456"}, {"access_token": "token-123456"}])
@pytest.mark.parametrize("query", [{}, {"language": "de-DE", "page": 2}, {"query": "fight club & more"}])
def test_a_get_request_is_the_one_httpx_would_build(credentials: dict[str, str], query: dict[str, object]) -> None:
    maker = core(**credentials)
    fast = maker.new_request("GET", "/3/movie/550", query, None, None, "movies_details")
    params = {"api_key": credentials["api_key"], **query} if "api_key" in credentials else query
    # What the core passed to httpx.Request before it built GETs itself.
    slow = httpx.Request("GET", "https://api.themoviedb.org/3/movie/550", params=params or None, headers=maker._headers,
                         extensions=fast.extensions)  # fmt: skip
    assert (fast.method, fast.url, fast.headers.raw, fast.extensions) == (slow.method, slow.url, slow.headers.raw,
                                                                          slow.extensions)  # fmt: skip
    assert fast.content == slow.content == b"" and list(fast.stream) == list(slow.stream) == [b""]
    assert fast.headers.raw[0] == (b"Host", b"api.themoviedb.org")


def test_each_get_request_has_its_own_headers() -> None:
    maker = core(api_key="key-123456")
    first = maker.new_request("GET", "/3/movie/1", {}, None, None, "movies_details")
    first.headers["If-None-Match"] = 'W/"x"'
    second = maker.new_request("GET", "/3/movie/1", {}, None, None, "movies_details")
    assert "if-none-match" not in second.headers


def test_other_methods_keep_httpx_s_own_request() -> None:
    post = core(access_token="token-123456").new_request("POST", "/3/list", {}, {"name": "x"}, None, "lists_create")
    assert post.headers["content-length"] == str(len(post.content)) and post.content == b'{"name":"x"}'
