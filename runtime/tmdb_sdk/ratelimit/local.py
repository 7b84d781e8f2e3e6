"""A key's limiter in this process: GCRA state, the block, the held slots; one per key and process."""
from __future__ import annotations

import threading
import weakref
from typing import Any

from .._io import IO
from ..errors import ConfigurationError
from .backend import BLOCKED, ENTERED, FULL, gcra_wait


class LocalBackend:
    """One key's limiter in this process (no I/O: its coroutines never suspend)."""

    def __init__(self, rates: list[Any], concurrency: int | None) -> None:
        from pyrate_limiter import GCRA, InMemoryStateStore

        self.rates, self.concurrency = rates, concurrency
        self.algorithm = GCRA()
        self.store: Any = InMemoryStateStore()  # Any: pyrate-limiter's check() is untyped
        self.lock = threading.Lock()
        self.blocked_until = 0.0  # wall seconds
        self.slots: dict[str, float] = {}  # token -> lease end (wall seconds)

    async def enter(self, io: IO, token: str, now: float, lease: float) -> tuple[int, float]:
        with self.lock:
            if self.blocked_until > now:
                return BLOCKED, self.blocked_until - now
            if self.concurrency is None:
                return ENTERED, 0.0
            if len(self.slots) >= self.concurrency:
                for held, end in list(self.slots.items()):
                    if end <= now:
                        del self.slots[held]
                if len(self.slots) >= self.concurrency:
                    return FULL, 0.0
            self.slots[token] = now + lease
            return ENTERED, 0.0

    async def take(self, io: IO, now: float) -> float:
        return gcra_wait(self.store.check(self.algorithm, self.rates, int(now * 1000), 1))

    async def release(self, io: IO, token: str) -> None:
        with self.lock:
            self.slots.pop(token, None)

    async def block(self, io: IO, until: float, seconds: float) -> None:
        with self.lock:
            self.blocked_until = max(self.blocked_until, until)


_registry_lock = threading.Lock()
# key -> (settings, backend); a backend lives as long as a RateLimit naming its key does.
_registry: dict[str, tuple[tuple[Any, ...], weakref.ref[LocalBackend]]] = {}


def local_backend(key: str, signature: tuple[Any, ...], rates: list[Any], concurrency: int | None) -> LocalBackend:
    """The key's limiter in this process; ConfigurationError if it lives with other settings."""
    with _registry_lock:
        found = _registry.get(key)
        backend = found[1]() if found is not None else None
        if found is None or backend is None:
            backend = LocalBackend(rates, concurrency)
            _registry[key] = (signature, weakref.ref(backend))
        elif found[0] != signature:
            raise ConfigurationError(
                f"rate limit key {key!r} is already used in this process with (rate, per, burst, concurrency) = "
                f"{found[0]}, not {signature}: use another key or the same settings"
            )
        return backend
