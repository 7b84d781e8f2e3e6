"""TMDB/AsyncTMDB and with_options() arguments checked when given, from one table.

A wrong type would otherwise surface at the first call, far from its cause (`TMDB(retry=3)` failed
with "'int' object has no attribute 'max_attempts'"). Each argument's row says which types it takes
and how the error names them; a new argument is one row. Arguments without a row (cache, rate_limit,
hooks: checked where they are made into layers) and with_options' KEEP are not looked at here.
"""
from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from .errors import ConfigurationError
from .redact import redact
from .transport.retry import Clock, RetryPolicy

_NONE = type(None)


def _transport(value: Any) -> bool:
    return value is None or hasattr(value, "handle_request") or hasattr(value, "handle_async_request")


# argument -> (the types it takes, or a test of the value; what the error says it takes). bool is never
# taken for a number: `timeout=True` is a mistake, not one second.
RULES: dict[str, tuple[tuple[type, ...] | Callable[[Any], bool], str]] = {
    "api_key": ((str, _NONE), "str (your API key) or None"),
    "access_token": ((str, _NONE), "str (your API Read Access Token) or None"),
    "base_url": ((str, _NONE), "str such as 'https://api.themoviedb.org', or None"),
    "allow_insecure_http": ((bool,), "bool"),
    "timeout": ((int, float, httpx.Timeout, _NONE), "float seconds, an httpx.Timeout or None (no timeout)"),
    "retry": ((RetryPolicy, _NONE), "tmdb_sdk.RetryPolicy, or None (no retries)"),
    "proxy": ((str, _NONE), "str (a proxy URL) or None"),
    "verify": ((bool, ssl.SSLContext), "True, False or an ssl.SSLContext"),
    "transport": (_transport, "an httpx transport (with handle_request / handle_async_request) or None"),
    "clock": ((Clock, _NONE), "tmdb_sdk.retry.Clock or None"),
    "language": ((str, _NONE), "str such as 'de-DE', or None"),
    "region": ((str, _NONE), "str such as 'DE', or None"),
    "watch_region": ((str, _NONE), "str such as 'DE', or None"),
    "include_image_language": ((str, _NONE), "str such as 'de,null', or None"),
    "headers": ((Mapping, _NONE), "a mapping of header names to values, or None"),
    "extra_query": ((Mapping, _NONE), "a mapping of parameter names to values, or None"),
    "deadline": ((int, float, _NONE), "seconds > 0 for the whole call (float), or None (no deadline)"),
    "max_response_size": ((int,), "a whole number of bytes > 0 (int: the decoded body's cap)"),
    "trust_env": ((bool,), "True or False"),
}
SECRET = frozenset({"api_key", "access_token"})  # their values are never shown


def check_arguments(arguments: Mapping[str, Any], skip: object = None) -> None:
    """ConfigurationError naming the first argument (of those with a row) whose value is of the wrong type;
    values that are `skip` (with_options' KEEP) are left alone."""
    for name, value in arguments.items():
        rule = RULES.get(name)
        if rule is None or (skip is not None and value is skip):
            continue
        accepted, expected = rule
        if callable(accepted) and not isinstance(accepted, tuple):
            ok = accepted(value)
        else:
            ok = isinstance(value, accepted) and not (isinstance(value, bool) and bool not in accepted)
        if not ok:
            shown = type(value).__name__ if name in SECRET else f"{type(value).__name__} {_short(value)}"
            raise ConfigurationError(redact(f"{name}= takes {expected}, got {shown}"))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
