"""The v3 and v4 user authentication flows, end to end against the local server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from runtime_support import ACCESS_TOKEN, API_KEY, SESSION_ID, assert_no_secret
from tmdb_sdk import (
    TMDB,
    AccessToken,
    APIError,
    AsyncTMDB,
    AuthenticationError,
    ConfigurationError,
    RequestToken,
    ResponseParseError,
    Session,
)

REQUEST_TOKEN = "reqtok-SECRET-0123456789abcdef"
USER_TOKEN = "user-access-token-SECRET-0123456789"


def serve_v3(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/3/authentication/token/new", method="GET").respond_with_json(
        {"success": True, "expires_at": "2024-12-26 14:43:54 UTC", "request_token": REQUEST_TOKEN}
    )
    httpserver.expect_request(
        "/3/authentication/token/validate_with_login",
        method="POST",
        json={"username": "jane", "password": "pw", "request_token": REQUEST_TOKEN},
    ).respond_with_json({"success": True, "expires_at": "2024-12-26 14:43:54 UTC", "request_token": REQUEST_TOKEN})
    httpserver.expect_request(
        "/3/authentication/session/new", method="POST", json={"request_token": REQUEST_TOKEN}
    ).respond_with_json({"success": True, "session_id": SESSION_ID})
    httpserver.expect_request(
        "/3/authentication/session", method="DELETE", json={"session_id": SESSION_ID}
    ).respond_with_json({"success": True})
    httpserver.expect_request("/3/authentication/guest_session/new").respond_with_json(
        {"success": True, "guest_session_id": "guest-0123456789", "expires_at": "2024-12-27 14:43:54 UTC"}
    )
    httpserver.expect_request(
        "/3/authentication/session/convert/4", method="POST", json={"access_token": USER_TOKEN}
    ).respond_with_json({"success": True, "session_id": SESSION_ID})


def serve_v4(httpserver: HTTPServer) -> None:
    auth = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
    httpserver.expect_request(
        "/4/auth/request_token", method="POST", headers=auth, json={"redirect_to": "https://app.example/done"}
    ).respond_with_json({"success": True, "status_code": 1, "request_token": REQUEST_TOKEN})
    httpserver.expect_request(
        "/4/auth/access_token", method="POST", headers=auth, json={"request_token": REQUEST_TOKEN}
    ).respond_with_json({"success": True, "access_token": USER_TOKEN, "account_id": "4bc889XXXXXX"})
    httpserver.expect_request(
        "/4/auth/access_token", method="DELETE", headers=auth, json={"access_token": USER_TOKEN}
    ).respond_with_json({"success": True, "status_code": 1})


def test_v3_user_flow(httpserver: HTTPServer, tmdb: TMDB) -> None:
    serve_v3(httpserver)
    token = tmdb.auth.create_request_token()
    assert token.expires_at == datetime(2024, 12, 26, 14, 43, 54, tzinfo=UTC)
    assert tmdb.auth.authenticate_url(token) == f"https://www.themoviedb.org/authenticate/{REQUEST_TOKEN}"
    assert tmdb.auth.authenticate_url(token, redirect_to="https://app.example/done?x=1") == (
        f"https://www.themoviedb.org/authenticate/{REQUEST_TOKEN}?redirect_to=https%3A%2F%2Fapp.example%2Fdone%3Fx%3D1"
    )
    session = tmdb.auth.create_session(token)
    assert session == Session(SESSION_ID)
    tmdb.auth.delete_session(session)
    assert [r.args.get("api_key") for r, _ in httpserver.log] == [API_KEY] * 3


def test_v3_login_guest_and_conversion(httpserver: HTTPServer, tmdb: TMDB) -> None:
    serve_v3(httpserver)
    validated = tmdb.auth.validate_with_login(REQUEST_TOKEN, "jane", "pw")
    assert validated.request_token == REQUEST_TOKEN
    guest = tmdb.auth.create_guest_session()
    assert guest.guest_session_id == "guest-0123456789"
    assert guest.expires_at == datetime(2024, 12, 27, 14, 43, 54, tzinfo=UTC)
    assert tmdb.auth.create_session_from_v4_token(AccessToken(USER_TOKEN, "4bc889XXXXXX")).session_id == SESSION_ID


def test_v4_user_flow(httpserver: HTTPServer, bearer_tmdb: TMDB) -> None:
    serve_v4(httpserver)
    token = bearer_tmdb.auth.create_v4_request_token(redirect_to="https://app.example/done")
    assert token.expires_at is None
    assert bearer_tmdb.auth.approve_url(token) == (
        f"https://www.themoviedb.org/auth/access?request_token={REQUEST_TOKEN}"
    )
    access = bearer_tmdb.auth.create_access_token(token)
    assert (access.access_token, access.account_id) == (USER_TOKEN, "4bc889XXXXXX")
    bearer_tmdb.auth.logout(access)
    user = bearer_tmdb.with_options(access_token=access.access_token)
    assert user._settings.credentials.access_token == USER_TOKEN


def test_v4_flow_needs_a_bearer_token(httpserver: HTTPServer, tmdb: TMDB) -> None:
    with pytest.raises(ConfigurationError, match="bearer"):
        tmdb.auth.create_v4_request_token()
    assert httpserver.log == []


def test_flow_results_do_not_show_their_secrets() -> None:
    text = repr(RequestToken(REQUEST_TOKEN)) + repr(Session(SESSION_ID)) + repr(AccessToken(USER_TOKEN, "acc"))
    text += str(Session(SESSION_ID))
    assert_no_secret(text)
    assert REQUEST_TOKEN not in text and USER_TOKEN not in text
    assert "acc" in text


def test_an_unapproved_token_raises_authentication_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/authentication/session/new").respond_with_json(
        {"success": False, "status_code": 17, "status_message": "Session denied."}, status=401
    )
    with pytest.raises(AuthenticationError) as caught:
        tmdb.auth.create_session(REQUEST_TOKEN)
    assert caught.value.operation == "authentication_create_session"
    assert caught.value.status_code == 17


def test_success_false_with_http_200_is_an_error(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/authentication/session", method="DELETE").respond_with_json(
        {"success": False, "status_code": 21, "status_message": "The requested entry was not found."}
    )
    with pytest.raises(APIError, match="HTTP 200, TMDB status_code 21"):
        tmdb.auth.delete_session(SESSION_ID)


def test_a_malformed_flow_response_names_the_field(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/authentication/token/new").respond_with_json({"success": True})
    with pytest.raises(ResponseParseError, match="authentication_create_request_token: .*'request_token'"):
        tmdb.auth.create_request_token()


async def test_async_flows_mirror_the_sync_ones(httpserver: HTTPServer, atmdb: AsyncTMDB, base_url: str) -> None:
    serve_v3(httpserver)
    serve_v4(httpserver)
    token = await atmdb.auth.create_request_token()
    session = await atmdb.auth.create_session(token)
    assert session.session_id == SESSION_ID
    await atmdb.auth.delete_session(session)
    assert (await atmdb.auth.validate_with_login(token, "jane", "pw")).request_token == REQUEST_TOKEN
    assert (await atmdb.auth.create_guest_session()).guest_session_id == "guest-0123456789"
    assert (await atmdb.auth.create_session_from_v4_token(USER_TOKEN)).session_id == SESSION_ID
    async with AsyncTMDB(access_token=ACCESS_TOKEN, base_url=base_url) as bearer:
        v4_token = await bearer.auth.create_v4_request_token(redirect_to="https://app.example/done")
        access = await bearer.auth.create_access_token(v4_token)
        assert access.account_id == "4bc889XXXXXX"
        await bearer.auth.logout(access.access_token)
