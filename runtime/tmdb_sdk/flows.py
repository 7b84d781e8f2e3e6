"""TMDB's user authentication flows as typed method calls (TMDB-FACTS: v3 and v4 user flows).

v3:  create_request_token() -> user approves at authenticate_url(token)  (or validate_with_login)
     -> create_session(token) -> Session; delete_session(); create_guest_session();
     create_session_from_v4_token(access_token).
v4:  create_v4_request_token(redirect_to) -> user approves at approve_url(token)
     -> create_access_token(token) -> AccessToken(access_token, account_id); logout(access_token).

These talk to TMDB's fixed, documented endpoints directly through the client's pool; results are
small dataclasses whose reprs mask the secrets they hold.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from ._defaults import APPROVE_URL, AUTHENTICATE_URL
from .dates import parse_datetime
from .errors import APIError, ResponseParseError
from .redact import mask


@dataclass(frozen=True, slots=True)
class RequestToken:
    request_token: str = field(repr=False)
    expires_at: datetime | None = None

    def __repr__(self) -> str:
        return f"RequestToken(request_token={mask(self.request_token)!r}, expires_at={self.expires_at!r})"


@dataclass(frozen=True, slots=True)
class Session:
    session_id: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Session(session_id={mask(self.session_id)!r})"


@dataclass(frozen=True, slots=True)
class GuestSession:
    guest_session_id: str = field(repr=False)
    expires_at: datetime | None = None

    def __repr__(self) -> str:
        return f"GuestSession(guest_session_id={mask(self.guest_session_id)!r}, expires_at={self.expires_at!r})"


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A v4 user access token and the account object id that v4 account/list paths take."""

    access_token: str = field(repr=False)
    account_id: str

    def __repr__(self) -> str:
        return f"AccessToken(access_token={mask(self.access_token)!r}, account_id={self.account_id!r})"


# (operation name, method, path): the endpoints of the flows.
CREATE_REQUEST_TOKEN = ("authentication_create_request_token", "GET", "/3/authentication/token/new")
VALIDATE_WITH_LOGIN = ("authentication_validate_with_login", "POST", "/3/authentication/token/validate_with_login")
CREATE_SESSION = ("authentication_create_session", "POST", "/3/authentication/session/new")
DELETE_SESSION = ("authentication_delete_session", "DELETE", "/3/authentication/session")
CREATE_GUEST_SESSION = ("authentication_create_guest_session", "GET", "/3/authentication/guest_session/new")
SESSION_FROM_V4 = ("authentication_create_session_from_v4_token", "POST", "/3/authentication/session/convert/4")
V4_CREATE_REQUEST_TOKEN = ("v4_auth_create_request_token", "POST", "/4/auth/request_token")
V4_CREATE_ACCESS_TOKEN = ("v4_auth_create_access_token", "POST", "/4/auth/access_token")
V4_LOGOUT = ("v4_auth_logout", "DELETE", "/4/auth/access_token")

Endpoint = tuple[str, str, str]
Send = Callable[[Endpoint, Mapping[str, Any] | None], Any]
AsyncSend = Callable[[Endpoint, Mapping[str, Any] | None], Awaitable[Any]]


def _token_of(token: RequestToken | str) -> str:
    return token.request_token if isinstance(token, RequestToken) else token


def authenticate_url(request_token: RequestToken | str, redirect_to: str | None = None) -> str:
    """Where the user approves a v3 request token."""
    url = AUTHENTICATE_URL.format(request_token=quote(_token_of(request_token), safe=""))
    return f"{url}?{urlencode({'redirect_to': redirect_to})}" if redirect_to else url


def approve_url(request_token: RequestToken | str) -> str:
    """Where the user approves a v4 request token."""
    return f"{APPROVE_URL}?{urlencode({'request_token': _token_of(request_token)})}"


def _checked(endpoint: Endpoint, data: Any) -> Mapping[str, Any]:
    """The body as a mapping; an APIError for TMDB's `success: false` delivered with HTTP 200."""
    name = endpoint[0]
    if not isinstance(data, Mapping):
        raise ResponseParseError(name, "body is not a JSON object")
    if data.get("success") is False:
        raise APIError(200, data.get("status_code"), data.get("status_message"), operation=name)
    return data


