"""A Cache's hishel storage for each client flavour: its own in-memory one, SQLite, Redis, or the
hishel storage object it was given (checked against the flavour)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .._backends import redis_client
from .._io import IO
from ..errors import ConfigurationError
from .adapter import Storage, Wrapped
from .location import Location, scheme
from .memory import MemoryStorage


def open_storage(cache: Location, io: IO) -> Storage:
    """The storage at `cache` for io's flavour (TMDB: sync, AsyncTMDB: async), unguarded."""
    if cache.storage == "memory":
        return MemoryStorage(cache.memory, cache.ttl)
    return Wrapped(_hishel_storage(cache, io))


def _hishel_storage(cache: Location, io: IO) -> Any:
    import hishel

    storage = cache.storage
    if not isinstance(storage, str):
        wanted = hishel.AsyncBaseStorage if io.is_async else hishel.BaseStorage
        if not isinstance(storage, wanted):
            who = "AsyncTMDB" if io.is_async else "TMDB"
            raise ConfigurationError(f"Cache storage {cache.described} cannot serve {who}: "
                                     f"it needs a hishel.{wanted.__name__}")
        return storage
    if scheme(storage, cache.described) == "sqlite":
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
