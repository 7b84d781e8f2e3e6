"""What the limiter asks of a key's state, in this process (local.py) or in Redis (redis_backend.py), and the
rate's arithmetic they share.

Each method is a coroutine doing its I/O through an IO object (tmdb_sdk._io): the same limiter code
serves TMDB (SyncIO) and AsyncTMDB (AsyncIO).

The rate is GCRA in its virtual-scheduling form, with reservations: the key keeps one "theoretical arrival
time" (tat); a request reserves the next turn atomically (tat = max(tat, now, blocked until) + interval) and
is told how long to sleep until its turn. Turns are handed out in the order requests ask for them, across
processes and client flavours, so nobody's turn is taken by a luckier poller (first come, first served).
"""
from __future__ import annotations

from typing import Protocol

from .._io import IO

# What `enter` found: the key blocked (by a 429) for a while, a way in, or every concurrency slot taken.
BLOCKED, ENTERED, FULL = 0, 1, 2
# What `reserve` did: reserved a turn, or refused (nothing reserved) because of the block or the rate.
RESERVED, REFUSED_BLOCKED, REFUSED_RATE = 0, 1, 2


class Backend(Protocol):
    async def reserve(self, io: IO, now: float, budget: float) -> tuple[int, float, str]:
        """(RESERVED, seconds until the turn taken, the turn's name for `cancel`), or (REFUSED_BLOCKED |
        REFUSED_RATE, seconds the turn would be away, "") when that is more than `budget` seconds: then
        nothing is reserved."""
        ...

    async def cancel(self, io: IO, turn: str) -> None:
        """Gives a turn back when it is still the last one taken (a request refused after reserving it)."""
        ...

    async def enter(self, io: IO, token: str, now: float, lease: float) -> tuple[int, float]:
        """(BLOCKED, seconds blocked for) | (ENTERED, 0), a slot taken for `token` when limited | (FULL, 0)."""
        ...

    async def release(self, io: IO, token: str) -> None:
        """Gives `token`'s concurrency slot back."""
        ...

    async def block(self, io: IO, until: float, seconds: float) -> None:
        """Blocks the key until wall time `until` (`seconds` from now), never earlier than it already is."""
        ...


def gcra_turn(tat: float, now: float, blocked: float, interval: float, tolerance: float) -> tuple[float, float]:
    """(when the next request may go, the new tat): GCRA with `tolerance` = (burst - 1) * interval, never
    before the block ends. Mirrored by redis_backend's Lua script."""
    start = max(tat, now, blocked)
    return max(start - tolerance, now, blocked), start + interval


def rounded(wait: float) -> float:
    """A wait to the microsecond: wall times of ~1.8e9 s carry float noise below that."""
    return round(wait, 6)
