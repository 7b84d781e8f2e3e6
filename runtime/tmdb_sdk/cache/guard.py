"""The storage guard: what may be stored (nothing unshareable, nothing holding a secret, no 429/5xx),
and storage failures turned into misses on every path, a stored body's read and a store's write included
(logged once an outage with its cause, hishel's own records dropped, none left at ERROR)."""
from __future__ import annotations

import contextvars
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httpx

from .._backends import Outage
from .._io import IO
from ..redact import SECRET_PARAMS, redact
from .adapter import Storage
from .keys import SECRET_HEADERS
from .rules import shareable

if TYPE_CHECKING:
    import hishel

logger = logging.getLogger("tmdb_sdk.cache")

_SECRET_PARAMS = frozenset(SECRET_PARAMS)
_HISHEL_LOGGERS = (
    "hishel._core._storages._sync_redis",
    "hishel._core._storages._async_redis",
    "hishel._core._storages._sync_sqlite",
    "hishel._core._storages._async_sqlite",
)
# The causes hishel's storages logged during the storage call under way (None: no call under way).
_in_storage_call: contextvars.ContextVar[list[BaseException | str] | None] = contextvars.ContextVar(
    "tmdb_cache_call", default=None
)


class _StorageFailureFilter(logging.Filter):
    """Notes hishel's storage errors for the call under way and drops the log record (the guard logs the
    outage once, naming the cause). Outside a guarded call an ERROR is demoted to WARNING: hishel handled it."""

    def filter(self, record: logging.LogRecord) -> bool:
        causes = _in_storage_call.get()
        if record.levelno < logging.WARNING:
            return True
        if causes is None:
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
            return True
        error = record.exc_info[1] if record.exc_info else None
        causes.append(error if error is not None else record.getMessage())
        return False


_FAILURE_FILTER = _StorageFailureFilter()


def install_failure_filter() -> None:
    for name in _HISHEL_LOGGERS:
        log = logging.getLogger(name)
        if _FAILURE_FILTER not in log.filters:
            log.addFilter(_FAILURE_FILTER)


def cause(error: BaseException | str) -> str:
    """What failed, for the outage warning: the exception's type and message (secrets redacted), or the
    message hishel logged."""
    if isinstance(error, str):
        return redact(error)
    message = redact(str(error))
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def storage_outage(name: str, interval: float) -> Outage:
    """The outage switch of a Cache's storages (its sync and async ones share it)."""

    def down(error: BaseException | str) -> None:
        logger.warning(
            "cache %s: storage failed (%s); serving from the network and retrying the storage every %gs",
            name, cause(error), interval,
        )

    return Outage(interval, down, lambda: logger.warning("cache %s: storage reachable again", name))


def _holds_secret(request: hishel.Request) -> bool:
    if any(name in SECRET_HEADERS for name in request.headers):
        return True
    query = httpx.URL(request.url).params
    return any(name in query for name in _SECRET_PARAMS) or redact(unquote(request.url)) != unquote(request.url)


def storable(request: hishel.Request, response: hishel.Response) -> bool:
    """Whether the guard lets `response` be stored: shareable, no 429/5xx, and no secret in `request`."""
    return not _holds_secret(request) and shareable(response.headers) and response.status_code < 429


class Guarded:
    """A Storage in front of another: refuses unshareable or secret-bearing entries; tracks failures."""

    def __init__(self, inner: Storage, outage: Outage) -> None:
        self.inner, self.outage = inner, outage

    async def _guard(self, io: IO, fallback: Any, work: Callable[[], Awaitable[Any]]) -> Any:
        """work()'s result, or `fallback` when the storage is skipped or fails (by raising, or by logging
        an error through hishel's loggers)."""
        if not self.outage.usable(time.monotonic()):
            return fallback
        causes: list[BaseException | str] = []
        token = _in_storage_call.set(causes)
        try:
            result = await work()
        except Exception as exc:  # noqa: BLE001 (a storage must never fail the request)
            self.outage.failed(exc, time.monotonic())
            return fallback
        finally:
            _in_storage_call.reset(token)
        if causes:
            self.outage.failed(causes[0], time.monotonic())
            return fallback
        self.outage.worked()
        return result

    async def _call(self, io: IO, method: str, fallback: Any, *args: Any) -> Any:
        return await self._guard(io, fallback, lambda: getattr(self.inner, method)(io, *args))

    async def read_body(self, io: IO, entry: hishel.Entry) -> bytes | None:
        """A stored entry's body, read to the end now (a storage may stream it: Redis reads it chunk by chunk
        after the lookup), or None when the storage fails meanwhile."""
        stream = entry.response.stream

        async def read() -> bytes:
            return b"".join([chunk async for chunk in io.chunks(stream)]) if stream is not None else b""

        body: bytes | None = await self._guard(io, None, read)
        return body

    async def store(
        self, io: IO, request: hishel.Request, response: hishel.Response, key: str
    ) -> bool:
        """Stores `response` (its stream: the body, already read from the network) under `key`, the body
        written as the storage's stream is read; whether it was stored (False when refused or failed)."""
        if not storable(request, response):
            return False

        async def write() -> bool:
            entry = await self.inner.create_entry(io, request, response, key, None, None)
            if entry.response.stream is not None:
                async for _ in io.chunks(entry.response.stream):
                    pass
            return True

        stored: bool = await self._guard(io, False, write)
        return stored

    async def create_entry(
        self, io: IO, request: hishel.Request, response: hishel.Response, key: str, ttl: float | None,
        tti: float | None,
    ) -> hishel.Entry:
        import hishel

        unstored = hishel.Entry(id=uuid.uuid4(), request=request, response=response)
        if not storable(request, response):
            return unstored
        entry: hishel.Entry = await self._call(io, "create_entry", unstored, request, response, key, ttl, tti)
        return entry

    async def get_entries(self, io: IO, key: str) -> list[hishel.Entry]:
        entries: list[hishel.Entry] = await self._call(io, "get_entries", [], key)
        return entries

    async def update_headers(self, io: IO, id: uuid.UUID, headers: hishel.Headers) -> None:
        await self._call(io, "update_headers", None, id, headers)

    async def remove_entry(self, io: IO, id: uuid.UUID) -> None:
        await self._call(io, "remove_entry", None, id)

    async def close(self, io: IO) -> None:
        await self.inner.close(io)
