"""A key's limiter in this process: the GCRA turns, the block, the held slots; one per key and process.

For a key kept in Redis this is the fallback while Redis is down: it then holds this process to its share
of the rate, the rate divided by the replicas last seen in Redis (see redis_backend), so that a fleet
limiting itself replica by replica still keeps to about the rate in total.
"""
from __future__ import annotations

import threading
import uuid
import weakref
from typing import Any

from .._io import IO
from ..errors import ConfigurationError
from .backend import BLOCKED, ENTERED, FULL, REFUSED_BLOCKED, REFUSED_RATE, RESERVED, gcra_turn, rounded


class LocalBackend:
    """One key's limiter in this process (no I/O: its coroutines never suspend)."""

    def __init__(self, interval: float, tolerance: float, concurrency: int | None) -> None:
        self.interval, self.tolerance, self.concurrency = interval, tolerance, concurrency
        self.id = uuid.uuid4().hex  # this process's name among the key's replicas in Redis
        self.replicas = 1  # the key's replicas last seen in Redis: the fallback takes 1/replicas of the rate
        self.lock = threading.Lock()
        self.tat = 0.0  # GCRA's theoretical arrival time (wall seconds)
        self.blocked_until = 0.0  # wall seconds
        self.slots: dict[str, float] = {}  # token -> lease end (wall seconds)

    def _spacing(self) -> tuple[float, float]:
        """(interval, tolerance) of this process's share: no burst when the rate is shared by replicas."""
        replicas = self.replicas
        return (self.interval, self.tolerance) if replicas <= 1 else (self.interval * replicas, 0.0)

    async def reserve(self, io: IO, now: float, budget: float) -> tuple[int, float, str]:
        with self.lock:
            interval, tolerance = self._spacing()
            at, tat = gcra_turn(self.tat, now, self.blocked_until, interval, tolerance)
            wait = rounded(at - now)
            if wait > budget:
                return (REFUSED_BLOCKED if rounded(self.blocked_until - now) > budget else REFUSED_RATE), wait, ""
            self.tat = tat
            return RESERVED, wait, repr(tat)

    async def cancel(self, io: IO, turn: str) -> None:
        with self.lock:
            if repr(self.tat) == turn:
                self.tat -= self._spacing()[0]

    def hold_off(self, now: float) -> None:
        """The fallback starts (Redis just failed): its first turn is one interval of its share away, as if
        it had just sent a request, since the fleet's budget of the last moments is already spent."""
        with self.lock:
            interval, _ = self._spacing()
            if self.replicas > 1:
                self.tat = max(self.tat, now + interval)

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

    async def release(self, io: IO, token: str) -> None:
        with self.lock:
            self.slots.pop(token, None)

    async def block(self, io: IO, until: float, seconds: float) -> None:
        with self.lock:
            self.blocked_until = max(self.blocked_until, until)


_registry_lock = threading.Lock()
# key -> (settings, backend); a backend lives as long as a RateLimit naming its key does.
_registry: dict[str, tuple[tuple[Any, ...], weakref.ref[LocalBackend]]] = {}


def local_backend(
    key: str, signature: tuple[Any, ...], interval: float, tolerance: float, concurrency: int | None
) -> LocalBackend:
    """The key's limiter in this process; ConfigurationError if it lives with other settings."""
    with _registry_lock:
        found = _registry.get(key)
        backend = found[1]() if found is not None else None
        if found is None or backend is None:
            backend = LocalBackend(interval, tolerance, concurrency)
            _registry[key] = (signature, weakref.ref(backend))
        elif found[0] != signature:
            raise ConfigurationError(
                f"rate limit key {key!r} is already used in this process with (rate, per, burst, concurrency) = "
                f"{found[0]}, not {signature}: use another key or the same settings"
            )
        return backend
