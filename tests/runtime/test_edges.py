"""The edges a service hits on its first day (issue 22): plain http://, arguments of the wrong type, min_ttl
typos, what an APIError carries, closed clients and what repr shows."""

from __future__ import annotations

import copy
import pickle
import ssl
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from runtime_support import ACCESS_TOKEN, API_KEY, SESSION_ID, assert_no_secret
from tmdb_sdk import (
    TMDB,
    APIError,
    AsyncTMDB,
    ClientClosedError,
    ConfigurationError,
    NotFoundError,
    RetryPolicy,
    ServerError,
    TMDBError,
)
from tmdb_sdk._checks import RULES
from tmdb_sdk.cache import Cache
from tmdb_sdk.testing import FakeTMDB

# -- plain http:// only to this machine ------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://example.com", "http://api.themoviedb.org", "http://10.0.0.1:8080",
                                 "http://[2001:db8::1]", "http://127.example.com", "http://localhost.evil.test"])
def test_plain_http_to_another_host_is_refused_naming_the_argument(url: str) -> None:
    with pytest.raises(ConfigurationError, match="allow_insecure_http=True") as caught:
        TMDB(api_key=API_KEY, base_url=url)
    assert "base_url" in str(caught.value) and "unencrypted" in str(caught.value)
    with pytest.raises(ConfigurationError, match="allow_insecure_http"):
        AsyncTMDB(api_key=API_KEY, base_url=url)


def test_plain_http_from_the_environment_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMDB_BASE_URL", "http://tmdb.internal.example")
    with pytest.raises(ConfigurationError, match="base_url 'http://tmdb.internal.example'"):
        TMDB(api_key=API_KEY)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9", "http://127.1.2.3", "http://[::1]:9", "http://localhost:9",
                                 "http://LOCALHOST", "https://example.com"])
def test_loopback_and_https_are_taken(url: str) -> None:
    with TMDB(api_key=API_KEY, base_url=url) as tmdb:
        assert tmdb._settings.base_url == url


def test_allow_insecure_http_takes_any_host() -> None:
    with TMDB(api_key=API_KEY, base_url="http://example.com", allow_insecure_http=True) as tmdb:
        assert tmdb._settings.base_url == "http://example.com"


# -- arguments checked when given --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"retry": 3}, "retry= takes tmdb_sdk.RetryPolicy, or None (no retries), got int 3"),
        ({"timeout": "5"}, "timeout= takes float seconds, an httpx.Timeout or None (no timeout), got str '5'"),
        ({"timeout": True}, "timeout= takes float seconds"),  # a bool is no number of seconds
        ({"api_key": 12345678}, "api_key= takes str (your API key) or None, got int"),
        ({"access_token": b"token-bytes"}, "access_token= takes str"),
        ({"base_url": 8080}, "base_url= takes str"),
        ({"proxy": 1}, "proxy= takes str"),
        ({"verify": "yes"}, "verify= takes True, False or an ssl.SSLContext, got str 'yes'"),
        ({"transport": object()}, "transport= takes an httpx transport"),
        ({"clock": 1.0}, "clock= takes tmdb_sdk.retry.Clock"),
        ({"language": 7}, "language= takes str"),
        ({"region": ["DE"]}, "region= takes str"),
        ({"watch_region": 1}, "watch_region= takes str"),
        ({"include_image_language": 1}, "include_image_language= takes str"),
        ({"headers": [("X-A", "1")]}, "headers= takes a mapping"),
        ({"extra_query": "a=1"}, "extra_query= takes a mapping"),
        ({"allow_insecure_http": "yes"}, "allow_insecure_http= takes bool"),
    ],
)
def test_a_constructor_argument_of_the_wrong_type_is_named(arguments: dict[str, Any], named: str) -> None:
    for cls in (TMDB, AsyncTMDB):
        with pytest.raises(ConfigurationError) as caught:
            cls(**{"api_key": API_KEY, **arguments})
        assert named in str(caught.value)


def test_secret_arguments_of_the_wrong_type_never_show_their_value() -> None:
    with pytest.raises(ConfigurationError) as caught:
        TMDB(access_token=b"bytes-token-0123456789")  # type: ignore[arg-type]
    assert "bytes-token" not in str(caught.value) and "got bytes" in str(caught.value)


def test_the_right_types_are_taken() -> None:
    with TMDB(api_key=API_KEY, timeout=httpx.Timeout(5), retry=None, verify=ssl.create_default_context(),
              headers={"X-A": "1"}, extra_query={"a": 1}, language="de-DE") as tmdb:
        assert tmdb._settings.timeout == httpx.Timeout(5)
    with TMDB(api_key=API_KEY, timeout=3) as tmdb, tmdb.with_options(timeout=None, retry=RetryPolicy()):
        pass


