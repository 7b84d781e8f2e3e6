"""TMDB client: hand-written runtime around the generated `tmdb_generated` package.

The generated models are importable from `tmdb_sdk.models` (`from tmdb_sdk.models import MovieDetails`),
and `Unset`/`UNSET` (what a field TMDB left out holds) from here; like the resources, they are imported
on first use.
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from tmdb_generated._build_info import GENERATOR, SPEC_SHA256, __version__

from .transport import retry

# `tmdb_sdk.retry` (RetryPolicy, and Clock for `clock=`) stays importable where it was before the HTTP
# stack moved to tmdb_sdk.transport.
sys.modules[f"{__name__}.retry"] = retry

from .append import Appended
from .client import KEEP, TMDB, AsyncTMDB
from .dates import parse_date, parse_datetime
from .errors import (
    APIError,
    ArgumentError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConnectionError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ServerError,
    TimeoutError,
    TMDBError,
    TransportError,
    ValidationError,
)
from .raw import RawResponse
from .transport.retry import ALL_METHODS, IDEMPOTENT_METHODS, RetryPolicy

if TYPE_CHECKING:
    from tmdb_generated.types import UNSET, Unset

    from . import models as models
    from .cache import Cache
    from .flows import AccessToken, GuestSession, RequestToken, Session
    from .hooks import CallEvent, Hooks
    from .images import ImageConfig
    from .ratelimit import RateLimit
else:
    # Name -> the module that defines it, imported on first access (most programs never sign a user in,
    # set hooks or build image URLs, so import tmdb_sdk does not pay for them).
    _LAZY = {
        "AccessToken": "flows", "GuestSession": "flows", "RequestToken": "flows", "Session": "flows",
        "CallEvent": "hooks", "Hooks": "hooks", "ImageConfig": "images",
    }

    def __getattr__(name: str) -> Any:
        """Unset/UNSET, the models module, Cache, RateLimit and the _LAZY names on first access:
        tmdb_generated.types imports attrs, and most programs need neither a cache nor a limiter."""
        if name in ("UNSET", "Unset"):
            from tmdb_generated import types

            value = getattr(types, name)
        elif name == "models":
            from . import models as value
        elif name == "Cache":
            from .cache import Cache as value
        elif name == "RateLimit":
            from .ratelimit import RateLimit as value
        elif name in _LAZY:
            from importlib import import_module

            value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
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
    "Cache",
    "CallEvent",
    "ClientClosedError",
    "ConfigurationError",
    "ConnectionError",
    "GuestSession",
    "Hooks",
    "ImageConfig",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RawResponse",
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
