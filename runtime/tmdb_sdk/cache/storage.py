"""A Cache's hishel storage for each client flavour: its own in-memory one, SQLite, Redis, or the
hishel storage object it was given (checked against the flavour)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._backends import redis_client
from .._io import IO
from ..errors import ConfigurationError
from .adapter import Storage, Wrapped
from .memory import MemoryStorage

if TYPE_CHECKING:
    from .settings import Cache


def scheme(storage: str, described: str) -> str:
    """"memory", "sqlite" or "redis" for a storage URL; ConfigurationError for another."""
    if storage == "memory":
        return "memory"
    found = storage.split("://", 1)[0] if "://" in storage else ""
    if found in ("sqlite", "redis", "rediss", "unix"):
        return "redis" if found in ("rediss", "unix") else found
    raise ConfigurationError(
        f"Cache storage {described!r}: use 'memory', 'sqlite:///path', 'redis://host:port/db' "
        "or a hishel storage object"
    )


def open_storage(cache: Cache, io: IO) -> Storage:
    """The storage `cache` uses for io's flavour (TMDB: sync, AsyncTMDB: async), unguarded."""
    if cache.storage == "memory":
        return MemoryStorage(cache._memory, cache.ttl)
    return Wrapped(_hishel_storage(cache, io))


def _hishel_storage(cache: Cache, io: IO) -> Any:
    import hishel

    storage = cache.storage
    if not isinstance(storage, str):
        wanted = hishel.AsyncBaseStorage if io.is_async else hishel.BaseStorage
        if not isinstance(storage, wanted):
            who = "AsyncTMDB" if io.is_async else "TMDB"
            raise ConfigurationError(f"Cache storage {cache._describe()} cannot serve {who}: "
                                     f"it needs a hishel.{wanted.__name__}")
        return storage
    if scheme(storage, cache._describe()) == "sqlite":
        # Our own connection: given only a path, hishel puts relative ones under .cache/hishel/
        # and writes a .gitignore beside the file. sqlite:///x.db -> x.db, sqlite:////tmp/x.db -> /tmp/x.db
        import sqlite3

        path = Path(storage.split("://", 1)[1].removeprefix("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if not io.is_async:
            return hishel.SqliteStorage(connection=connection, default_ttl=cache.ttl)
        import anysqlite

        return hishel.AsyncSqliteStorage(connection=anysqlite.Connection(connection), default_ttl=cache.ttl)
    try:
        client = redis_client(storage, cache.redis_timeout, io)
    except ImportError:
        raise ConfigurationError(
            "a Redis cache needs the redis package: pip install 'tmdb-sdk-internal[redis]'"
        ) from None
    storage_class = hishel.AsyncRedisStorage if io.is_async else hishel.RedisStorage
    return storage_class(client=client, default_ttl=cache.ttl, key_prefix=cache.key_prefix)
