"""An HTTP cache for TMDB's GET responses (RFC 9111, by hishel), as an httpx transport layer.

    cache = Cache("memory")                    # or "sqlite:///path/cache.db", "redis://host:6379/0"
    tmdb = TMDB(cache=cache)                   # also TMDB(cache="memory"): the client owns it then
    tmdb.with_options(cache=False)             # a view whose calls skip the cache

The layer sits between the retries and the rate limiter (RetryTransport -> CacheTransport ->
RateLimitTransport -> pool), so a hit never spends rate budget, while a revalidation (a conditional
request answered 304) does, as it does at TMDB. hishel runs the RFC 9111 state machine as a
*shared* cache: responses marked `private` or `no-store` are never stored, a stale entry is
revalidated with its `ETag` (`If-None-Match`) and a 304 serves the stored body as a normal 200.

What is never cached: every method but GET; account, session, guest-session and authentication
operations and anything called with a session id (see `classify`); all of v4 (user lists, accounts,
auth); 429 and 5xx; and, as RFC 9111 §3.5 asks of a shared cache for authenticated requests (every
TMDB request carries a key or token), a response without `public`, `s-maxage` or `must-revalidate`.

Secrets: hishel sees a copy of the request without the `api_key` parameter and without the
`Authorization` header, so neither reaches a cache key (a sha256 of that URL) or a stored entry; the
real request goes to the network unchanged. `_GuardedStorage` refuses to store anything that still
holds one, whatever the caller did.

Minimum TTLs (`Cache(min_ttl={"configuration": 86400, "movies_details": 600})`, keys are a resource
(tag) or an operationId) keep a 200 of that resource fresh for at least that many seconds after it
arrived, for services that accept staler data than TMDB's `max-age=0`; `SUGGESTED_MIN_TTL` is one
such set. Responses marked `private` or `no-store` are left alone.

Each response says what the cache did in `response.extensions["tmdb_cache"]`: "hit" (served from
storage), "revalidated" (served from storage after a 304), "miss" (from the network) or "bypass"
(not cacheable, or a view with cache=False); `Cache.stats` counts them per process.

Storage failures are misses: hishel logs each one; this layer logs the first of an outage, drops
hishel's repeats, and skips the storage for `Cache.retry_after` seconds before trying it again.
hishel and redis are imported on first use.
"""
from __future__ import annotations

import contextvars
import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from email.utils import formatdate, mktime_tz, parsedate_tz
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Self
from urllib.parse import unquote

import httpx

from .errors import ConfigurationError
from .redact import SECRET_PARAMS, redact

if TYPE_CHECKING:
    import hishel

logger = logging.getLogger("tmdb_sdk.cache")

EXTENSION = "tmdb_cache"
CacheOutcome = Literal["hit", "miss", "revalidated", "bypass"]

# A set of minimum TTLs for data that changes rarely: configuration, genre and certification lists
# for a day, a movie's details for ten minutes.
SUGGESTED_MIN_TTL: Mapping[str, float] = MappingProxyType({
    "configuration": 86400.0,
    "genres": 86400.0,
    "certifications": 86400.0,
    "movies_details": 600.0,
})

# Headers that hold credentials; hishel never sees them (and would store the request's headers).
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
_SECRET_PARAMS = frozenset(SECRET_PARAMS)
# Request parameters that mean "this user's data": such a request is never cached.
_USER_PARAMS = tuple(f"{name}=".encode() for name in ("session_id", "guest_session_id", "access_token",
                                                       "request_token"))
_SECRET_PARAM_BYTES = frozenset(name.encode() for name in SECRET_PARAMS)
_CONDITIONAL_HEADERS = ("if-none-match", "if-modified-since")
# By path, for requests without an index entry: what the index marks as one user's (scripts/op_index.py).
_PRIVATE_PREFIXES = ("/3/account", "/3/authentication", "/3/guest_session", "/3/list/", "/4/")
_ORIGINAL = "tmdb_cache_original"
_RULES = "tmdb_cache_rules"
_KEY_VERSION = "tmdb-sdk-cache-1"


# -- which requests may be cached ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Classification:
    """What the cache layer needs to know about a request's operation."""

    cacheable: bool
    # Names a minimum-TTL rule may use: the operationId and the resource (tag), when known.
    names: tuple[str, ...] = ()


