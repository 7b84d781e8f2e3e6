"""Everything this suite assumes about the runtime's public surface, in one place.

The fault tests speak of "the client", "movie details", "the parse error"; this module says which
constructor, method and exception class those are, so a rename in the runtime is one edit here.
"""

from __future__ import annotations

from typing import Any

import tmdb_sdk
from tmdb_generated.types import UNSET

# Credentials in use during every test: distinctive, so a leak is unmistakable in any text.
API_KEY = "apikey0c1f5e9d2b7a4c3e8f6a1b0d9e2c7a45"
ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.bearer7d3e5f1a9c2b4d6e8f0a.sig4b9d2f7e1c3a5b8d0f6e"
SESSION_ID = "sess2f8e4d6c0b1a3957e8d2c4f6a0b9e1d37"
SECRETS = (API_KEY, ACCESS_TOKEN, SESSION_ID)
__all__ = ["UNSET"]  # re-exported: what an absent field reads as

TMDBError = tmdb_sdk.TMDBError
APIError = tmdb_sdk.APIError
AuthenticationError = tmdb_sdk.AuthenticationError
NotFoundError = tmdb_sdk.NotFoundError
RateLimitError = tmdb_sdk.RateLimitError
ServerError = tmdb_sdk.ServerError
TimeoutError = tmdb_sdk.TimeoutError
ConnectionError = tmdb_sdk.ConnectionError
TransportError = tmdb_sdk.TransportError
ResponseError = tmdb_sdk.ResponseParseError  # a 2xx body that does not fit the operation's model

# Test-sized retry budget: the same bounded policy as production, with waits short enough to run.
MAX_ATTEMPTS = 3
TIMEOUT = 0.5
RETRY = tmdb_sdk.RetryPolicy(max_attempts=MAX_ATTEMPTS, backoff_base=0.02, backoff_max=0.1)
# The retry layer's time seam (`clock=`): waits recorded instead of slept, so tests check them exactly.
Clock = tmdb_sdk.transport.retry.Clock


def make_client(base_url: str, *, credentials: str = "all", **options: Any) -> Any:
    """A sync client on `base_url` holding the api key ("api_key"), the bearer token ("bearer") or both.

    The session id is not a client setting: it travels with the calls that need it (account_details).
    """
    auth: dict[str, Any] = {
        "api_key": {"api_key": API_KEY},
        "bearer": {"access_token": ACCESS_TOKEN},
        "all": {"api_key": API_KEY, "access_token": ACCESS_TOKEN},
    }[credentials]
    settings: dict[str, Any] = {"timeout": TIMEOUT, "retry": RETRY}
    settings.update(options)
    entry = tmdb_sdk.AsyncTMDB if settings.pop("asynchronous", False) else tmdb_sdk.TMDB
    return entry(base_url=base_url, **auth, **settings)


# -- the operations the fault tests call -------------------------------------------------------------

# How an error message may name the movie details operation.
OPERATION_NAMES = ("movies_details", "movies.details")


def movie_details(client: Any, movie_id: int = 550) -> Any:
    return client.movies.details(movie_id)


def person_details(client: Any, person_id: int = 287) -> Any:
    return client.people.details(person_id)


def company_details(client: Any, company_id: int = 1) -> Any:
    return client.companies.details(company_id)


def search_movies(client: Any, query: str = "fight") -> Any:
    return client.search.movie(query=query)


def account_details(client: Any, account_id: int = 1) -> Any:
    """An operation that sends the session id."""
    return client.account.details(account_id, session_id=SESSION_ID)


def field(result: Any, name: str) -> Any:
    return getattr(result, name)


def extra_fields(result: Any) -> dict[str, Any]:
    """The undocumented fields a parsed result kept."""
    return dict(result.additional_properties)


def bound_operation(client: Any, tag: str, operation_id: str) -> Any:
    """The client's method for a spec operation: tmdb.<tag>.<action>, v4 ones under tmdb.v4.<resource>."""
    action = operation_id.removeprefix(f"{tag}_")
    if tag.startswith("v4_"):
        return getattr(getattr(client.v4, tag.removeprefix("v4_")), action)
    return getattr(getattr(client, tag), action)


def operation_names(op: Any) -> tuple[str, ...]:
    """How an error message may name a spec operation."""
    action = op.operation_id.removeprefix(f"{op.tag}_")
    return op.operation_id, f"{op.tag}.{action}", f"{op.tag.replace('v4_', 'v4.')}.{action}"
