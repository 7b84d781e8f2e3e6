"""Which ids a bulk job has finished, kept so that a killed job resumes without fetching them again.

An id is recorded once its outcome (a result, or "gone") has been handed to the caller and the caller
has asked for the next one, in batches of _defaults.BULK_CHECKPOINT_EVERY: a job killed mid-run fetches
again at most one batch (at-least-once, never lost). Failed ids are not recorded, so a rerun tries them.

- FileCheckpoint(path): one id per line, appended a batch per write and fsynced; a line cut short by a
  kill (no newline) is ignored when the file is read back.
- RedisCheckpoint(redis, key): a Redis set, shared by the replicas of a fleet (redis://URL or a client,
  redis.Redis for TMDB, redis.asyncio.Redis for AsyncTMDB).

Both are driven through tmdb_sdk._io, as the cache and the rate limit are: one logic, sync or awaited.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .._io import IO
from ..errors import ConfigurationError


@runtime_checkable
class Checkpoint(Protocol):
    """Where a bulk job keeps the ids it has finished."""

    async def done(self, io: IO, ids: Sequence[int]) -> list[bool]:
        """For each id, whether it was finished by an earlier run."""
        ...

    async def record(self, io: IO, ids: Sequence[int]) -> None:
        """Marks `ids` finished, durably."""
        ...

    async def close(self, io: IO) -> None: ...


class FileCheckpoint:
    """Finished ids in a local file, one per line (see the module docstring)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._ids: set[int] | None = None

    def __repr__(self) -> str:
        return f"FileCheckpoint({str(self.path)!r})"

    def _load(self) -> set[int]:
        if self._ids is None:
            ids: set[int] = set()
            if self.path.exists():
                text = self.path.read_bytes()
                complete = text[: text.rfind(b"\n") + 1]  # a line without its newline was cut by a kill
                for number, line in enumerate(complete.splitlines(), 1):
                    if not line.strip().isdigit():
                        raise ConfigurationError(f"checkpoint {self.path}, line {number}: {line[:40]!r} is not an id")
                    ids.add(int(line))
            self._ids = ids
        return self._ids

    async def done(self, io: IO, ids: Sequence[int]) -> list[bool]:
        known = self._load()
        return [i in known for i in ids]

    async def record(self, io: IO, ids: Sequence[int]) -> None:
        if not ids:
            return
        self._load().update(ids)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as file:
            file.write(b"".join(b"%d\n" % i for i in ids))  # one write: a kill leaves at most one torn line
            file.flush()
            os.fsync(file.fileno())

    async def close(self, io: IO) -> None:
        return None


class RedisCheckpoint:
    """Finished ids in a Redis set, for a fleet (see the module docstring)."""

    def __init__(self, redis: str | Any, key: str) -> None:
        if isinstance(redis, str) and not redis.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigurationError(f"RedisCheckpoint takes a redis:// URL or a client, not {redis!r}")
        if not key:
            raise ConfigurationError("RedisCheckpoint needs a key naming the job, e.g. 'tmdb:bulk:movies-2026-12-06'")
        self.redis, self.key = redis, key
        self._clients: dict[bool, Any] = {}

    def __repr__(self) -> str:
        return f"RedisCheckpoint(key={self.key!r})"

    def _client(self, io: IO) -> Any:
        if not isinstance(self.redis, str):
            return self.redis
        client = self._clients.get(io.is_async)
        if client is None:
            if io.is_async:
                import redis.asyncio as redis_asyncio

                client = redis_asyncio.Redis.from_url(self.redis)
            else:
                import redis

                client = redis.Redis.from_url(self.redis)
            self._clients[io.is_async] = client
        return client

    async def done(self, io: IO, ids: Sequence[int]) -> list[bool]:
        if not ids:
            return []
        found = await io.call(self._client(io).smismember, self.key, list(ids))
        return [bool(flag) for flag in found]

    async def record(self, io: IO, ids: Sequence[int]) -> None:
        if ids:
            await io.call(self._client(io).sadd, self.key, *ids)

    async def close(self, io: IO) -> None:
        client = self._clients.pop(io.is_async, None)
        if client is not None:
            await io.call(client.aclose if io.is_async else client.close)


def coerce(value: Checkpoint | str | Path | None) -> Checkpoint | None:
    if value is None or isinstance(value, Checkpoint):
        return value
    if isinstance(value, str) and value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError("checkpoint= takes a file path; for Redis pass RedisCheckpoint(url, key='job name')")
    if isinstance(value, (str, Path)):
        return FileCheckpoint(value)
    raise ConfigurationError(f"checkpoint= takes a path, a FileCheckpoint or a RedisCheckpoint, got {type(value).__name__}")