def _text(endpoint: Endpoint, data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        raise ResponseParseError(endpoint[0], f"field {key!r} is missing or not a string")
    return value


def _expiry(endpoint: Endpoint, data: Mapping[str, Any]) -> datetime | None:
    raw = data.get("expires_at")
    if raw is None:
        return None
    try:
        return parse_datetime(str(raw))
    except ValueError as exc:
        raise ResponseParseError(endpoint[0], f"field 'expires_at': {exc}") from None


def request_token_from(endpoint: Endpoint, body: Any) -> RequestToken:
    data = _checked(endpoint, body)
    return RequestToken(_text(endpoint, data, "request_token"), _expiry(endpoint, data))


def session_from(endpoint: Endpoint, body: Any) -> Session:
    return Session(_text(endpoint, _checked(endpoint, body), "session_id"))


def guest_session_from(endpoint: Endpoint, body: Any) -> GuestSession:
    data = _checked(endpoint, body)
    return GuestSession(_text(endpoint, data, "guest_session_id"), _expiry(endpoint, data))


def access_token_from(endpoint: Endpoint, body: Any) -> AccessToken:
    data = _checked(endpoint, body)
    return AccessToken(_text(endpoint, data, "access_token"), _text(endpoint, data, "account_id"))


class AuthFlows:
    """`tmdb.auth`: the user flows, synchronously."""

    authenticate_url = staticmethod(authenticate_url)
    approve_url = staticmethod(approve_url)

    def __init__(self, send: Send) -> None:
        self._send = send

    def create_request_token(self) -> RequestToken:
        return request_token_from(CREATE_REQUEST_TOKEN, self._send(CREATE_REQUEST_TOKEN, None))

    def validate_with_login(self, request_token: RequestToken | str, username: str, password: str) -> RequestToken:
        body = {"username": username, "password": password, "request_token": _token_of(request_token)}
        return request_token_from(VALIDATE_WITH_LOGIN, self._send(VALIDATE_WITH_LOGIN, body))

    def create_session(self, request_token: RequestToken | str) -> Session:
        body = {"request_token": _token_of(request_token)}
        return session_from(CREATE_SESSION, self._send(CREATE_SESSION, body))

    def delete_session(self, session: Session | str) -> None:
        session_id = session.session_id if isinstance(session, Session) else session
        _checked(DELETE_SESSION, self._send(DELETE_SESSION, {"session_id": session_id}))

    def create_guest_session(self) -> GuestSession:
        return guest_session_from(CREATE_GUEST_SESSION, self._send(CREATE_GUEST_SESSION, None))

    def create_session_from_v4_token(self, access_token: AccessToken | str) -> Session:
        token = access_token.access_token if isinstance(access_token, AccessToken) else access_token
        return session_from(SESSION_FROM_V4, self._send(SESSION_FROM_V4, {"access_token": token}))

    def create_v4_request_token(self, redirect_to: str | None = None) -> RequestToken:
        body = {"redirect_to": redirect_to} if redirect_to else {}
        return request_token_from(V4_CREATE_REQUEST_TOKEN, self._send(V4_CREATE_REQUEST_TOKEN, body))

    def create_access_token(self, request_token: RequestToken | str) -> AccessToken:
        body = {"request_token": _token_of(request_token)}
        return access_token_from(V4_CREATE_ACCESS_TOKEN, self._send(V4_CREATE_ACCESS_TOKEN, body))

    def logout(self, access_token: AccessToken | str) -> None:
        token = access_token.access_token if isinstance(access_token, AccessToken) else access_token
        _checked(V4_LOGOUT, self._send(V4_LOGOUT, {"access_token": token}))


class AsyncAuthFlows:
    """`tmdb.auth` of AsyncTMDB: the mirror image of AuthFlows."""

    authenticate_url = staticmethod(authenticate_url)
    approve_url = staticmethod(approve_url)

    def __init__(self, send: AsyncSend) -> None:
        self._send = send

    async def create_request_token(self) -> RequestToken:
        return request_token_from(CREATE_REQUEST_TOKEN, await self._send(CREATE_REQUEST_TOKEN, None))

    async def validate_with_login(self, request_token: RequestToken | str, username: str, password: str) -> RequestToken:
        body = {"username": username, "password": password, "request_token": _token_of(request_token)}
        return request_token_from(VALIDATE_WITH_LOGIN, await self._send(VALIDATE_WITH_LOGIN, body))

    async def create_session(self, request_token: RequestToken | str) -> Session:
        body = {"request_token": _token_of(request_token)}
        return session_from(CREATE_SESSION, await self._send(CREATE_SESSION, body))

    async def delete_session(self, session: Session | str) -> None:
        session_id = session.session_id if isinstance(session, Session) else session
        _checked(DELETE_SESSION, await self._send(DELETE_SESSION, {"session_id": session_id}))

    async def create_guest_session(self) -> GuestSession:
        return guest_session_from(CREATE_GUEST_SESSION, await self._send(CREATE_GUEST_SESSION, None))

    async def create_session_from_v4_token(self, access_token: AccessToken | str) -> Session:
        token = access_token.access_token if isinstance(access_token, AccessToken) else access_token
        return session_from(SESSION_FROM_V4, await self._send(SESSION_FROM_V4, {"access_token": token}))

    async def create_v4_request_token(self, redirect_to: str | None = None) -> RequestToken:
        body = {"redirect_to": redirect_to} if redirect_to else {}
        return request_token_from(V4_CREATE_REQUEST_TOKEN, await self._send(V4_CREATE_REQUEST_TOKEN, body))

    async def create_access_token(self, request_token: RequestToken | str) -> AccessToken:
        body = {"request_token": _token_of(request_token)}
        return access_token_from(V4_CREATE_ACCESS_TOKEN, await self._send(V4_CREATE_ACCESS_TOKEN, body))

    async def logout(self, access_token: AccessToken | str) -> None:
        token = access_token.access_token if isinstance(access_token, AccessToken) else access_token
        _checked(V4_LOGOUT, await self._send(V4_LOGOUT, {"access_token": token}))
