"""The Cache object: where and how responses are cached, its counts, and its storages' lifetime."""
from __future__ import annotations

import threading
import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Self

from .._io import ASYNC_IO, IO, SYNC_IO, run_sync
from ..errors import ConfigurationError
from ..transport._layers import coerce
from .adapter import hishel_storage
from .guard import Guarded, install_failure_filter, storage_outage
from .location import Location, describe, scheme
from .memo import FreshMemo
from .memory import MemoryStore
from .rules import check_min_ttl
from .stats import CacheStats
from .storage import open_storage


class Cache:
    """Where and how TMDB responses are cached; give it to TMDB(cache=...) and/or AsyncTMDB(cache=...).

    storage: "memory" (this process, the default), "sqlite:///relative.db" or "sqlite:////abs/path.db"
    (one machine), "redis://[:password@]host:port/db" or "rediss://..." (a fleet: needs the `redis`
    extra), or a hishel storage object (hishel.BaseStorage for TMDB, hishel.AsyncBaseStorage for
    AsyncTMDB). A sync and an async client may share one Cache.
    min_ttl: resource or operationId -> seconds a 200 stays fresh at least (see SUGGESTED_MIN_TTL).
    ttl: how long an entry is kept (for revalidation) after it was stored; None keeps it until evicted.
    max_entries / max_bytes: bounds of the in-memory storage.
    redis_retry_interval: seconds a failing storage (Redis, SQLite or another) is skipped before it is
    tried again; `retry_after=` is its deprecated old name.

    A Cache passed in (TMDB(cache=Cache(...))) is closed by its owner, who may share it between clients:
    a client closes only the Cache it made itself, from a URL or True.
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
        redis_retry_interval: float = 5.0,
        retry_after: float | None = None,
    ) -> None:
        if retry_after is not None:
            warnings.warn("Cache(retry_after=...) is deprecated: use redis_retry_interval=...",
                          DeprecationWarning, stacklevel=2)
            redis_retry_interval = retry_after
        self.storage = storage
        self.min_ttl: Mapping[str, float] = MappingProxyType(dict(min_ttl or {}))
        check_min_ttl(self.min_ttl)
        for name, seconds in self.min_ttl.items():
            if seconds < 0:
                raise ConfigurationError(f"Cache min_ttl[{name!r}] must not be negative")
        self.ttl, self.key_prefix, self.redis_timeout = ttl, key_prefix, redis_timeout
        self.redis_retry_interval = redis_retry_interval
        self.stats = CacheStats()
        self._memory = MemoryStore(max_entries, max_bytes)
        self._memo = FreshMemo(max_entries, max_bytes)
        self._outage = storage_outage(self._describe(), redis_retry_interval)
        self._sync: Guarded | None = None  # the guarded storage of each flavour, made on first use
        self._async: Guarded | None = None
        self._lock = threading.Lock()
        if isinstance(storage, str):
            scheme(storage, self._describe())  # fail early on an unknown URL

    @property
    def retry_after(self) -> float:
        """Deprecated: `redis_retry_interval`."""
        warnings.warn("Cache.retry_after is deprecated: use Cache.redis_retry_interval", DeprecationWarning,
                      stacklevel=2)
        return self.redis_retry_interval

    def _describe(self) -> str:
        """The storage, for messages: its URL without a password, or its type."""
        return describe(self.storage)

    def __repr__(self) -> str:
        return f"Cache({self._describe()!r}, min_ttl={dict(self.min_ttl)!r}, ttl={self.ttl!r})"

    def guarded_for(self, io: IO) -> Guarded:
        """The guarded storage of io's flavour (cache.adapter's Storage), made on first use."""
        with self._lock:
            made = self._async if io.is_async else self._sync
            if made is None:
                where = Location(self.storage, self.ttl, self.key_prefix, self.redis_timeout, self._memory)
                made = Guarded(open_storage(where, io), self._outage)
                if io.is_async:
                    self._async = made
                else:
                    self._sync = made
                install_failure_filter()
            return made

    def storage_for(self, io: IO) -> Any:
        """The guarded storage of io's flavour as a hishel storage (a new view of it each call)."""
        return hishel_storage(self.guarded_for(io), io)

    def sync_storage(self) -> Any:
        """The (guarded) hishel storage TMDB clients use, made on first use."""
        return self.storage_for(SYNC_IO)

    def async_storage(self) -> Any:
        """The (guarded) hishel storage AsyncTMDB clients use, made on first use."""
        return self.storage_for(ASYNC_IO)

    def close(self) -> None:
        """Closes the sync storage (an async one needs `await aclose()`)."""
        with self._lock:
            storage, self._sync = self._sync, None
        if storage is not None:
            run_sync(storage.close(SYNC_IO))

    async def aclose(self) -> None:
        """Closes both storages."""
        self.close()
        with self._lock:
            storage, self._async = self._async, None
        if storage is not None:
            await storage.close(ASYNC_IO)

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
        return coerce(value, cls, cls, "cache", "a Cache, a storage URL")
