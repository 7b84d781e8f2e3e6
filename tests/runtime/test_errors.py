"""Error hierarchy, TMDB's status codes in messages, parse errors, and no credential in any text."""

from __future__ import annotations

import logging
import socket
import traceback

import httpx
import pytest
from pytest_httpserver import HTTPServer
from runtime_support import API_KEY, SESSION_ID, FakeClock, assert_no_secret
from tmdb_sdk import (
    TMDB,
    APIError,
    AsyncTMDB,
    AuthenticationError,
    BadRequestError,
    ConnectionError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    RetryPolicy,
    ServerError,
    TimeoutError,
    TMDBError,
    TransportError,
    ValidationError,
)
from tmdb_sdk.errors import error_class, parse_retry_after
from tmdb_sdk.status_codes import STATUS_CODES, describe
from werkzeug import Response


def tmdb_error(code: int, message: str) -> dict[str, object]:
    return {"success": False, "status_code": code, "status_message": message}


@pytest.mark.parametrize(
    ("http_status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, ValidationError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (405, APIError),
    ],
)
def test_each_http_status_has_its_error_class(http_status: int, cls: type[APIError]) -> None:
    assert error_class(http_status) is cls
    assert issubclass(cls, TMDBError)


def test_401_raises_authentication_error_without_the_key(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/550").respond_with_json(
        tmdb_error(7, "Invalid API key: You must be granted a valid key."), status=401
    )
    with pytest.raises(AuthenticationError) as caught:
        tmdb.movies.details(550)
    error = caught.value
    assert (error.http_status, error.status_code, error.operation) == (401, 7, "movies_details")
    assert error.status_message == "Invalid API key: You must be granted a valid key."
    assert "movies_details failed with HTTP 401, TMDB status_code 7: Invalid API key" in str(error)
    assert_no_secret(str(error) + repr(error) + repr(error.args) + "".join(traceback.format_exception(error)))


def test_404_names_the_operation_and_tmdb_code(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/0").respond_with_json(
        tmdb_error(34, "The resource you requested could not be found."), status=404
    )
    with pytest.raises(NotFoundError, match="movies_details failed with HTTP 404, TMDB status_code 34"):
        tmdb.movies.details(0)


def test_a_body_that_is_not_tmdb_json_still_gives_the_status_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_data("<html>Forbidden</html>", status=403)
    with pytest.raises(PermissionDeniedError) as caught:
        tmdb.movies.details(1)
    assert caught.value.status_code is None
    assert str(caught.value) == "movies_details failed with HTTP 403: Forbidden"  # the page's text, markup dropped


def test_message_falls_back_to_the_status_code_catalogue(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json({"status_code": 27}, status=400)
    with pytest.raises(BadRequestError, match="too many append_to_response objects"):
        tmdb.movies.details(1)


def test_status_code_catalogue_matches_tmdb_facts() -> None:
    assert len(STATUS_CODES) == 45
    assert STATUS_CODES[25].http_status == 429
    assert STATUS_CODES[21].http_status == 200
    assert describe(7) == "invalid API key"
    assert describe(999) is None and describe(None) is None


def test_session_id_in_the_url_never_reaches_an_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/5/account_states").respond_with_json(
        tmdb_error(3, f"Authentication failed for session_id={SESSION_ID}"), status=401
    )
    with pytest.raises(AuthenticationError) as caught:
        tmdb.movies.account_states(5, session_id=SESSION_ID)
    assert_no_secret(str(caught.value) + repr(caught.value))


def test_rate_limit_error_carries_retry_after(httpserver: HTTPServer, tmdb: TMDB, fake_clock: FakeClock) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json(
        tmdb_error(25, "Your request count (41) is over the allowed limit of 40."),
        status=429,
        headers={"Retry-After": "3600"},
    )
    with pytest.raises(RateLimitError) as caught:
        tmdb.movies.details(1)
    assert caught.value.retry_after == 3600
    assert "retry after 3600s" in str(caught.value)
    assert fake_clock.sleeps == []  # beyond the cap: no hour-long sleep
    assert len(httpserver.log) == 1


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert parse_retry_after("7", now=0) == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412475.0) == 5.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert parse_retry_after("soon", now=0) is None
    assert parse_retry_after(None, now=0) is None


