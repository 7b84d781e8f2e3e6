"""Image URLs from /3/configuration: fetched once, cached, sizes checked."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from pytest_httpserver import HTTPServer
from runtime_support import CONFIGURATION
from tmdb_sdk import TMDB, AsyncTMDB, ImageConfig, ResponseParseError

CONFIG = ImageConfig.from_configuration(CONFIGURATION)


def test_url_is_base_plus_size_plus_path() -> None:
    assert CONFIG.url("/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg", "w500", kind="poster") == (
        "https://image.tmdb.org/t/p/w500/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg"
    )
    assert CONFIG.url("/a.jpg") == "https://image.tmdb.org/t/p/original/a.jpg"
    assert CONFIG.url("/face.jpg", "h632") == "https://image.tmdb.org/t/p/h632/face.jpg"


def test_a_missing_path_gives_none() -> None:
    assert CONFIG.url(None, "w500", kind="poster") is None


def test_sizes_are_checked_against_the_configured_lists() -> None:
    with pytest.raises(ValueError, match="'h632' is not offered for poster; sizes: w92, w154"):
        CONFIG.url("/a.jpg", "h632", kind="poster")
    with pytest.raises(ValueError, match="'w9999' is not offered for any kind"):
        CONFIG.url("/a.jpg", "w9999")
    with pytest.raises(ValueError, match="unknown image kind 'banner'"):
        CONFIG.url("/a.jpg", "original", kind="banner")


def test_svg_logos_exist_only_at_original() -> None:
    assert CONFIG.url("/logo.svg", "original", kind="logo") == "https://image.tmdb.org/t/p/original/logo.svg"
    with pytest.raises(ValueError, match="SVG"):
        CONFIG.url("/logo.svg", "w92", kind="logo")


def test_a_broken_configuration_names_the_field() -> None:
    with pytest.raises(ResponseParseError, match="images.secure_base_url"):
        ImageConfig.from_configuration({"images": {"base_url": "x"}})
    with pytest.raises(ResponseParseError, match="images.poster_sizes"):
        ImageConfig.from_configuration({"images": {"secure_base_url": "https://x/", "poster_sizes": "w92"}})
    with pytest.raises(ResponseParseError, match="'images'"):
        ImageConfig.from_configuration([])


def test_configuration_is_fetched_once_and_shared_with_views(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/configuration").respond_with_json(CONFIGURATION)
    assert tmdb.image_url("/p.jpg", "w185", kind="poster") == "https://image.tmdb.org/t/p/w185/p.jpg"
    assert tmdb.image_url(None) is None
    assert tmdb.with_options(retry=None).image_config() is tmdb.image_config()
    assert len(httpserver.log) == 1


def test_concurrent_first_uses_fetch_once(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/configuration").respond_with_json(CONFIGURATION)
    with ThreadPoolExecutor(max_workers=8) as pool:
        configs = list(pool.map(lambda _: tmdb.image_config(), range(16)))
    assert all(c is configs[0] for c in configs)
    assert len(httpserver.log) == 1


async def test_async_configuration_is_fetched_once(httpserver: HTTPServer, atmdb: AsyncTMDB) -> None:
    httpserver.expect_request("/3/configuration").respond_with_json(CONFIGURATION)
    urls = await asyncio.gather(*(atmdb.image_url("/p.jpg", "w92", kind="poster") for _ in range(10)))
    assert set(urls) == {"https://image.tmdb.org/t/p/w92/p.jpg"}
    assert len(httpserver.log) == 1