@pytest.mark.parametrize(
    ("arguments", "named"),
    [({"retry": 3}, "retry= takes"), ({"timeout": "5"}, "timeout= takes"), ({"api_key": 1}, "api_key= takes"),
     ({"headers": "X-A: 1"}, "headers= takes"), ({"language": 1}, "language= takes")],
)
def test_with_options_checks_its_arguments_too(arguments: dict[str, Any], named: str) -> None:
    with TMDB(api_key=API_KEY) as tmdb, pytest.raises(ConfigurationError, match=named):
        tmdb.with_options(**arguments)


def test_every_constructor_argument_is_in_the_table_or_checked_where_it_is_used() -> None:
    import inspect

    checked_elsewhere = {"self", "cache", "rate_limit", "hooks", "tracer_provider"}  # layers / Hooks / OTel
    for cls in (TMDB, AsyncTMDB):
        names = set(inspect.signature(cls.__init__).parameters) - checked_elsewhere
        assert names <= set(RULES), names - set(RULES)


# -- min_ttl keys against the index -------------------------------------------------------------------


def test_a_min_ttl_typo_is_refused_with_a_did_you_mean() -> None:
    with pytest.raises(ConfigurationError, match=r"'genre' is no operationId or resource.*did you mean 'genres'\?"):
        Cache(min_ttl={"genre": 60})
    with pytest.raises(ConfigurationError, match="did you mean 'movies_details'"):
        Cache(min_ttl={"movie_details": 60})
    with pytest.raises(ConfigurationError, match="takes seconds"):
        Cache(min_ttl={"genres": "60"})


def test_min_ttl_takes_operation_ids_resources_and_tags() -> None:
    from tmdb_sdk.cache.rules import SUGGESTED_MIN_TTL

    Cache(min_ttl={"genres": 60, "movies_details": 600, "configuration_details": 1, "movie_lists": 5,
                   "v4_lists": 5, "lists": 5})
    Cache(min_ttl=SUGGESTED_MIN_TTL)


# -- APIError carries the response --------------------------------------------------------------------

CDN_PAGE = """<!DOCTYPE html><html><head><title>500 Internal Server Error</title>
<style>body { color: red }</style></head><body><h1>500 Internal Server Error</h1>
<p>The server encountered an internal error.</p><hr><center>cloudflare</center></body></html>"""


def test_a_cdn_html_page_gives_a_useful_message_and_the_response(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/3/movie/550").respond_with_data(
        CDN_PAGE, status=500, headers={"Content-Type": "text/html", "CF-Ray": "8a1b2c3d"}
    )
    with TMDB(api_key=API_KEY, base_url=httpserver.url_for("/").rstrip("/"), retry=None) as tmdb, \
            pytest.raises(ServerError) as caught:
        tmdb.with_options(extra_query={"session_id": SESSION_ID}).movies.details(550, language="de")
    error = caught.value
    assert str(error).startswith("movies_details failed with HTTP 500: 500 Internal Server Error 500 Internal Server")
    assert "<" not in str(error) and "color: red" not in str(error) and len(str(error)) < 300
    assert error.http_status == 500 and error.status_code is None
    assert error.headers["cf-ray"] == "8a1b2c3d" and error.headers["Content-Type"] == "text/html"
    assert error.body == CDN_PAGE
    assert error.method == "GET"
    assert error.url is not None and error.url.startswith(httpserver.url_for("/3/movie/550"))
    assert "language=de" in error.url and "api_key=***" in error.url and "session_id=***" in error.url
    assert_no_secret(" ".join([error.url, repr(error), str(error), error.body or "", str(dict(error.headers))]))


def test_the_body_of_an_error_is_masked_and_bounded(httpserver: HTTPServer) -> None:
    from tmdb_sdk.errors import BODY_LIMIT

    echoed = f'{{"status_code": 7, "status_message": "Invalid API key: api_key={API_KEY}", "pad": "{"x" * BODY_LIMIT}"}}'
    httpserver.expect_request("/3/movie/1").respond_with_data(echoed, status=401, content_type="application/json")
    with TMDB(api_key=API_KEY, base_url=httpserver.url_for("/").rstrip("/")) as tmdb, \
            pytest.raises(APIError) as caught:
        tmdb.movies.details(1)
    assert caught.value.body is not None and len(caught.value.body) <= BODY_LIMIT
    assert API_KEY not in caught.value.body and "api_key=***" in caught.value.body
    assert str(caught.value) == "movies_details failed with HTTP 401, TMDB status_code 7: Invalid API key: api_key=***"


