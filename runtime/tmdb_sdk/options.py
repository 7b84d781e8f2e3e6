"""Client-level options of TMDB/AsyncTMDB beyond credentials, timeout and retries.

Query defaults: `TMDB(language="de-DE", region="DE")` sends `language`, `region` and `watch_region`
on every operation whose index entry takes the parameter, and on no other; `include_image_language`
is derived from the language (`"de,null"`: German images and those without text) where taken.
An argument given to the call always wins over a default.

Request extras: `with_options(headers={...}, extra_query={...})` adds headers and query parameters
to every request of that view (an explicit argument of the call still wins over `extra_query`).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigurationError

# Header names the client sets itself: a view may not replace them with `headers=`.
RESERVED_HEADERS = frozenset({"authorization", "content-length", "host", "transfer-encoding"})
DEFAULTED = ("language", "region", "watch_region", "include_image_language")


def image_languages(language: str) -> str:
    """`include_image_language` for a language: its ISO 639-1 part, then `null` (images without text)."""
    primary = language.split("-", 1)[0].strip().lower()
    return f"{primary},null" if primary else "null"


@dataclass(frozen=True, slots=True)
class QueryDefaults:
    """Values sent for these query parameters wherever an operation takes them.

    watch_region defaults to `region`, include_image_language to `image_languages(language)`; pass
    an empty string to leave one of them unsent.
    """

    language: str | None = None
    region: str | None = None
    watch_region: str | None = None
    include_image_language: str | None = None

    @classmethod
    def of(
        cls, language: str | None = None, region: str | None = None, watch_region: str | None = None,
        include_image_language: str | None = None,
    ) -> QueryDefaults:
        for name, value in (("language", language), ("region", region), ("watch_region", watch_region),
                            ("include_image_language", include_image_language)):
            if value is not None and not isinstance(value, str):
                raise ConfigurationError(f"{name} must be a string such as 'de-DE', got {value!r}")
        if watch_region is None:
            watch_region = region
        if include_image_language is None and language:
            include_image_language = image_languages(language)
        return cls(language or None, region or None, watch_region or None, include_image_language or None)

    def replaced(self, changes: Mapping[str, Any]) -> QueryDefaults:
        """with_options(language=..., ...): the given ones replaced, the derived ones derived again
        unless given too."""
        if not changes:
            return self
        merged = {name: getattr(self, name) for name in DEFAULTED}
        if "language" in changes and "include_image_language" not in changes:
            merged["include_image_language"] = None  # derived again from the new language
        if "region" in changes and "watch_region" not in changes and self.watch_region == self.region:
            merged["watch_region"] = None  # it followed the region: it follows the new one
        merged.update(changes)
        return QueryDefaults.of(**merged)

    def as_query(self) -> dict[str, str]:
        """Parameter name -> value, for the ones set (the call path adds each where the operation takes it)."""
        return {name: value for name in DEFAULTED if (value := getattr(self, name))}


def check_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Extra headers for a view: strings only, and none the client sets itself."""
    if not headers:
        return {}
    out = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ConfigurationError(f"headers must map strings to strings, got {name!r}: {value!r}")
        if name.lower() in RESERVED_HEADERS:
            raise ConfigurationError(f"headers: {name!r} is set by the client (credentials: api_key=/access_token=)")
        out[name] = value
    return out


def check_extra_query(extra_query: Mapping[str, Any] | None) -> dict[str, str]:
    """Extra query parameters for a view, as text (lists comma-separated, booleans as TMDB spells them)."""
    if not extra_query:
        return {}
    out = {}
    for name, value in extra_query.items():
        if not isinstance(name, str) or value is None:
            raise ConfigurationError(f"extra_query: {name!r}: {value!r} is not a parameter and value")
        if name == "api_key":
            raise ConfigurationError("extra_query: pass the API key as api_key=, not as a query parameter")
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            out[name] = ",".join(str(item) for item in value)
        else:
            out[name] = str(value)
    return out


def check_deadline(value: Any) -> float | None:
    """`deadline=`: seconds > 0, or None for no deadline; ConfigurationError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ConfigurationError(f"deadline= takes seconds > 0 (or None for no deadline), got {value!r}")
    return float(value)


def check_max_body(value: Any) -> int:
    """`max_response_size=`: a whole number of bytes > 0; ConfigurationError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigurationError(f"max_response_size= takes a whole number of bytes > 0, got {value!r}")
    return value
