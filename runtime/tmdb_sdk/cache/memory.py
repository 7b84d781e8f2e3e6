"""The in-memory storage: hishel's entries in a dict of this process (fast: no serialisation), least
recently used first, bounded in entries and bytes; one store serves a Cache's sync and async clients."""
from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._io import IO

if TYPE_CHECKING:
    import hishel


@dataclass(slots=True)
class Stored:
    key: str
    request: Any  # hishel.Request
    status_code: int
    headers: Any  # hishel.Headers
    body: bytes
    expires_at: float | None


class MemoryStore:
    """Entries in a dict, least recently used first; one per cache key (the newest)."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.lock = threading.Lock()
        self.entries: OrderedDict[uuid.UUID, Stored] = OrderedDict()
        self.by_key: dict[str, uuid.UUID] = {}
        self.size = 0

    def put(self, id_: uuid.UUID, stored: Stored) -> None:
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

    def get(self, key: str, now: float) -> tuple[uuid.UUID, Stored] | None:
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


def _entry(id_: uuid.UUID, stored: Stored, stream: Any) -> hishel.Entry:
    import hishel

    response = hishel.Response(status_code=stored.status_code, headers=stored.headers, stream=stream)
    return hishel.Entry(id=id_, request=stored.request, response=response)


class _Body:
    """A stored body as a stream of one chunk, for a sync or an async reader."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        yield self.body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.body


class MemoryStorage:
    """A Storage (cache.adapter) over a MemoryStore."""

    def __init__(self, store: MemoryStore, default_ttl: float | None) -> None:
        self.store, self.default_ttl = store, default_ttl

    async def create_entry(
        self, io: IO, request: hishel.Request, response: hishel.Response, key: str, ttl: float | None,
        tti: float | None,
    ) -> hishel.Entry:
        id_ = uuid.uuid4()
        ttl = ttl if ttl is not None else self.default_ttl
        deadline = time.time() + ttl if ttl is not None else None
        body, store = response.stream, self.store

        async def saving() -> AsyncGenerator[bytes, None]:  # stores the body once it has been read to the end
            chunks = []
            if body is not None:
                async for chunk in io.chunks(body):
                    chunks.append(chunk)
                    yield chunk
            store.put(id_, Stored(key, request, response.status_code, response.headers, b"".join(chunks), deadline))

        return _entry(id_, Stored(key, request, response.status_code, response.headers, b"", deadline),
                      io.stream(saving()))

    async def get_entries(self, io: IO, key: str) -> list[hishel.Entry]:
        found = self.store.get(key, time.time())
        if found is None:
            return []
        id_, stored = found
        return [_entry(id_, stored, _Body(stored.body))]

    async def update_headers(self, io: IO, id: uuid.UUID, headers: hishel.Headers) -> None:
        self.store.update_headers(id, headers)

    async def remove_entry(self, io: IO, id: uuid.UUID) -> None:
        self.store.remove(id)

    async def close(self, io: IO) -> None:
        pass