_NOT_CACHEABLE = Classification(False)
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
        return _NOT_CACHEABLE
    url = request.url
    query = url.query
    if query and any(name in query for name in _USER_PARAMS):
        return _NOT_CACHEABLE
    entry = request.extensions.get("tmdb_operation")
    if entry is not None:
        if not _get(entry, "cacheable", False):
            return _NOT_CACHEABLE
        found = (_get(entry, "operation_id", None), _get(entry, "tag", None), _get(entry, "resource", None))
        names = tuple(dict.fromkeys(str(n) for n in found if n))
        return Classification(True, names)
    path = url.path
    if path.startswith(_PRIVATE_PREFIXES) or path.endswith(("/account_states", "/item_status")):
        return _NOT_CACHEABLE
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


def _public_headers(headers: httpx.Headers) -> httpx.Headers:
    return httpx.Headers([(k, v) for k, v in headers.raw if k.lower().decode("latin-1") not in _SECRET_HEADERS])


# -- response headers: Date, minimum TTLs ------------------------------------------------------------


def _with_date_and_min_ttl(response: httpx.Response, min_ttl: float | None, now: float) -> None:
    """Adds a Date header when missing (hishel ages entries by it) and applies a minimum TTL."""
    headers = response.headers
    date = headers.get("date")
    received = parsedate_tz(date) if date else None
    if received is None:
        headers["date"] = formatdate(now, usegmt=True)
        age = 0.0
    else:
        age = max(0.0, now - mktime_tz(received))
    if not min_ttl or response.status_code not in (200, 304):
        return
    directives = [d.strip() for d in headers.get("cache-control", "").split(",") if d.strip()]
    lowered = [d.lower() for d in directives]
    if any(d.startswith(("private", "no-store")) for d in lowered):
        return
    current = next((d for d in lowered if d.startswith("max-age=")), None)
    wanted = int(min_ttl + age)
    if current is not None:
        try:
            if int(current.split("=", 1)[1].strip('"')) >= wanted:
                return
        except ValueError:
            pass
    kept = [d for d, low in zip(directives, lowered, strict=True)
            if not low.startswith(("max-age=", "s-maxage=", "no-cache", "public"))]
    headers["cache-control"] = ", ".join(["public", f"max-age={wanted}", *kept])


def _min_ttl(rules: Mapping[str, float], names: tuple[str, ...]) -> float | None:
    for name in names:
        ttl = rules.get(name)
        if ttl is not None:
            return ttl
    return None


# -- storage guard, failure logging, in-memory storage ----------------------------------------------


def safe_url(url: str) -> str:
    """`url` with a password (redis://:secret@host) masked, for messages and reprs."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if sep and at and ":" in userinfo:
        rest = f"{userinfo.split(':', 1)[0]}:***@{host}"
    return redact(f"{scheme}{sep}{rest}")


def _shareable(headers: Any) -> bool:
    """RFC 9111 §3.5: a shared cache stores a response to an authenticated request only when told so."""
    value = (headers.get("cache-control") or "").lower()
    return "public" in value or "s-maxage" in value or "must-revalidate" in value


def _holds_secret(request: hishel.Request) -> bool:
    if any(name in _SECRET_HEADERS for name in request.headers):
        return True
    query = httpx.URL(request.url).params
    return any(name in query for name in _SECRET_PARAMS) or redact(unquote(request.url)) != unquote(request.url)


_in_storage_call: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar("tmdb_cache_call", default=None)


class _StorageFailureFilter(logging.Filter):
    """Notes hishel's storage errors for the call under way and drops the log record (we log once)."""

    def filter(self, record: logging.LogRecord) -> bool:
        flag = _in_storage_call.get()
        if flag is None or record.levelno < logging.WARNING:
            return True
        flag[0] = True
        return False


_FAILURE_FILTER = _StorageFailureFilter()
_HISHEL_LOGGERS = (
    "hishel._core._storages._sync_redis",
    "hishel._core._storages._async_redis",
    "hishel._core._storages._sync_sqlite",
    "hishel._core._storages._async_sqlite",
)


def _install_failure_filter() -> None:
    for name in _HISHEL_LOGGERS:
        log = logging.getLogger(name)
        if _FAILURE_FILTER not in log.filters:
            log.addFilter(_FAILURE_FILTER)


