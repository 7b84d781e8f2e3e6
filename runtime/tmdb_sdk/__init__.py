"""TMDB client: hand-written runtime around the generated `tmdb_generated` package.

The generated models are importable from `tmdb_sdk.models` (`from tmdb_sdk.models import MovieDetails`),
and `Unset`/`UNSET` (what a field TMDB left out holds) from here; like the resources, they are imported
on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tmdb_generated._build_info import GENERATOR, SPEC_SHA256, __version__

from .append import Appended
from .client import KEEP, TMDB, AsyncTMDB
from .dates import parse_date, parse_datetime
from .errors import (
    APIError,
    ArgumentError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConnectionError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ServerError,
    TimeoutError,
    TMDBError,
    TransportError,
    ValidationError,
)
from .flows import AccessToken, GuestSession, RequestToken, Session
from .images import ImageConfig
from .retry import ALL_METHODS, IDEMPOTENT_METHODS, RetryPolicy

if TYPE_CHECKING:
    from tmdb_generated.types import UNSET, Unset

    from . import models as models
else:

    def __getattr__(name: str) -> Any:
        """Unset/UNSET and the models module, on first access (tmdb_generated.types imports attrs)."""
        if name in ("UNSET", "Unset"):
            from tmdb_generated import types

            value = getattr(types, name)
        elif name == "models":
            from . import models as value
        else:
            raise AttributeError(f"module 'tmdb_sdk' has no attribute {name!r}")
        globals()[name] = value
        return value


__all__ = [
    "ALL_METHODS",
    "GENERATOR",
    "IDEMPOTENT_METHODS",
    "KEEP",
    "SPEC_SHA256",
    "TMDB",
    "UNSET",
    "APIError",
    "AccessToken",
    "Appended",
    "ArgumentError",
    "AsyncTMDB",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConnectionError",
    "GuestSession",
    "ImageConfig",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestToken",
    "ResponseParseError",
    "RetryPolicy",
    "ServerError",
    "Session",
    "TMDBError",
    "TimeoutError",
    "TransportError",
    "Unset",
    "ValidationError",
    "__version__",
    "parse_date",
    "parse_datetime",
]
