"""Sign-in flows against answers that do not fit: each error names the flow's operation and the field
(mutation testing found these untested, MUTATION.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from tmdb_sdk import AccessToken, APIError, AsyncTMDB, RequestToken, ResponseParseError, Session
from tmdb_sdk.flows import GuestSession, authenticate_url

TOKEN = "reqtok-0123456789abcdefXYZW"
# flow method, its arguments, the operation, its path and method, the field it reads
FLOWS = [
    (
        "create_request_token",
        (),
        "authentication_create_request_token",
        "/3/authentication/token/new",
        "GET",
        "request_token",
    ),
    (
        "validate_with_login",
        (TOKEN, "jane", "pw"),
        "authentication_validate_with_login",
        "/3/authentication/token/validate_with_login",
        "POST",
        "request_token",
    ),
    (
        "create_session",
        (TOKEN,),
        "authentication_create_session",
        "/3/authentication/session/new",
        "POST",
        "session_id",
    ),
    (
        "create_guest_session",
        (),
        "authentication_create_guest_session",
        "/3/authentication/guest_session/new",
        "GET",
        "guest_session_id",
    ),
    (
        "create_session_from_v4_token",
        ("user-token",),
        "authentication_create_session_from_v4_token",
        "/3/authentication/session/convert/4",
        "POST",
        "session_id",
    ),
    ("create_v4_request_token", (), "v4_auth_create_request_token", "/4/auth/request_token", "POST", "request_token"),
    ("create_access_token", (TOKEN,), "v4_auth_create_access_token", "/4/auth/access_token", "POST", "access_token"),
]
IDS = [flow[0] for flow in FLOWS]


async def call(client: AsyncTMDB, flow: str, args: tuple[Any, ...]) -> Any:
    return await getattr(client.auth, flow)(*args)


@pytest.mark.parametrize(("flow", "args", "operation", "path", "method", "field"), FLOWS, ids=IDS)
async def test_a_missing_field_names_the_operation_and_the_field(
    httpserver: HTTPServer, bearer_atmdb: AsyncTMDB, flow: str, args: tuple[Any, ...], operation: str, path: str,
    method: str, field: str,
) -> None:  # fmt: skip
    httpserver.expect_request(path, method=method).respond_with_json({"success": True, "account_id": "a"})
    with pytest.raises(ResponseParseError) as caught:
        await call(bearer_atmdb, flow, args)
    assert (caught.value.operation, caught.value.problem) == (operation, f"field {field!r} is missing or not a string")


@pytest.mark.parametrize(("flow", "args", "operation", "path", "method", "field"), FLOWS, ids=IDS)
async def test_success_false_is_an_api_error_of_the_operation(
    httpserver: HTTPServer, bearer_atmdb: AsyncTMDB, flow: str, args: tuple[Any, ...], operation: str, path: str,
    method: str, field: str,
) -> None:  # fmt: skip
    httpserver.expect_request(path, method=method).respond_with_json(
        {"success": False, "status_code": 17, "status_message": "Session denied."}
    )
    with pytest.raises(APIError) as caught:
        await call(bearer_atmdb, flow, args)
    error = caught.value
    assert (error.http_status, error.status_code, error.status_message, error.operation) == (
        200,
        17,
        "Session denied.",
        operation,
    )


async def test_a_body_that_is_no_object_is_named(httpserver: HTTPServer, atmdb: AsyncTMDB) -> None:
    httpserver.expect_request("/3/authentication/token/new").respond_with_json(["no", "object"])
    with pytest.raises(ResponseParseError) as caught:
        await atmdb.auth.create_request_token()
    assert (caught.value.operation, caught.value.problem) == (
        "authentication_create_request_token",
        "body is not a JSON object",
    )


@pytest.mark.parametrize(
    ("flow", "args", "operation", "path", "method"),
    [
        ("create_request_token", (), "authentication_create_request_token", "/3/authentication/token/new", "GET"),
        (
            "validate_with_login",
            (TOKEN, "jane", "pw"),
            "authentication_validate_with_login",
            "/3/authentication/token/validate_with_login",
            "POST",
        ),
        (
            "create_guest_session",
            (),
            "authentication_create_guest_session",
            "/3/authentication/guest_session/new",
            "GET",
        ),
    ],
)
async def test_expiry_is_read_and_a_bad_one_named(
    httpserver: HTTPServer, atmdb: AsyncTMDB, flow: str, args: tuple[Any, ...], operation: str, path: str, method: str
) -> None:
    good = {
        "success": True,
        "request_token": TOKEN,
        "guest_session_id": "guest-0123456789",
        "expires_at": "2024-12-26 14:43:54 UTC",
    }
    httpserver.expect_oneshot_request(path, method=method).respond_with_json(good)
    httpserver.expect_oneshot_request(path, method=method).respond_with_json(good | {"expires_at": "someday"})
    result = await call(atmdb, flow, args)
    assert result.expires_at == datetime(2024, 12, 26, 14, 43, 54, tzinfo=UTC)
    with pytest.raises(ResponseParseError) as caught:
        await call(atmdb, flow, args)
    assert caught.value.operation == operation
    assert caught.value.problem.startswith("field 'expires_at': ")


async def test_a_v4_request_token_sends_redirect_to_only_when_given(
    httpserver: HTTPServer, bearer_atmdb: AsyncTMDB
) -> None:
    httpserver.expect_oneshot_request("/4/auth/request_token", method="POST", json={}).respond_with_json(
        {"success": True, "request_token": TOKEN}
    )
    httpserver.expect_oneshot_request(
        "/4/auth/request_token", method="POST", json={"redirect_to": "https://app/done"}
    ).respond_with_json({"success": True, "request_token": TOKEN})
    assert (await bearer_atmdb.auth.create_v4_request_token()).request_token == TOKEN
    assert (await bearer_atmdb.auth.create_v4_request_token("https://app/done")).request_token == TOKEN


async def test_an_account_id_sent_as_a_number_is_text_and_a_boolean_is_refused(
    httpserver: HTTPServer, bearer_atmdb: AsyncTMDB
) -> None:
    httpserver.expect_oneshot_request("/4/auth/access_token", method="POST").respond_with_json(
        {"success": True, "access_token": "user-token-0123456789", "account_id": 42}
    )
    httpserver.expect_oneshot_request("/4/auth/access_token", method="POST").respond_with_json(
        {"success": True, "access_token": "user-token-0123456789", "account_id": True}
    )
    assert (await bearer_atmdb.auth.create_access_token(TOKEN)).account_id == "42"
    with pytest.raises(ResponseParseError, match="field 'account_id' is missing or not a string"):
        await bearer_atmdb.auth.create_access_token(TOKEN)


async def test_a_missing_account_id_names_the_operation(httpserver: HTTPServer, bearer_atmdb: AsyncTMDB) -> None:
    httpserver.expect_request("/4/auth/access_token", method="POST").respond_with_json(
        {"success": True, "access_token": "user-token-0123456789"}
    )
    with pytest.raises(ResponseParseError) as caught:
        await bearer_atmdb.auth.create_access_token(TOKEN)
    assert (caught.value.operation, caught.value.problem) == (
        "v4_auth_create_access_token",
        "field 'account_id' is missing or not a string",
    )


def test_reprs_mask_the_secrets() -> None:
    assert repr(RequestToken(TOKEN)) == "RequestToken(request_token='***', expires_at=None)"
    assert repr(Session("session-0123456789abcdEFGH")) == "Session(session_id='***')"
    assert repr(GuestSession("guest-0123456789abcdIJKL")) == "GuestSession(guest_session_id='***', expires_at=None)"
    assert (
        repr(AccessToken("user-token-0123456789MNOP", "acc")) == "AccessToken(access_token='***', account_id='acc')"
    )


def test_the_authenticate_url_quotes_the_whole_token() -> None:
    assert authenticate_url("a/b?c") == "https://www.themoviedb.org/authenticate/a%2Fb%3Fc"
