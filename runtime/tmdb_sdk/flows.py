"""`tmdb.auth`: the one login surface, TMDB's user flows as typed calls (TMDB-FACTS: v3 and v4 user flows).

v3:  create_request_token() -> user approves at authenticate_url(token)  (or validate_with_login)
     -> create_session(token) -> Session; delete_session(); create_guest_session();
     create_session_from_v4_token(access_token).
v4:  create_v4_request_token(redirect_to) -> user approves at approve_url(token)
     -> create_access_token(token) -> AccessToken(access_token, account_id); logout(access_token).

Each step calls its operation by operationId (the index gives method, path and body model), through
the client's call path. Results are small dataclasses whose reprs mask the secrets they hold, and a
`success: false` answer is always an APIError. `tmdb.authentication` and `tmdb.v4.auth` are the same
operations as generated (typed models, secrets shown as TMDB sent them): prefer `tmdb.auth`.

The flows are written once, as coroutines (AsyncAuthFlows); AuthFlows runs the same coroutines
without an event loop (see _io.py).
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlencode

from ._defaults import APPROVE_URL, AUTHENTICATE_URL
from ._io import run_sync
from .dates import parse_datetime
from .errors import APIError, ResponseParseError
from .redact import mask

if TYPE_CHECKING:
    from ._core import Core


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


# The operations of the flows, by operationId.
CREATE_REQUEST_TOKEN = "authentication_create_request_token"
VALIDATE_WITH_LOGIN = "authentication_validate_with_login"
CREATE_SESSION = "authentication_create_session"
DELETE_SESSION = "authentication_delete_session"
CREATE_GUEST_SESSION = "authentication_create_guest_session"
SESSION_FROM_V4 = "authentication_create_session_from_v4_token"
V4_CREATE_REQUEST_TOKEN = "v4_auth_create_request_token"
V4_CREATE_ACCESS_TOKEN = "v4_auth_create_access_token"
V4_LOGOUT = "v4_auth_logout"


def _token_of(token: RequestToken | str) -> str:
    return token.request_token if isinstance(token, RequestToken) else token


def _access_token_of(token: AccessToken | str) -> str:
    return token.access_token if isinstance(token, AccessToken) else token


def authenticate_url(request_token: RequestToken | str, redirect_to: str | None = None) -> str:
    """Where the user approves a v3 request token."""
    url = AUTHENTICATE_URL.format(request_token=quote(_token_of(request_token), safe=""))
    return f"{url}?{urlencode({'redirect_to': redirect_to})}" if redirect_to else url


def approve_url(request_token: RequestToken | str) -> str:
    """Where the user approves a v4 request token."""
    return f"{APPROVE_URL}?{urlencode({'request_token': _token_of(request_token)})}"


def _checked(name: str, data: Any) -> Mapping[str, Any]:
    """The body as a mapping; an APIError for TMDB's `success: false` delivered with HTTP 200."""
    if not isinstance(data, Mapping):
        raise ResponseParseError(name, "body is not a JSON object")
    if data.get("success") is False:
        raise APIError(200, data.get("status_code"), data.get("status_message"), operation=name)
    return data


