"""Credentials and the httpx.Auth that applies them to each request.

v3 accepts a bearer token (preferred when both are given: it keeps the key out of URLs) or the
`api_key` query parameter; v4 accepts only a bearer token.
"""
from __future__ import annotations

from collections.abc import Generator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

import httpx

from .errors import ConfigurationError
from .redact import mask

# Query parameters a runtime method adds to the request the generated function builds
# (e.g. append_to_response on a details operation whose spec lacks the parameter).
EXTRA_PARAMS: ContextVar[Mapping[str, str] | None] = ContextVar("tmdb_sdk_extra_params", default=None)

_V4_PREFIX = "/4/"


@dataclass(frozen=True, slots=True)
class Credentials:
    api_key: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.api_key and not self.access_token:
            raise ConfigurationError(
                "no TMDB credentials: pass api_key= or access_token=, or set TMDB_API_KEY or TMDB_ACCESS_TOKEN"
            )

    def __repr__(self) -> str:
        return f"Credentials(api_key={mask(self.api_key)!r}, access_token={mask(self.access_token)!r})"


class TMDBAuth(httpx.Auth):
    """Bearer header when a token is known, else the api_key query parameter (v3 only).

    The api_key itself is a default query parameter of the httpx client (`query_params`): httpx
    merges it while building the URL it builds anyway, where adding it here would parse the URL a
    second time on every call. This flow checks that v4 is not called without a bearer token.
    """

    def __init__(self, credentials: Credentials) -> None:
        self._header = f"Bearer {credentials.access_token}" if credentials.access_token else None
        self.query_params: dict[str, str] = (
            {"api_key": credentials.api_key} if self._header is None and credentials.api_key else {}
        )

    def __repr__(self) -> str:
        return "TMDBAuth(bearer)" if self._header else "TMDBAuth(api_key)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._header is not None:
            request.headers["Authorization"] = self._header
        elif request.url.path.startswith(_V4_PREFIX):
            raise ConfigurationError(
                f"{request.method} {request.url.path}: TMDB v4 accepts only a bearer token; "
                "pass access_token= (your API Read Access Token) or set TMDB_ACCESS_TOKEN"
            )
        extra = EXTRA_PARAMS.get()
        if extra:
            request.url = request.url.copy_merge_params(extra)
        yield request
