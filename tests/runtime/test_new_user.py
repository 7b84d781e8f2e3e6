"""What a new user hit (issue 13), each fixed: errors that name the call, early checks, one meaning for None."""

from __future__ import annotations

import socket

import httpx
import pytest
from pytest_httpserver import HTTPServer
from runtime_support import API_KEY, CONFIGURATION, FakeClock
from tmdb_sdk import (
    TMDB,
    UNSET,
    ArgumentError,
    AsyncTMDB,
    ConfigurationError,
    ConnectionError,
    ImageConfig,
    RetryPolicy,
    TMDBError,
    Unset,
    _defaults,
    parse_date,
    parse_datetime,
)
from tmdb_sdk.client import resolve_settings


def test_argument_errors_name_the_operation_its_parameters_and_the_closest_match(
    httpserver: HTTPServer, tmdb: TMDB
) -> None:
    with pytest.raises(ArgumentError) as caught:
        tmdb.search.movie("fight")
    assert str(caught.value).startswith("tmdb.search.movie(*, query, include_adult=None, ")
    assert "takes 0 positional arguments but 1 were given; pass the others by keyword" in str(caught.value)
    with pytest.raises(ArgumentError, match="unexpected argument 'langauge'; did you mean 'language'"):
        tmdb.movies.details(550, langauge="en")
    with pytest.raises(ArgumentError, match=r"tmdb.search.movie\(\*, query, .*\): missing required argument: query"):
        tmdb.search.movie()
    with pytest.raises(TypeError):  # ArgumentError is also the builtin Python raises for such mistakes
        tmdb.movies.details()
    assert httpserver.log == []


@pytest.mark.parametrize("bad", ["550", 550.0, "fight club", True, None])
def test_ids_are_checked_before_sending(bad: object, httpserver: HTTPServer, tmdb: TMDB) -> None:
    with pytest.raises(ArgumentError, match="movie_id must be an int") as caught:
        tmdb.movies.details(bad)  # type: ignore[arg-type]
    if bad == "550":
        assert "int('550')" in str(caught.value)
    assert httpserver.log == []