def test_server_error_after_retries(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json(tmdb_error(11, "Internal error."), status=500)
    with pytest.raises(ServerError) as caught:
        tmdb.movies.details(1)
    assert caught.value.http_status == 500
    assert len(httpserver.log) == RetryPolicy().max_attempts


def test_unparseable_body_is_a_response_parse_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_data("not json", content_type="application/json")
    with pytest.raises(ResponseParseError, match="movies_details: response could not be parsed: .*not JSON"):
        tmdb.movies.details(1)


def test_a_body_of_the_wrong_shape_names_the_operation_and_model(httpserver: HTTPServer, tmdb: TMDB) -> None:
    # `credits.cast` is a list no overlay makes nullable (a nullable one is parsed as a union, see
    # tests/reliability/test_looser_than_docs.py::test_wrongly_typed_nullable_list_is_named).
    body = {"id": 1, "title": "Movie 1", "credits": {"cast": [5]}}
    httpserver.expect_request("/3/movie/1").respond_with_json(body)
    with pytest.raises(ResponseParseError) as caught:
        tmdb.movies.details(1)
    assert caught.value.operation == "movies_details"
    assert "movies_details: response could not be parsed: CastMember: " in str(caught.value)
    assert caught.value.__cause__ is None
    # Told by the generated parsing code (generator/edits/080-parse-errors.yaml), not guessed.
    assert (caught.value.model, caught.value.path) == ("CastMember", ("credits", "cast"))


def test_a_missing_required_field_is_named(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json({"title": "no id"})
    with pytest.raises(ResponseParseError, match=r"MovieDetails\.id: required field is missing") as caught:
        tmdb.movies.details(1)
    assert (caught.value.model, caught.value.field) == ("MovieDetails", "id")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_error_is_retried_then_raised_without_the_key(fake_clock: FakeClock) -> None:
    port = closed_port()
    with (
        TMDB(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}", clock=fake_clock.clock()) as tmdb,
        pytest.raises(ConnectionError) as caught,
    ):
        tmdb.movies.account_states(5, session_id=SESSION_ID)
    assert isinstance(caught.value, OSError)  # also a builtins.ConnectionError
    assert "movies_account_states: ConnectError" in str(caught.value)
    assert len(fake_clock.sleeps) == RetryPolicy().max_attempts - 1
    assert_no_secret(str(caught.value) + repr(caught.value) + "".join(traceback.format_exception(caught.value)))


def test_timeout_is_a_timeout_error_without_the_key(httpserver: HTTPServer, base_url: str) -> None:
    import time

    def slow(_request: object) -> Response:
        time.sleep(0.3)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/3/movie/1").respond_with_handler(slow)
    with (
        TMDB(api_key=API_KEY, base_url=base_url, timeout=0.05, retry=RetryPolicy.none()) as tmdb,
        pytest.raises(TimeoutError) as caught,
    ):
        tmdb.movies.details(1)
    assert isinstance(caught.value, builtins_timeout())
    assert_no_secret(str(caught.value) + repr(caught.value))


def builtins_timeout() -> type[BaseException]:
    import builtins

    return builtins.TimeoutError


def test_httpx_log_lines_are_redacted(httpserver: HTTPServer, tmdb: TMDB, caplog: pytest.LogCaptureFixture) -> None:
    httpserver.expect_request("/3/movie/1/account_states").respond_with_json({"id": 1})
    with caplog.at_level(logging.DEBUG):
        tmdb.movies.account_states(1, session_id=SESSION_ID)
    client_side = [r.getMessage() for r in caplog.records if r.name.startswith(("tmdb_sdk", "httpx", "httpcore"))]
    assert any("HTTP Request: GET" in line and "api_key=***" in line for line in client_side)
    assert_no_secret("\n".join(client_side))


async def test_async_errors_mirror_the_sync_ones(httpserver: HTTPServer, atmdb: AsyncTMDB) -> None:
    httpserver.expect_request("/3/movie/550").respond_with_json(tmdb_error(7, "Invalid API key"), status=401)
    httpserver.expect_request("/3/movie/2").respond_with_data("nope")
    with pytest.raises(AuthenticationError) as caught:
        await atmdb.movies.details(550)
    assert caught.value.operation == "movies_details"
    assert_no_secret(str(caught.value))
    with pytest.raises(ResponseParseError):
        await atmdb.movies.details(2)


async def test_async_connection_error(fake_clock: FakeClock) -> None:
    async with AsyncTMDB(api_key=API_KEY, base_url=f"http://127.0.0.1:{closed_port()}", clock=fake_clock.clock()) as t:
        with pytest.raises(ConnectionError) as caught:
            await t.movies.details(1)
    assert_no_secret(str(caught.value))
    assert len(fake_clock.sleeps) == RetryPolicy().max_attempts - 1


def test_an_error_delivered_with_http_200_is_an_api_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json(
        {"success": False, "status_code": 21, "status_message": "The requested entry was not found."}
    )
    with pytest.raises(APIError) as caught:
        tmdb.movies.details(1)
    assert not isinstance(caught.value, ResponseParseError)
    assert (caught.value.http_status, caught.value.status_code) == (200, 21)
    assert str(caught.value) == (
        "movies_details failed with HTTP 200, TMDB status_code 21: The requested entry was not found."
    )


def test_other_httpx_request_errors_are_transport_errors_without_the_key(base_url: str) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.DecodingError(f"bad gzip for {request.url}", request=request)

    with (
        TMDB(api_key=API_KEY, base_url=base_url, transport=httpx.MockTransport(broken)) as tmdb,
        pytest.raises(TransportError) as caught,
    ):
        tmdb.movies.details(1)
    assert "movies_details: DecodingError" in str(caught.value)
    assert_no_secret(str(caught.value))