class _Health:
    """Storage outage state shared by a Cache's sync and async storages: log once, skip for a while."""

    def __init__(self, name: str, retry_after: float) -> None:
        self.name, self.retry_after = name, retry_after
        self._down_until = 0.0
        self._lock = threading.Lock()

    def usable(self) -> bool:
        return self._down_until == 0.0 or time.monotonic() >= self._down_until

    def failed(self, error: BaseException | str) -> None:
        with self._lock:
            first = self._down_until == 0.0
            self._down_until = time.monotonic() + self.retry_after
        if first:
            logger.warning(
                "cache %s: storage failed (%s); serving from the network and retrying the storage every %gs",
                self.name, redact(str(error)) or type(error).__name__, self.retry_after,
            )

    def succeeded(self) -> None:
        if self._down_until != 0.0:
            with self._lock:
                if self._down_until == 0.0:
                    return
                self._down_until = 0.0
            logger.warning("cache %s: storage reachable again", self.name)


def _guard_imports() -> tuple[Any, Any]:
    import hishel

    return hishel.BaseStorage, hishel.AsyncBaseStorage


def _make_guarded(kind: str) -> Any:
    """The guarded storage classes, built on first use (hishel is imported lazily)."""
    base_storage, async_base_storage = _guard_imports()

    class GuardedStorage(base_storage):  # type: ignore[misc, valid-type]
        """Delegates to a hishel storage; refuses unshareable or secret-bearing entries; tracks failures."""

        def __init__(self, inner: Any, health: _Health) -> None:
            super().__init__()
            self.inner, self.health = inner, health

        def _call(self, method: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
            if not self.health.usable():
                return fallback
            flag = [False]
            token = _in_storage_call.set(flag)
            try:
                result = getattr(self.inner, method)(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 (a storage must never fail the request)
                self.health.failed(exc)
                return fallback
            finally:
                _in_storage_call.reset(token)
            if flag[0]:
                self.health.failed("see the hishel storage's error")
                return fallback
            self.health.succeeded()
            return result

        def create_entry(self, request: Any, response: Any, key: str, *, ttl: Any = None, tti: Any = None) -> Any:
            import hishel

            unstored = hishel.Entry(id=uuid.uuid4(), request=request, response=response)
            if _holds_secret(request) or not _shareable(response.headers) or response.status_code >= 429:
                return unstored
            return self._call("create_entry", unstored, request, response, key, ttl=ttl, tti=tti)

        def get_entries(self, key: str) -> Any:
            return self._call("get_entries", [], key)

        def update_headers(self, id: uuid.UUID, headers: Any) -> None:
            self._call("update_headers", None, id, headers)

        def remove_entry(self, id: uuid.UUID) -> None:
            self._call("remove_entry", None, id)

        def close(self) -> None:
            self.inner.close()

    class AsyncGuardedStorage(async_base_storage):  # type: ignore[misc, valid-type]
        """The async mirror of GuardedStorage."""

        def __init__(self, inner: Any, health: _Health) -> None:
            super().__init__()
            self.inner, self.health = inner, health

        async def _call(self, method: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
            if not self.health.usable():
                return fallback
            flag = [False]
            token = _in_storage_call.set(flag)
            try:
                result = await getattr(self.inner, method)(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001
                self.health.failed(exc)
                return fallback
            finally:
                _in_storage_call.reset(token)
            if flag[0]:
                self.health.failed("see the hishel storage's error")
                return fallback
            self.health.succeeded()
            return result

        async def create_entry(self, request: Any, response: Any, key: str, *, ttl: Any = None, tti: Any = None) -> Any:
            import hishel

            unstored = hishel.Entry(id=uuid.uuid4(), request=request, response=response)
            if _holds_secret(request) or not _shareable(response.headers) or response.status_code >= 429:
                return unstored
            return await self._call("create_entry", unstored, request, response, key, ttl=ttl, tti=tti)

        async def get_entries(self, key: str) -> Any:
            return await self._call("get_entries", [], key)

        async def update_headers(self, id: uuid.UUID, headers: Any) -> None:
            await self._call("update_headers", None, id, headers)

        async def remove_entry(self, id: uuid.UUID) -> None:
            await self._call("remove_entry", None, id)

        async def close(self) -> None:
            await self.inner.close()

    return GuardedStorage if kind == "sync" else AsyncGuardedStorage


@dataclass(slots=True)
class _Stored:
    key: str
    request: Any  # hishel.Request
    status_code: int
    headers: Any  # hishel.Headers
    body: bytes
    expires_at: float | None


class _MemoryStore:
    """Entries in a dict, least recently used first; one per cache key (the newest)."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.lock = threading.Lock()
        self.entries: OrderedDict[uuid.UUID, _Stored] = OrderedDict()
        self.by_key: dict[str, uuid.UUID] = {}
        self.size = 0

    def put(self, id_: uuid.UUID, stored: _Stored) -> None:
        if len(stored.body) > self.max_bytes:
            return
        with self.lock:
            old = self.by_key.get(stored.key)
            if old is not None:
                self._drop(old)
            self.entries[id_] = stored
            self.by_key[stored.key] = id_
            self.size += len(stored.body)
            while len(self.entries) > self.max_entries or self.size > self.max_bytes:
                self._drop(next(iter(self.entries)))

    def _drop(self, id_: uuid.UUID) -> None:
        stored = self.entries.pop(id_, None)
        if stored is not None:
            self.size -= len(stored.body)
            if self.by_key.get(stored.key) == id_:
                del self.by_key[stored.key]

    def get(self, key: str, now: float) -> tuple[uuid.UUID, _Stored] | None:
        with self.lock:
            id_ = self.by_key.get(key)
            if id_ is None:
                return None
            stored = self.entries[id_]
            if stored.expires_at is not None and stored.expires_at <= now:
                self._drop(id_)
                return None
            self.entries.move_to_end(id_)
            return id_, stored

    def update_headers(self, id_: uuid.UUID, headers: Any) -> None:
        with self.lock:
            stored = self.entries.get(id_)
            if stored is not None:
                stored.headers = headers

    def remove(self, id_: uuid.UUID) -> None:
        with self.lock:
            self._drop(id_)


def _memory_entry(id_: uuid.UUID, stored: _Stored, stream: Any) -> Any:
    import hishel

    response = hishel.Response(status_code=stored.status_code, headers=stored.headers, stream=stream)
    return hishel.Entry(id=id_, request=stored.request, response=response)


def _make_memory(kind: str) -> Any:
    base_storage, async_base_storage = _guard_imports()

    class MemoryStorage(base_storage):  # type: ignore[misc, valid-type]
        """hishel's storage interface over a dict in this process (fast: no serialisation)."""

        def __init__(self, store: _MemoryStore, default_ttl: float | None) -> None:
            super().__init__(default_ttl=default_ttl)
            self.store = store

        def create_entry(self, request: Any, response: Any, key: str, *, ttl: Any = None, tti: Any = None) -> Any:
            id_ = uuid.uuid4()
            deadline, _ = self._limits(ttl, None, time.time())
            body = response.stream if response.stream is not None else iter(())
            store = self.store

            def saving() -> Iterator[bytes]:
                chunks = []
                for chunk in body:
                    chunks.append(chunk)
                    yield chunk
                store.put(id_, _Stored(key, request, response.status_code, response.headers, b"".join(chunks),
                                       deadline))

            return _memory_entry(id_, _Stored(key, request, response.status_code, response.headers, b"", deadline),
                                 saving())

        def get_entries(self, key: str) -> list[Any]:
            found = self.store.get(key, time.time())
            if found is None:
                return []
            id_, stored = found
            return [_memory_entry(id_, stored, iter((stored.body,)))]

        def update_headers(self, id: uuid.UUID, headers: Any) -> None:
            self.store.update_headers(id, headers)

        def remove_entry(self, id: uuid.UUID) -> None:
            self.store.remove(id)

    class AsyncMemoryStorage(async_base_storage):  # type: ignore[misc, valid-type]
        """The async mirror of MemoryStorage, over the same store."""

        def __init__(self, store: _MemoryStore, default_ttl: float | None) -> None:
            super().__init__(default_ttl=default_ttl)
            self.store = store

        async def create_entry(self, request: Any, response: Any, key: str, *, ttl: Any = None, tti: Any = None) -> Any:
            id_ = uuid.uuid4()
            deadline, _ = self._limits(ttl, None, time.time())
            body = response.stream
            store = self.store

            async def saving() -> AsyncIterator[bytes]:
                chunks = []
                if body is not None:
                    async for chunk in body:
                        chunks.append(chunk)
                        yield chunk
                store.put(id_, _Stored(key, request, response.status_code, response.headers, b"".join(chunks),
                                       deadline))

            return _memory_entry(id_, _Stored(key, request, response.status_code, response.headers, b"", deadline),
                                 saving())

        async def get_entries(self, key: str) -> list[Any]:
            found = self.store.get(key, time.time())
            if found is None:
                return []
            id_, stored = found

            async def body() -> AsyncIterator[bytes]:
                yield stored.body

            return [_memory_entry(id_, stored, body())]

        async def update_headers(self, id: uuid.UUID, headers: Any) -> None:
            self.store.update_headers(id, headers)

        async def remove_entry(self, id: uuid.UUID) -> None:
            self.store.remove(id)

    return MemoryStorage if kind == "sync" else AsyncMemoryStorage


# -- fresh responses kept in this process -------------------------------------------------------------


def fresh_for(headers: httpx.Headers, now: float) -> float:
    """Seconds a 200 stays fresh for a shared cache by its Cache-Control, Date and Age; 0 when unsure.

    Stricter than hishel (no Expires, no heuristics), so the memo never serves what hishel would not.
    """
    value = headers.get("cache-control")
    if not value:
        return 0.0
    max_age = s_maxage = None
    for directive in value.lower().split(","):
        name, _, argument = directive.strip().partition("=")
        if name in ("no-cache", "no-store", "private", "must-understand"):
            return 0.0
        if name in ("max-age", "s-maxage"):
            try:
                seconds = int(argument.strip().strip('"'))
            except ValueError:
                return 0.0
            if name == "max-age":
                max_age = seconds
            else:
                s_maxage = seconds
    lifetime = s_maxage if s_maxage is not None else max_age
    if not lifetime or "*" in headers.get("vary", ""):
        return 0.0
    date = headers.get("date")
    parsed = parsedate_tz(date) if date else None
    if parsed is None:
        return 0.0
    try:
        age = max(0.0, now - mktime_tz(parsed)) + int(headers.get("age", "0"))
    except ValueError:
        return 0.0
    return max(0.0, lifetime - age)


@dataclass(slots=True)
class _Fresh:
    until: float  # time.monotonic()
    status_code: int
    headers: httpx.Headers
    body: bytes
    vary: tuple[tuple[str, str | None], ...]  # the request headers the response varies on, and their values

    def response(self) -> httpx.Response:
        return httpx.Response(self.status_code, headers=self.headers, content=self.body,
                              extensions={EXTENSION: "hit"})


class _FreshMemo:
    """Responses hishel served or stored while fresh, kept in this process until their freshness ends.

    A fresh hit then costs a dict lookup instead of a storage read and hishel's RFC 9111 evaluation;
    stale entries still go through hishel (and its revalidation).
    """

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: dict[str, _Fresh] = {}
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str, headers: httpx.Headers) -> _Fresh | None:
        fresh = self.entries.get(key)
        if fresh is None:
            return None
        if fresh.until <= time.monotonic():
            with self.lock:
                if self.entries.get(key) is fresh:
                    del self.entries[key]
                    self.size -= len(fresh.body)
            return None
        for name, value in fresh.vary:
            if headers.get(name) != value:
                return None
        return fresh

    def put(self, key: str, fresh: _Fresh) -> None:
        if len(fresh.body) > self.max_bytes // 16:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.entries[key] = fresh
            self.size += len(fresh.body)
            while len(self.entries) > self.max_entries or self.size > self.max_bytes:
                self.size -= len(self.entries.pop(next(iter(self.entries))).body)


def _memo_candidate(response: httpx.Response, stored: bool) -> float:
    """Seconds `response` may be kept in the memo (0: not at all): what hishel and the guard store."""
    if response.status_code != 200 or not stored or not _shareable(response.headers):
        return 0.0
    return fresh_for(response.headers, time.time())


def _fresh(response: httpx.Response, request: httpx.Request, seconds: float, body: bytes) -> _Fresh:
    vary = tuple((name, request.headers.get(name)) for name in
                 (n.strip().lower() for n in response.headers.get("vary", "").split(",")) if name)
    return _Fresh(time.monotonic() + seconds, response.status_code, response.headers, body, vary)


# -- the Cache object ---------------------------------------------------------------------------------


@dataclass(slots=True)
class CacheStats:
    """What this process's cache layers did, counted per outcome."""

    hits: int = 0
    revalidated: int = 0
    misses: int = 0
    bypassed: int = 0

    def count(self, outcome: CacheOutcome) -> None:
        if outcome == "hit":
            self.hits += 1
        elif outcome == "revalidated":
            self.revalidated += 1
        elif outcome == "miss":
            self.misses += 1
        else:
            self.bypassed += 1


class Cache:
    """Where and how TMDB responses are cached; give it to TMDB(cache=...) and/or AsyncTMDB(cache=...).

    storage: "memory" (this process, the default), "sqlite:///relative.db" or "sqlite:////abs/path.db"
    (one machine), "redis://[:password@]host:port/db" or "rediss://..." (a fleet: needs the `redis`
    extra), or a hishel storage object (hishel.BaseStorage for TMDB, hishel.AsyncBaseStorage for
    AsyncTMDB). A sync and an async client may share one Cache.
    min_ttl: resource or operationId -> seconds a 200 stays fresh at least (see SUGGESTED_MIN_TTL).
    ttl: how long an entry is kept (for revalidation) after it was stored; None keeps it until evicted.
    max_entries / max_bytes: bounds of the in-memory storage.
    retry_after: seconds a failing storage is skipped before it is tried again.
    """

    def __init__(
        self,
        storage: str | Any = "memory",
        *,
        min_ttl: Mapping[str, float] | None = None,
        ttl: float | None = 86400.0,
        max_entries: int = 4096,
        max_bytes: int = 64 * 1024 * 1024,
        key_prefix: str = "tmdb-cache",
        redis_timeout: float = 0.5,
        retry_after: float = 5.0,
    ) -> None:
        self.storage = storage
        self.min_ttl: Mapping[str, float] = MappingProxyType(dict(min_ttl or {}))
        for name, seconds in self.min_ttl.items():
            if seconds < 0:
                raise ConfigurationError(f"Cache min_ttl[{name!r}] must not be negative")
        self.ttl, self.key_prefix, self.redis_timeout, self.retry_after = ttl, key_prefix, redis_timeout, retry_after
        self.stats = CacheStats()
        self._memory = _MemoryStore(max_entries, max_bytes)
        self._memo = _FreshMemo(max_entries, max_bytes)
        self._health = _Health(self._describe(), retry_after)
        self._sync: Any = None
        self._async: Any = None
        self._lock = threading.Lock()
        if isinstance(storage, str):
            self._scheme()  # fail early on an unknown URL

    def _describe(self) -> str:
        return safe_url(self.storage) if isinstance(self.storage, str) else type(self.storage).__name__

    def __repr__(self) -> str:
        return f"Cache({self._describe()!r}, min_ttl={dict(self.min_ttl)!r}, ttl={self.ttl!r})"

    def _scheme(self) -> str:
        assert isinstance(self.storage, str)
        if self.storage == "memory":
            return "memory"
        scheme = self.storage.split("://", 1)[0] if "://" in self.storage else ""
        if scheme in ("sqlite", "redis", "rediss", "unix"):
            return "redis" if scheme in ("rediss", "unix") else scheme
        raise ConfigurationError(
            f"Cache storage {self._describe()!r}: use 'memory', 'sqlite:///path', 'redis://host:port/db' "
            "or a hishel storage object"
        )

    def _sqlite_path(self) -> str:
        # sqlite:///x.db -> x.db, sqlite:////tmp/x.db -> /tmp/x.db
        return str(self.storage).split("://", 1)[1].removeprefix("/")

    def _redis_kwargs(self) -> dict[str, Any]:
        return {"socket_timeout": self.redis_timeout, "socket_connect_timeout": self.redis_timeout}

    def sync_storage(self) -> Any:
        """The (guarded) hishel storage TMDB clients use, made on first use."""
        with self._lock:
            if self._sync is None:
                self._sync = _make_guarded("sync")(self._new_storage("sync"), self._health)
                _install_failure_filter()
            return self._sync

    def async_storage(self) -> Any:
        """The (guarded) hishel storage AsyncTMDB clients use, made on first use."""
        with self._lock:
            if self._async is None:
                self._async = _make_guarded("async")(self._new_storage("async"), self._health)
                _install_failure_filter()
            return self._async

    def _new_storage(self, kind: str) -> Any:
        import hishel

        if not isinstance(self.storage, str):
            wanted = hishel.BaseStorage if kind == "sync" else hishel.AsyncBaseStorage
            if not isinstance(self.storage, wanted):
                who = "TMDB" if kind == "sync" else "AsyncTMDB"
                raise ConfigurationError(f"Cache storage {self._describe()} cannot serve {who}: "
                                         f"it needs a hishel.{wanted.__name__}")
            return self.storage
        scheme = self._scheme()
        if scheme == "memory":
            return _make_memory(kind)(self._memory, self.ttl)
        if scheme == "sqlite":
            # Our own connection: given only a path, hishel puts relative ones under .cache/hishel/
            # and writes a .gitignore beside the file.
            import sqlite3

            path = Path(self._sqlite_path())
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            if kind == "sync":
                return hishel.SqliteStorage(connection=connection, default_ttl=self.ttl)
            import anysqlite

            return hishel.AsyncSqliteStorage(connection=anysqlite.Connection(connection), default_ttl=self.ttl)
        try:
            if kind == "sync":
                from redis import Redis

                client: Any = Redis.from_url(self.storage, **self._redis_kwargs())
            else:
                from redis.asyncio import Redis as AsyncRedis

                client = AsyncRedis.from_url(self.storage, **self._redis_kwargs())
        except ImportError:
            raise ConfigurationError(
                "a Redis cache needs the redis package: pip install 'tmdb-sdk-internal[redis]'"
            ) from None
        storage_class = hishel.RedisStorage if kind == "sync" else hishel.AsyncRedisStorage
        return storage_class(client=client, default_ttl=self.ttl, key_prefix=self.key_prefix)

    def close(self) -> None:
        """Closes the sync storage (an async one needs `await aclose()`)."""
        with self._lock:
            storage, self._sync = self._sync, None
        if storage is not None:
            storage.close()

    async def aclose(self) -> None:
        """Closes both storages."""
        self.close()
        with self._lock:
            storage, self._async = self._async, None
        if storage is not None:
            await storage.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @classmethod
    def coerce(cls, value: Cache | str | bool | None) -> tuple[Cache | None, bool]:
        """(the Cache for a client's `cache=` argument, whether the client owns it)."""
        if value is None or value is False:
            return None, False
        if value is True:
            return cls(), True
        if isinstance(value, str):
            return cls(value), True
        if isinstance(value, Cache):
            return value, False
        raise ConfigurationError(f"cache= takes a Cache, a storage URL, True or None, not {type(value).__name__}")


# -- the transports ------------------------------------------------------------------------------------


def _outcome(response: httpx.Response) -> CacheOutcome:
    status = response.extensions.get("caching")
    if not status:
        return "miss"
    if status["from_cache"]:
        return "revalidated" if status["revalidated"] else "hit"
    return "miss"


def _public_request(request: httpx.Request, public: str, rule: float | None) -> httpx.Request:
    hishel_request = httpx.Request("GET", public, headers=_public_headers(request.headers))
    hishel_request.extensions = {"caching": {"key": cache_key(public)}, _ORIGINAL: request, _RULES: rule}
    return hishel_request


def _conditional(public: httpx.Request, original: httpx.Request) -> list[tuple[bytes, bytes]]:
    """The validators hishel added to `public` (If-None-Match, If-Modified-Since) for the real request."""
    return [(name.encode(), value.encode()) for name in _CONDITIONAL_HEADERS
            if (value := public.headers.get(name)) is not None and name not in original.headers]


class _ToNetwork(httpx.BaseTransport):
    """Below hishel: sends the caller's own request (credentials and all) with hishel's validators."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        original: httpx.Request = request.extensions[_ORIGINAL]
        validators = _conditional(request, original)
        if validators:
            headers = original.headers
            original.headers = httpx.Headers([*headers.raw, *validators])
            try:
                response = self.inner.handle_request(original)
            finally:
                original.headers = headers
        else:
            response = self.inner.handle_request(original)
        _with_date_and_min_ttl(response, request.extensions[_RULES], time.time())
        return response


class _AsyncToNetwork(httpx.AsyncBaseTransport):
    """The async mirror of _ToNetwork."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        original: httpx.Request = request.extensions[_ORIGINAL]
        validators = _conditional(request, original)
        if validators:
            headers = original.headers
            original.headers = httpx.Headers([*headers.raw, *validators])
            try:
                response = await self.inner.handle_async_request(original)
            finally:
                original.headers = headers
        else:
            response = await self.inner.handle_async_request(original)
        _with_date_and_min_ttl(response, request.extensions[_RULES], time.time())
        return response


def _options() -> Any:
    from hishel import CacheOptions

    return CacheOptions(shared=True, supported_methods=["GET"])


class CacheTransport(httpx.BaseTransport):
    """Answers cacheable requests through hishel over `cache`'s storage; passes the others to `inner`.

    enabled=False (a `with_options(cache=False)` view) passes everything on, marked "bypass".
    Closing it closes `inner`, not the cache's storage (the Cache's owner closes that).
    """

    def __init__(self, inner: httpx.BaseTransport, cache: Cache, *, enabled: bool = True) -> None:
        self.inner, self.cache, self.enabled = inner, cache, enabled
        self._hishel: httpx.BaseTransport | None = None

    def _layer(self) -> httpx.BaseTransport:
        if self._hishel is None:
            from hishel.httpx import CacheTransport as HishelTransport

            self._hishel = HishelTransport(_ToNetwork(self.inner), self.cache.sync_storage(), rfc=_options())
        return self._hishel

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        cache = self.cache
        kind = classify(request) if self.enabled else _NOT_CACHEABLE
        if not kind.cacheable:
            response = self.inner.handle_request(request)
            response.extensions[EXTENSION] = "bypass"
            cache.stats.bypassed += 1
            return response
        public = public_url(request.url)
        fresh = cache._memo.get(public, request.headers) if "cache-control" not in request.headers else None
        if fresh is not None:
            cache.stats.hits += 1
            return fresh.response()
        rule = _min_ttl(cache.min_ttl, kind.names) if cache.min_ttl else None
        response = self._layer().handle_request(_public_request(request, public, rule))
        outcome = _outcome(response)
        seconds = _memo_candidate(response, outcome != "miss" or response.extensions["caching"]["stored"])
        if seconds > 0.0:
            try:
                body = b"".join(response.iter_raw())
            finally:
                response.close()
            cache._memo.put(public, _fresh(response, request, seconds, body))
            response = httpx.Response(200, headers=response.headers, content=body, extensions=response.extensions)
        response.extensions[EXTENSION] = outcome
        cache.stats.count(outcome)
        return response

    def close(self) -> None:
        self.inner.close()


class AsyncCacheTransport(httpx.AsyncBaseTransport):
    """The async mirror of CacheTransport."""

    def __init__(self, inner: httpx.AsyncBaseTransport, cache: Cache, *, enabled: bool = True) -> None:
        self.inner, self.cache, self.enabled = inner, cache, enabled
        self._ahishel: httpx.AsyncBaseTransport | None = None

    def _alayer(self) -> httpx.AsyncBaseTransport:
        if self._ahishel is None:
            from hishel.httpx import AsyncCacheTransport as HishelTransport

            self._ahishel = HishelTransport(_AsyncToNetwork(self.inner), self.cache.async_storage(), rfc=_options())
        return self._ahishel

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        cache = self.cache
        kind = classify(request) if self.enabled else _NOT_CACHEABLE
        if not kind.cacheable:
            response = await self.inner.handle_async_request(request)
            response.extensions[EXTENSION] = "bypass"
            cache.stats.bypassed += 1
            return response
        public = public_url(request.url)
        fresh = cache._memo.get(public, request.headers) if "cache-control" not in request.headers else None
        if fresh is not None:
            cache.stats.hits += 1
            return fresh.response()
        rule = _min_ttl(cache.min_ttl, kind.names) if cache.min_ttl else None
        response = await self._alayer().handle_async_request(_public_request(request, public, rule))
        outcome = _outcome(response)
        seconds = _memo_candidate(response, outcome != "miss" or response.extensions["caching"]["stored"])
        if seconds > 0.0:
            try:
                body = b"".join([chunk async for chunk in response.aiter_raw()])
            finally:
                await response.aclose()
            cache._memo.put(public, _fresh(response, request, seconds, body))
            response = httpx.Response(200, headers=response.headers, content=body, extensions=response.extensions)
        response.extensions[EXTENSION] = outcome
        cache.stats.count(outcome)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class CacheLayer(CacheTransport, AsyncCacheTransport):  # type: ignore[misc]
    """Both in one, for a chain built without knowing whether the pool below is sync or async."""

    def __init__(self, inner: Any, cache: Cache, *, enabled: bool = True) -> None:
        CacheTransport.__init__(self, inner, cache, enabled=enabled)
        AsyncCacheTransport.__init__(self, inner, cache, enabled=enabled)