def test_string_path_parameters_must_not_be_empty(httpserver: HTTPServer, bearer_tmdb: TMDB) -> None:
    with pytest.raises(ArgumentError, match="account_object_id must be a non-empty str"):
        bearer_tmdb.v4.account.lists("")
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("url", "problem"),
    [("api.themoviedb.org", "needs http:// or https://"), ("https://api.themoviedb.org/3", "ends with the API version"),
     ("https://api.themoviedb.org/4/", "ends with the API version"), ("ftp://x", "needs http")],
)  # fmt: skip
def test_a_wrong_base_url_is_refused_at_construction(url: str, problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        TMDB(api_key=API_KEY, base_url=url)
    with pytest.raises(ConfigurationError, match=problem):
        AsyncTMDB(api_key=API_KEY, base_url=url)
    assert TMDB(api_key=API_KEY, base_url="http://127.0.0.1:9/proxy/tmdb/")._settings.base_url == (
        "http://127.0.0.1:9/proxy/tmdb"
    )


def test_a_connection_error_names_the_host_and_the_attempts(fake_clock: FakeClock) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with (
        TMDB(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}", clock=fake_clock.clock()) as tmdb,
        pytest.raises(ConnectionError) as caught,
    ):
        tmdb.movies.details(1)
    attempts = RetryPolicy().max_attempts
    assert f"talking to 127.0.0.1:{port} ({attempts} attempts)" in str(caught.value)
    assert (caught.value.host, caught.value.attempts) == (f"127.0.0.1:{port}", attempts)


def test_retry_none_means_no_retries_everywhere(base_url: str) -> None:
    sent: list[str] = []

    def busy(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(503, json={"status_code": 9})

    transport = httpx.MockTransport(busy)
    assert resolve_settings(API_KEY, None, None, 1.0, None, None, environ={}).retry == RetryPolicy.none()
    with TMDB(api_key=API_KEY, base_url=base_url, retry=None, transport=transport) as tmdb:
        with pytest.raises(TMDBError):
            tmdb.movies.details(1)
        assert len(sent) == 1
        with pytest.raises(TMDBError):
            tmdb.with_options(retry=None).movies.details(1)
        assert len(sent) == 2
    assert TMDB(api_key=API_KEY)._settings.retry == RetryPolicy()  # left out: the defaults
    assert TMDB(api_key=API_KEY, timeout=None)._settings.timeout is None  # None: no timeout, as in with_options


def test_image_url_and_dates_accept_what_the_models_hold() -> None:
    config = ImageConfig.from_configuration(CONFIGURATION)
    assert config.url(UNSET) is None and config.url(None) is None and config.url("") is None
    assert parse_date(UNSET) is None and parse_datetime(UNSET) is None
    assert isinstance(UNSET, Unset)
    with pytest.raises(ArgumentError, match="file_path must be a str"):
        config.url(5)  # type: ignore[call-overload]


def test_models_and_unset_are_exported() -> None:
    import tmdb_sdk
    from tmdb_sdk.models import MovieDetails

    movie = MovieDetails.from_dict({"id": 550, "title": "Fight Club"})
    assert isinstance(movie.tagline, tmdb_sdk.Unset)
    assert tmdb_sdk.models.MovieDetails is MovieDetails
    assert "MovieDetails" in dir(tmdb_sdk.models)


def test_a_models_repr_shows_only_what_tmdb_sent() -> None:
    from tmdb_sdk.models import MovieDetails

    movie = MovieDetails.from_dict({"id": 550, "title": "Fight Club", "credits": {"id": 550, "cast": []}, "x": 1})
    assert repr(movie) == (
        "MovieDetails(id=550, title='Fight Club', credits_=Credits(id=550, cast=[]), additional_properties={'x': 1})"
    )
    assert "Unset" not in repr(MovieDetails.from_dict({"id": 1, "title": "t"}))


def test_with_appended_parts_are_the_typed_attributes(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/550").respond_with_json(
        {"id": 550, "title": "Fight Club", "credits": {"id": 550, "cast": [], "crew": []}}
    )
    appended = tmdb.movies.details.with_appended(550, append=["credits"])
    assert appended["credits"] is appended.result.credits_
    with pytest.raises(ArgumentError, match="append=\\[...\\] only"):
        tmdb.movies.details.with_appended(550, append=["credits"], append_to_response="images")


def test_every_mistake_a_call_can_make_is_a_tmdb_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/configuration").respond_with_json(CONFIGURATION)
    mistakes = [
        lambda: tmdb.movies.details("x"),
        lambda: tmdb.movies.details(1, nope=1),
        lambda: tmdb.movies.details.items(1),
        lambda: tmdb.movie_lists.popular.pages(max_pages=0),
        lambda: tmdb.movies.details.with_appended(1, append=["casts"]),
        lambda: tmdb.image_url("/a.jpg", "w9999"),
        lambda: tmdb.image_url("/a.jpg", kind="banner"),
        lambda: RetryPolicy(max_attempts=0),
        lambda: tmdb.v4.lists.create(body={"description": "no name"}),
    ]
    for mistake in mistakes:
        with pytest.raises(TMDBError):
            mistake()


def test_defaults_are_stated_once_in_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    from tmdb_sdk import images, retry

    policy = RetryPolicy()
    assert (policy.max_attempts, policy.backoff_base, policy.max_total) == (
        _defaults.RETRY_MAX_ATTEMPTS, _defaults.RETRY_BACKOFF_BASE, _defaults.RETRY_MAX_TOTAL)  # fmt: skip
    assert retry.RETRY_STATUSES is _defaults.RETRY_STATUSES and policy.methods is _defaults.RETRY_METHODS
    assert images.KINDS is _defaults.IMAGE_KINDS
    monkeypatch.setattr(_defaults, "ENV_API_KEY", "MY_TMDB_KEY")
    assert resolve_settings(None, None, None, 1.0, None, None, environ={"MY_TMDB_KEY": "k" * 20}).credentials.api_key
