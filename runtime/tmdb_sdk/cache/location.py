"""Where a Cache keeps its entries: the storage it was given, checked and named, and what its storages are
opened with. Its own module so that storage.py (which opens them) needs nothing of settings.py (the Cache)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._backends import safe_url
from ..errors import ConfigurationError
from .memory import MemoryStore


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


def describe(storage: str | Any) -> str:
    """The storage, for messages: its URL without a password, or its type."""
    return safe_url(storage) if isinstance(storage, str) else type(storage).__name__


@dataclass(frozen=True, slots=True)
class Location:
    """A Cache's storage (a URL or a hishel storage object) and the settings its storages are opened with."""

    storage: str | Any
    ttl: float | None
    key_prefix: str
    redis_timeout: float
    memory: MemoryStore  # the entries of "memory", shared by the Cache's sync and async clients

    @property
    def described(self) -> str:
        return describe(self.storage)
