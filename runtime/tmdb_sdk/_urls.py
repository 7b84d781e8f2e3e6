"""Request URLs without re-parsing the base URL on every call.

httpx.URL(str) validates and normalises every character of the URL, and `params=` parses it a
second time to merge the query: ~40% of building a request (BENCHMARKS.md). The base URL is
parsed once here; each call's URL is that parse with its path and query replaced, when the path is
already in normal form (percent-encoded, no dot segments), as the core's paths are (index
templates with quoted values). Any other path is left to httpx.URL. The query is encoded as
httpx encodes `params=` (urllib.parse.urlencode of the same items), so the URL is the same.

The replacement uses httpx.URL's parse result (`_uri_reference`, a NamedTuple, httpx 0.28):
checked when the maker is built; without it every URL goes through httpx.URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

# RFC 3986 path characters, '%' only as a complete escape.
_NORMAL_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*\Z")


def _text(value: Any) -> str:
    """As httpx writes a query value (JSON-style booleans)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else str(value)


def encode_query(params: Mapping[str, Any]) -> str:
    """The query string httpx would write for `params` (a list or tuple repeats its key)."""
    items: list[tuple[str, str]] = []
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            items.extend((key, _text(item)) for item in value)
        else:
            items.append((key, _text(value)))
    return urlencode(items)


class UrlMaker:
    """`maker(path, params)` -> the httpx.URL of `base + path` with `params` as its query."""

    __slots__ = ("_base", "_prefix", "_reference")

    def __init__(self, base: str) -> None:
        self._base = base
        reference: Any = getattr(httpx.URL(base), "_uri_reference", None)
        fields = getattr(reference, "_fields", ())
        usable = "path" in fields and "query" in fields and not reference.query
        self._reference = reference if usable else None
        self._prefix: str = reference.path.rstrip("/") if usable else ""

    def __call__(self, path: str, params: Mapping[str, Any] | None = None) -> httpx.URL:
        reference = self._reference
        if reference is None or "/." in path or not path.startswith("/") or not _NORMAL_PATH.match(path):
            return httpx.URL(self._base + path, params=params or None)
        url = httpx.URL.__new__(httpx.URL)
        url._uri_reference = reference._replace(
            path=self._prefix + path, query=encode_query(params) if params else None
        )
        return url
