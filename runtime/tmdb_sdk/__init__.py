"""TMDB client: hand-written runtime around the generated `tmdb_generated` package.

Heavier parts (the generated operation modules and models) are imported on first use.
"""
from __future__ import annotations

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

__all__ = [
    "ALL_METHODS",
    "GENERATOR",
    "IDEMPOTENT_METHODS",
    "KEEP",
    "SPEC_SHA256",
    "TMDB",
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
    "ValidationError",
    "__version__",
    "parse_date",
    "parse_datetime",
]
