"""The storage guard: what may be stored (nothing unshareable, nothing holding a secret, no 429/5xx),
and storage failures turned into misses (logged once an outage, hishel's own repeats dropped)."""
from __future__ import annotations

import contextvars
import logging
import time
import uuid
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


def install_failure_filter() -> None:
    for name in _HISHEL_LOGGERS:
        log = logging.getLogger(name)
        if _FAILURE_FILTER not in log.filters:
            log.addFilter(_FAILURE_FILTER)


def storage_outage(name: str, retry_after: float) -> Outage:
    """The outage switch of a Cache's storages (its sync and async ones share it)."""

    def down(error: BaseException | str) -> None:
        logger.warning(
            "cache %s: storage failed (%s); serving from the network and retrying the storage every %gs",
            name, redact(str(error)) or type(error).__name__, retry_after,
        )

    return Outage(retry_after, down, lambda: logger.warning("cache %s: storage reachable again", name))


def _holds_secret(request: hishel.Request) -> bool:
    if any(name in SECRET_HEADERS for name in request.headers):
        return True
    query = httpx.URL(request.url).params
    return any(name in query for name in _SECRET_PARAMS) or redact(unquote(request.url)) != unquote(request.url)


class Guarded:
    """A Storage in front of another: refuses unshareable or secret-bearing entries; tracks failures."""

    def __init__(self, inner: Storage, outage: Outage) -> None:
        self.inner, self.outage = inner, outage

    async def _call(self, io: IO, method: str, fallback: Any, *args: Any) -> Any:
        if not self.outage.usable(time.monotonic()):
            return fallback
        flag = [False]
        token = _in_storage_call.set(flag)
        try:
            result = await getattr(self.inner, method)(io, *args)
        except Exception as exc:  # noqa: BLE001 (a storage must never fail the request)
            self.outage.failed(exc, time.monotonic())
            return fallback
        finally:
            _in_storage_call.reset(token)
        if flag[0]:
            self.outage.failed("see the hishel storage's error", time.monotonic())
            return fallback
        self.outage.worked()
        return result

    async def create_entry(
        self, io: IO, request: hishel.Request, response: hishel.Response, key: str, ttl: float | None,
        tti: float | None,
    ) -> hishel.Entry:
        import hishel

        unstored = hishel.Entry(id=uuid.uuid4(), request=request, response=response)
        if _holds_secret(request) or not shareable(response.headers) or response.status_code >= 429:
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
