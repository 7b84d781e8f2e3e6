"""Storages written once (the Storage protocol, I/O through tmdb_sdk._io) and hishel's storage classes.

hishel has separate sync and async storage base classes: `hishel_storage` presents a Storage to hishel
as one or the other (the twins are here, each method one line that runs or awaits the shared
coroutine), and `Wrapped` presents a hishel storage of either flavour as a Storage."""
from __future__ import annotations

import functools
import uuid
from typing import TYPE_CHECKING, Any, Protocol

from .._io import ASYNC_IO, IO, SYNC_IO, run_sync

if TYPE_CHECKING:
    import hishel


class Storage(Protocol):
    """A storage's logic, its I/O done through `io` (tmdb_sdk._io)."""

    async def create_entry(
        self, io: IO, request: hishel.Request, response: hishel.Response, key: str, ttl: float | None,
        tti: float | None,
    ) -> hishel.Entry: ...
    async def get_entries(self, io: IO, key: str) -> list[hishel.Entry]: ...
    async def update_headers(self, io: IO, id: uuid.UUID, headers: hishel.Headers) -> None: ...
    async def remove_entry(self, io: IO, id: uuid.UUID) -> None: ...
    async def close(self, io: IO) -> None: ...


class Wrapped:
    """A hishel storage, sync or async, as a Storage: its methods run or awaited through `io`."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def create_entry(
        self, io: IO, request: hishel.Request, response: hishel.Response, key: str, ttl: float | None,
        tti: float | None,
    ) -> hishel.Entry:
        entry: hishel.Entry = await io.call(self.inner.create_entry, request, response, key, ttl=ttl, tti=tti)
        return entry

    async def get_entries(self, io: IO, key: str) -> list[hishel.Entry]:
        entries: list[hishel.Entry] = await io.call(self.inner.get_entries, key)
        return entries

    async def update_headers(self, io: IO, id: uuid.UUID, headers: hishel.Headers) -> None:
        await io.call(self.inner.update_headers, id, headers)

    async def remove_entry(self, io: IO, id: uuid.UUID) -> None:
        await io.call(self.inner.remove_entry, id)

    async def close(self, io: IO) -> None:
        await io.call(self.inner.close)


def hishel_storage(logic: Storage, io: IO) -> Any:
    """`logic` as a hishel.BaseStorage (TMDB) or hishel.AsyncBaseStorage (AsyncTMDB), by `io`."""
    sync_class, async_class = _classes()
    return async_class(logic) if io.is_async else sync_class(logic)


@functools.cache
def _classes() -> tuple[type[Any], type[Any]]:
    import hishel  # on first use: most programs never cache

    class SyncStorage(hishel.BaseStorage):
        def __init__(self, logic: Storage) -> None:
            super().__init__()
            self.logic = logic

        def create_entry(
            self, request: hishel.Request, response: hishel.Response, key: str, *, ttl: float | None = None,
            tti: float | None = None,
        ) -> hishel.Entry:
            return run_sync(self.logic.create_entry(SYNC_IO, request, response, key, ttl, tti))

        def get_entries(self, key: str) -> list[hishel.Entry]:
            return run_sync(self.logic.get_entries(SYNC_IO, key))

        def update_headers(self, id: uuid.UUID, headers: hishel.Headers) -> None:
            run_sync(self.logic.update_headers(SYNC_IO, id, headers))

        def remove_entry(self, id: uuid.UUID) -> None:
            run_sync(self.logic.remove_entry(SYNC_IO, id))

        def close(self) -> None:
            run_sync(self.logic.close(SYNC_IO))

    class AsyncStorage(hishel.AsyncBaseStorage):
        def __init__(self, logic: Storage) -> None:
            super().__init__()
            self.logic = logic

        async def create_entry(
            self, request: hishel.Request, response: hishel.Response, key: str, *, ttl: float | None = None,
            tti: float | None = None,
        ) -> hishel.Entry:
            return await self.logic.create_entry(ASYNC_IO, request, response, key, ttl, tti)

        async def get_entries(self, key: str) -> list[hishel.Entry]:
            return await self.logic.get_entries(ASYNC_IO, key)

        async def update_headers(self, id: uuid.UUID, headers: hishel.Headers) -> None:
            await self.logic.update_headers(ASYNC_IO, id, headers)

        async def remove_entry(self, id: uuid.UUID) -> None:
            await self.logic.remove_entry(ASYNC_IO, id)

        async def close(self) -> None:
            await self.logic.close(ASYNC_IO)

    return SyncStorage, AsyncStorage
