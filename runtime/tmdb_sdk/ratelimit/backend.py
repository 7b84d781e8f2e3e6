"""What the limiter asks of a key's state, in this process (local.py) or in Redis (redis_backend.py).

Each method is a coroutine doing its I/O through an IO object (tmdb_sdk._io): the same limiter code
serves TMDB (SyncIO) and AsyncTMDB (AsyncIO).
"""
from __future__ import annotations

from typing import Any, Protocol

from .._io import IO

# What `enter` found: the key blocked (by a 429) for a while, a way in, or every concurrency slot taken.
BLOCKED, ENTERED, FULL = 0, 1, 2


class Backend(Protocol):
    async def enter(self, io: IO, token: str, now: float, lease: float) -> tuple[int, float]:
        """(BLOCKED, seconds blocked for) | (ENTERED, 0), a slot taken for `token` when limited | (FULL, 0)."""
        ...

    async def take(self, io: IO, now: float) -> float:
        """Takes one request of the rate: 0 when it may go now, else the seconds to wait before asking again."""
        ...

    async def release(self, io: IO, token: str) -> None:
        """Gives `token`'s concurrency slot back."""
        ...

    async def block(self, io: IO, until: float, seconds: float) -> None:
        """Blocks the key until wall time `until` (`seconds` from now), never earlier than it already is."""
        ...


def gcra_wait(decision: Any) -> float:
    """The seconds pyrate-limiter's GCRA decision says to wait (0: allowed)."""
    return 0.0 if decision.allowed else max(decision.retry_after_ms or 1, 1) / 1000