def _text(name: str, data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        raise ResponseParseError(name, f"field {key!r} is missing or not a string")
    return value


def _expiry(name: str, data: Mapping[str, Any]) -> datetime | None:
    raw = data.get("expires_at")
    if raw is None:
        return None
    try:
        return parse_datetime(str(raw))
    except ValueError as exc:
        raise ResponseParseError(name, f"field 'expires_at': {exc}") from None


class _Flows:
    authenticate_url = staticmethod(authenticate_url)
    approve_url = staticmethod(approve_url)

    def __init__(self, core: Core) -> None:
        self._core = core

    async def _call(self, name: str, body: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        return _checked(name, await self._core.call_json(name, {} if body is None else {"body": body}))


class AsyncAuthFlows(_Flows):
    """`tmdb.auth` of AsyncTMDB: sign a user in (v3 session, guest session, v4 user access token)."""

    async def create_request_token(self) -> RequestToken:
        """A v3 request token, for the user to approve at authenticate_url(token)."""
        data = await self._call(CREATE_REQUEST_TOKEN)
        return RequestToken(_text(CREATE_REQUEST_TOKEN, data, "request_token"), _expiry(CREATE_REQUEST_TOKEN, data))

    async def validate_with_login(self, request_token: RequestToken | str, username: str, password: str) -> RequestToken:
        """Approves a v3 request token with the user's TMDB username and password."""
        body = {"username": username, "password": password, "request_token": _token_of(request_token)}
        data = await self._call(VALIDATE_WITH_LOGIN, body)
        return RequestToken(_text(VALIDATE_WITH_LOGIN, data, "request_token"), _expiry(VALIDATE_WITH_LOGIN, data))

    async def create_session(self, request_token: RequestToken | str) -> Session:
        """A v3 session id from an approved request token."""
        data = await self._call(CREATE_SESSION, {"request_token": _token_of(request_token)})
        return Session(_text(CREATE_SESSION, data, "session_id"))

    async def delete_session(self, session: Session | str) -> None:
        """Logs a v3 session out."""
        await self._call(DELETE_SESSION, {"session_id": session.session_id if isinstance(session, Session) else session})

    async def create_guest_session(self) -> GuestSession:
        """A guest session (rates without an account; expires after 60 minutes unused)."""
        data = await self._call(CREATE_GUEST_SESSION)
        return GuestSession(_text(CREATE_GUEST_SESSION, data, "guest_session_id"), _expiry(CREATE_GUEST_SESSION, data))

    async def create_session_from_v4_token(self, access_token: AccessToken | str) -> Session:
        """A v3 session for the user of a v4 user access token."""
        data = await self._call(SESSION_FROM_V4, {"access_token": _access_token_of(access_token)})
        return Session(_text(SESSION_FROM_V4, data, "session_id"))

    async def create_v4_request_token(self, redirect_to: str | None = None) -> RequestToken:
        """A v4 request token, for the user to approve at approve_url(token); needs the bearer token."""
        data = await self._call(V4_CREATE_REQUEST_TOKEN, {"redirect_to": redirect_to} if redirect_to else {})
        return RequestToken(_text(V4_CREATE_REQUEST_TOKEN, data, "request_token"))

    async def create_access_token(self, request_token: RequestToken | str) -> AccessToken:
        """The user access token and account_id (v4 account paths take it) for an approved v4 request token."""
        data = await self._call(V4_CREATE_ACCESS_TOKEN, {"request_token": _token_of(request_token)})
        access = _text(V4_CREATE_ACCESS_TOKEN, data, "access_token")
        return AccessToken(access, _text(V4_CREATE_ACCESS_TOKEN, data, "account_id"))

    async def logout(self, access_token: AccessToken | str) -> None:
        """Revokes a v4 user access token."""
        await self._call(V4_LOGOUT, {"access_token": _access_token_of(access_token)})


F = TypeVar("F", bound=Callable[..., Any])


def _blocking(flow: F) -> F:
    @functools.wraps(flow)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return run_sync(flow(self, *args, **kwargs))

    return method  # type: ignore[return-value]


class AuthFlows(_Flows):
    """`tmdb.auth`: sign a user in (v3 session, guest session, v4 user access token); each call blocks."""

    if TYPE_CHECKING:  # the coroutines of AsyncAuthFlows, run to completion (_blocking below)

        def create_request_token(self) -> RequestToken: ...
        def validate_with_login(self, request_token: RequestToken | str, username: str, password: str) -> RequestToken: ...
        def create_session(self, request_token: RequestToken | str) -> Session: ...
        def delete_session(self, session: Session | str) -> None: ...
        def create_guest_session(self) -> GuestSession: ...
        def create_session_from_v4_token(self, access_token: AccessToken | str) -> Session: ...
        def create_v4_request_token(self, redirect_to: str | None = None) -> RequestToken: ...
        def create_access_token(self, request_token: RequestToken | str) -> AccessToken: ...
        def logout(self, access_token: AccessToken | str) -> None: ...


FLOWS = (
    "create_request_token", "validate_with_login", "create_session", "delete_session", "create_guest_session",
    "create_session_from_v4_token", "create_v4_request_token", "create_access_token", "logout",
)  # fmt: skip
for _name in FLOWS:
    setattr(AuthFlows, _name, _blocking(getattr(AsyncAuthFlows, _name)))