def test_a_bearer_call_error_carries_no_token(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/4/list/1").respond_with_json({"status_code": 34, "status_message": "nope"}, status=404)
    with TMDB(access_token=ACCESS_TOKEN, base_url=httpserver.url_for("/").rstrip("/")) as tmdb, \
            pytest.raises(NotFoundError) as caught:
        tmdb.v4.lists.details(1)
    assert caught.value.url == httpserver.url_for("/4/list/1") and caught.value.method == "GET"
    assert_no_secret(repr(caught.value.__dict__))


def test_a_secret_in_the_path_is_masked_in_the_error_url(httpserver: HTTPServer) -> None:
    guest = "guest-never-registered-0123456789"  # never given to a client: only the path template can mask it
    httpserver.expect_request(f"/3/guest_session/{guest}/rated/movies").respond_with_json(
        {"status_code": 3, "status_message": "Authentication failed"}, status=401
    )
    with TMDB(api_key=API_KEY, base_url=httpserver.url_for("/").rstrip("/")) as tmdb, \
            pytest.raises(APIError) as caught:
        tmdb.guest_sessions.rated_movies(guest)
    assert caught.value.url == httpserver.url_for("/3/guest_session/***/rated/movies") + "?api_key=***"
    assert guest not in repr(caught.value.__dict__)


def test_an_api_error_with_its_response_survives_pickle_and_copy(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/3/movie/2").respond_with_json(
        {"status_code": 25, "status_message": "slow down"}, status=429, headers={"Retry-After": "3"}
    )
    with TMDB(api_key=API_KEY, base_url=httpserver.url_for("/").rstrip("/"), retry=None) as tmdb, \
            pytest.raises(APIError) as caught:
        tmdb.movies.details(2)
    for copied in (pickle.loads(pickle.dumps(caught.value)), copy.deepcopy(caught.value)):
        assert type(copied) is type(caught.value) and str(copied) == str(caught.value)
        assert copied.headers["retry-after"] == "3" and copied.body == caught.value.body
        assert copied.url == caught.value.url and copied.retry_after == 3.0  # type: ignore[attr-defined]


# -- a closed client ----------------------------------------------------------------------------------


def test_a_closed_client_and_its_views_refuse_calls() -> None:
    with FakeTMDB() as fake:
        tmdb = fake.client()
        view = tmdb.with_options(language="de-DE")
        tmdb.movies.details(550)
        tmdb.close()
        for call in (lambda: tmdb.movies.details(550), lambda: view.movies.details(550),
                     lambda: tmdb.request("GET", "/3/movie/550"), lambda: tmdb.with_raw_response.movies.details(550),
                     lambda: list(tmdb.movie_lists.popular.items(max_items=1)),
                     lambda: tmdb.with_options(retry=None).genres.movie_list()):
            with pytest.raises(ClientClosedError, match="the client was closed") as caught:
                call()
            assert isinstance(caught.value, TMDBError) and isinstance(caught.value, RuntimeError)
        assert len(fake.requests) == 1  # nothing reached the server after close()


async def test_a_closed_async_client_and_its_views_refuse_calls() -> None:
    with FakeTMDB() as fake:
        async with fake.async_client() as tmdb:
            view = tmdb.with_options(region="DE")
            await tmdb.movies.details(550)
        with pytest.raises(ClientClosedError, match="movies_details: the client was closed"):
            await tmdb.movies.details(550)
        with pytest.raises(ClientClosedError):
            await view.movies.details(550)
        with pytest.raises(ClientClosedError):
            await tmdb.request("GET", "/3/movie/550")
        assert len(fake.requests) == 1


def test_closing_a_view_leaves_the_client_usable() -> None:
    with FakeTMDB() as fake, fake.client() as tmdb:
        tmdb.with_options(language="de").close()
        assert tmdb.movies.details(550).title


# -- repr as the README says ---------------------------------------------------------------------------


def test_repr_replaces_the_secrets_by_three_stars() -> None:
    # README: "`repr(tmdb)`, error messages and httpx's log lines never show the API key, a bearer token or a
    # session id: they are replaced by `***`."
    key, token = "0123456789abcdef0123456789abcdef", "eyJhbGciOiJIUzI1NiJ9.payload.signature-WXYZ"
    with TMDB(api_key=key, access_token=token) as tmdb:
        text = repr(tmdb)
    assert "credentials=Credentials(api_key='***', access_token='***')" in text
    assert "cdef" not in text and "WXYZ" not in text
