"""with_options() views setting each option alone, sync and async, and image URLs at their edges
(mutation testing found them untested, MUTATION.md)."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from runtime_support import ACCESS_TOKEN, API_KEY, CONFIGURATION, FakeClock
from tmdb_generated.types import UNSET
from tmdb_sdk import TMDB, ArgumentError, AsyncTMDB, ImageConfig, ResponseParseError, RetryPolicy
from tmdb_sdk.client import KEEP
from tmdb_sdk.redact import redact

NEW_KEY = "view-key-0123456789abcdefWXYZ"
NEW_TOKEN = "view-token-0123456789abcdefQRST"


def test_each_option_of_a_view_changes_alone(base_url: str, fake_clock: FakeClock) -> None:
    policy = RetryPolicy(max_attempts=2)
    with TMDB(api_key=API_KEY, access_token=ACCESS_TOKEN, base_url=base_url, clock=fake_clock.clock()) as tmdb:
        key_view = tmdb.with_options(api_key=NEW_KEY)
        token_view = tmdb.with_options(access_token=NEW_TOKEN)
        timeout_view = tmdb.with_options(timeout=1.5)
        retry_view = tmdb.with_options(retry=policy)
        parent = tmdb._settings
    assert (key_view._settings.credentials.api_key, key_view._settings.credentials.access_token) == (
        NEW_KEY,
        ACCESS_TOKEN,
    )
    assert (token_view._settings.credentials.api_key, token_view._settings.credentials.access_token) == (
        API_KEY,
        NEW_TOKEN,
    )
    assert (timeout_view._settings.timeout, timeout_view._settings.credentials) == (1.5, parent.credentials)
    assert (retry_view._settings.retry, retry_view._settings.timeout) == (policy, parent.timeout)
    assert parent.credentials.api_key == API_KEY and parent.timeout != 1.5
    assert redact(f"path /x/{NEW_KEY}/y and {NEW_TOKEN}") == "path /x/***/y and ***"  # new secrets are masked too
    assert repr(KEEP) == "KEEP"


async def test_each_option_of_an_async_view_changes_alone(base_url: str, fake_clock: FakeClock) -> None:
    async with AsyncTMDB(
        api_key=API_KEY, access_token=ACCESS_TOKEN, base_url=base_url, clock=fake_clock.clock()
    ) as tmdb:
        token_view = tmdb.with_options(access_token=NEW_TOKEN)
        timeout_view = tmdb.with_options(timeout=2.5)
        retry_view = tmdb.with_options(retry=None)
        assert token_view._settings.credentials.access_token == NEW_TOKEN
        assert timeout_view._settings.timeout == 2.5
        assert retry_view._settings.retry == RetryPolicy.none()
        assert repr(tmdb).startswith(f"AsyncTMDB(base_url={base_url!r}, credentials=Credentials(")


def test_closing_a_view_leaves_the_pool_to_its_client(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json({"id": 1, "title": "x"})
    view = tmdb.with_options(retry=None)
    view.close()
    assert not tmdb.is_closed and not view.is_closed
    assert tmdb.movies.details(1).id == 1


def test_image_url_defaults_to_the_original_size_and_checks_the_kind(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/configuration").respond_with_json(CONFIGURATION)
    assert tmdb.image_url("/a.jpg") == "https://image.tmdb.org/t/p/original/a.jpg"
    with pytest.raises(ArgumentError, match="'h632' is not offered for poster"):
        tmdb.image_url("/a.jpg", "h632", kind="poster")


async def test_async_image_url_defaults_to_the_original_size_and_checks_the_kind(
    httpserver: HTTPServer, atmdb: AsyncTMDB
) -> None:
    httpserver.expect_request("/3/configuration").respond_with_json(CONFIGURATION)
    assert await atmdb.image_url("/a.jpg") == "https://image.tmdb.org/t/p/original/a.jpg"
    with pytest.raises(ArgumentError, match="'h632' is not offered for poster"):
        await atmdb.image_url("/a.jpg", "h632", kind="poster")


CONFIG = ImageConfig.from_configuration(CONFIGURATION)


def test_paths_that_are_no_image_give_none_and_other_values_are_refused() -> None:
    assert CONFIG.url("") is None and CONFIG.url(UNSET) is None and CONFIG.url(None) is None
    with pytest.raises(ArgumentError) as caught:
        CONFIG.url(7)  # type: ignore[call-overload]
    assert str(caught.value) == "file_path must be a str such as '/abc.jpg', got int"
    assert CONFIG.url("a.jpg", "w500", kind="poster") == "https://image.tmdb.org/t/p/w500/a.jpg"
    assert CONFIG.url("/XYZ.jpg", "w500") == "https://image.tmdb.org/t/p/w500/XYZ.jpg"
    with pytest.raises(ArgumentError) as kind:
        CONFIG.url("/a.jpg", kind="banner")
    assert str(kind.value) == "unknown image kind 'banner'; kinds: backdrop, logo, poster, profile, still"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "field 'images' is missing or not an object"),
        ({"images": []}, "field 'images' is missing or not an object"),
        ({"images": {"secure_base_url": ""}}, "field 'images.secure_base_url' is missing or not a string"),
        ({"images": {"secure_base_url": 5}}, "field 'images.secure_base_url' is missing or not a string"),
        (
            {"images": {"secure_base_url": "https://x/", "poster_sizes": [1]}},
            "field 'images.poster_sizes' is not a list of strings",
        ),
    ],
)
def test_a_bad_configuration_names_its_field(data: object, problem: str) -> None:
    with pytest.raises(ResponseParseError) as caught:
        ImageConfig.from_configuration(data)
    assert caught.value.operation == "configuration_details"
    assert caught.value.problem == problem


def test_the_base_url_ends_with_one_slash() -> None:
    bare = ImageConfig.from_configuration({"images": {"secure_base_url": "https://x/t/p", "poster_sizes": ["w92"]}})
    assert bare.url("/a.jpg", "w92") == "https://x/t/p/w92/a.jpg"
    slashed = ImageConfig.from_configuration({"images": {"secure_base_url": "https://x/t/p/", "poster_sizes": ["w92"]}})
    assert slashed.secure_base_url == "https://x/t/p/"
