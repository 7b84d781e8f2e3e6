"""tmdb_sdk.errors: every field and the exact message of each error (mutation testing found the
messages and fields untested, MUTATION.md)."""

from __future__ import annotations

import httpx
import pytest
from tmdb_sdk.errors import (
    APIError,
    ConnectionError,
    NotFoundError,
    RateLimitError,
    ResponseParseError,
    TimeoutError,
    TransportError,
    error_from_response,
    transport_error,
)

NOW = 1_800_000_000.0  # Fri, 15 Jan 2027 08:00:00 GMT


def test_an_api_error_keeps_every_field_and_says_where_it_failed() -> None:
    error = APIError(404, 34, "Not found.", operation="movies_details", method="GET", path="/3/movie/1")
    assert error.args == (404, 34, "Not found.")
    assert (error.http_status, error.status_code, error.status_message) == (404, 34, "Not found.")
    assert (error.operation, error.method, error.path) == ("movies_details", "GET", "/3/movie/1")
    assert str(error) == "movies_details failed with HTTP 404, TMDB status_code 34: Not found."
    assert repr(NotFoundError(404, operation="x")) == "NotFoundError('x failed with HTTP 404')"


def test_without_an_operation_the_request_is_named() -> None:
    assert str(APIError(500, method="GET", path="/3/movie/1")) == "GET /3/movie/1 failed with HTTP 500"
    assert str(APIError(500)) == "request failed with HTTP 500"


def test_a_rate_limit_error_says_how_long_to_wait() -> None:
    error = RateLimitError(429, 25, None, operation="x", retry_after=2.5)
    assert (error.status_code, error.retry_after) == (25, 2.5)
    assert str(error).endswith(" (retry after 2.5s)")
    assert str(error).startswith("x failed with HTTP 429, TMDB status_code 25: ")
    assert str(RateLimitError(429, operation="x")) == "x failed with HTTP 429"


def test_a_parse_error_keeps_the_problem() -> None:
    error = ResponseParseError("movies_details", "field 'id' is not an int", model="MovieDetails", field="id")
    assert error.problem == "field 'id' is not an int"
    assert (error.operation, error.model, error.field, error.path) == ("movies_details", "MovieDetails", "id", ())
    assert str(error) == "movies_details: response could not be parsed: field 'id' is not an int"


def response(status: int, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=body, headers=headers, request=httpx.Request("GET", "https://h/3/movie/1"))


def test_a_429_reads_retry_after_as_seconds_or_as_a_date_from_now() -> None:
    seconds = error_from_response(response(429, b"{}", {"Retry-After": "7"}), NOW, "x")
    dated = error_from_response(response(429, b"{}", {"Retry-After": "Fri, 15 Jan 2027 08:00:03 GMT"}), NOW, "x")
    assert isinstance(seconds, RateLimitError) and isinstance(dated, RateLimitError)
    assert (seconds.retry_after, dated.retry_after) == (7.0, 3.0)
    assert error_from_response(response(429, b"{}"), NOW, "x").retry_after is None  # type: ignore[attr-defined]


def test_only_tmdb_s_own_fields_of_their_own_types_are_kept() -> None:
    error = error_from_response(response(404, b'{"status_code": "34", "status_message": 7}'), NOW, "x")
    assert (error.status_code, error.status_message) == (None, None)
    error = error_from_response(response(404, b'{"status_code": 34, "status_message": "gone"}'), NOW, "x")
    assert (error.status_code, error.status_message, error.method, error.path) == (34, "gone", "GET", "/3/movie/1")


@pytest.mark.parametrize(
    ("failure", "cls"),
    [
        (httpx.ConnectError, ConnectionError),
        (httpx.ReadTimeout, TimeoutError),
        (httpx.UnsupportedProtocol, TransportError),
    ],
)
def test_a_transport_error_names_the_operation_host_attempts_and_cause(
    failure: type[Exception], cls: type[Exception]
) -> None:
    request = httpx.Request("GET", "http://127.0.0.1:8123/3/movie/1")
    error = transport_error(failure("refused"), request, "movies_details")  # type: ignore[arg-type]
    assert type(error) is cls
    assert str(error) == f"movies_details: {failure.__name__} talking to 127.0.0.1:8123 (1 attempt): refused"
    assert (error.host, error.attempts) == ("127.0.0.1:8123", 1)


def test_a_transport_error_counts_the_attempts_and_names_a_request_without_an_operation() -> None:
    request = httpx.Request("GET", "https://api.themoviedb.org/3/movie/1", extensions={"tmdb_attempts": 3})
    error = transport_error(httpx.ReadError(""), request, None)
    assert str(error) == "GET /3/movie/1: ReadError talking to api.themoviedb.org (3 attempts): no detail"
    assert (error.host, error.attempts) == ("api.themoviedb.org", 3)
    two = httpx.Request("GET", "https://h/x", extensions={"tmdb_attempts": 2})
    assert "(2 attempts)" in str(transport_error(httpx.ReadError("x"), two, None))
