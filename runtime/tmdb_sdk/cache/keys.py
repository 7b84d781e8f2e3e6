"""Which requests may be cached, and what hishel sees of them: the URL without credentials, its key."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ..redact import SECRET_PARAMS

# Headers that hold credentials; hishel never sees them (and would store the request's headers).
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
# Request parameters that mean "this user's data": such a request is never cached.
_USER_PARAMS = tuple(f"{name}=".encode() for name in ("session_id", "guest_session_id", "access_token",
                                                       "request_token"))
_SECRET_PARAM_BYTES = frozenset(name.encode() for name in SECRET_PARAMS)
# By path, for requests without an index entry: what the index marks as one user's (scripts/op_index.py).
_PRIVATE_PREFIXES = ("/3/account", "/3/authentication", "/3/guest_session", "/3/list/", "/4/")
_KEY_VERSION = "tmdb-sdk-cache-1"


@dataclass(frozen=True, slots=True)
class Classification:
    """What the cache layer needs to know about a request's operation."""

    cacheable: bool
    # Names a minimum-TTL rule may use: the operationId and the resource (tag), when known.
    names: tuple[str, ...] = ()


NOT_CACHEABLE = Classification(False)
# A request without an index entry on request.extensions["tmdb_operation"] (tmdb.request() by path)
# is classified by its path; the resources that have suggested minimum TTLs are recognised too.
_RESOURCE_PREFIXES = (
    ("/3/configuration", ("configuration",)),
    ("/3/genre/", ("genres",)),
    ("/3/certification/", ("certifications",)),
)


def _names_by_path(path: str) -> tuple[str, ...]:
    for prefix, names in _RESOURCE_PREFIXES:
        if path.startswith(prefix):
            if prefix == "/3/configuration" and path == prefix:
                return ("configuration_details", *names)
            return names
    parts = path.split("/")  # "/3/movie/550" -> ["", "3", "movie", "550"]
    if len(parts) == 4 and parts[2] == "movie" and parts[3].isdigit():
        return ("movies_details", "movies")
    return ()


def classify(request: httpx.Request) -> Classification:
    """Whether `request` may be answered from or stored in the cache, and its rule names.

    The operation index entry on `request.extensions["tmdb_operation"]` decides when present (its
    `cacheable` flag: GET and not account/session/auth); without it, the method and path do.
    Either way a request carrying a user's session or token is never cached.
    """
    if request.method != "GET":
        return NOT_CACHEABLE
    url = request.url
    query = url.query
    if query and any(name in query for name in _USER_PARAMS):
        return NOT_CACHEABLE
    entry = request.extensions.get("tmdb_operation")
    if entry is not None:
        if not _get(entry, "cacheable", False):
            return NOT_CACHEABLE
        found = (_get(entry, "operation_id", None), _get(entry, "tag", None), _get(entry, "resource", None))
        names = tuple(dict.fromkeys(str(n) for n in found if n))
        return Classification(True, names)
    path = url.path
    if path.startswith(_PRIVATE_PREFIXES) or path.endswith(("/account_states", "/item_status")):
        return NOT_CACHEABLE
    return Classification(True, _names_by_path(path))


def _get(entry: Any, name: str, default: Any) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(name, default)
    return getattr(entry, name, default)


def public_url(url: httpx.URL) -> str:
    """`url` without credential parameters and with its query sorted: what hishel sees and keys on."""
    path, _, query = url.raw_path.partition(b"?")
    if query:
        kept = sorted(p for p in query.split(b"&") if p and p.partition(b"=")[0] not in _SECRET_PARAM_BYTES)
        if kept:
            path += b"?" + b"&".join(kept)
    return f"{url.scheme}://{url.netloc.decode('ascii')}{path.decode('ascii')}"


def cache_key(public: str) -> str:
    """The storage key of a GET of the public URL `public`: a sha256, so no URL text is stored as a key."""
    return hashlib.sha256(f"{_KEY_VERSION} GET {public}".encode()).hexdigest()


def public_headers(headers: httpx.Headers) -> httpx.Headers:
    """`headers` without those that hold credentials."""
    return httpx.Headers([(k, v) for k, v in headers.raw if k.lower().decode("latin-1") not in SECRET_HEADERS])
