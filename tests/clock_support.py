"""A fake Clock for the runtime and fleet tests (imported as tests.clock_support: the repository root
is on pytest's pythonpath, so it resolves the same whichever folders run together)."""
from __future__ import annotations

from dataclasses import dataclass, field

from tmdb_sdk.transport.retry import Clock

WALL_START = 1_800_000_000.0


@dataclass
class FakeClock:
    """Records sleeps instead of sleeping; time moves only when something sleeps or `advance` is called."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def clock(self) -> Clock:
        return Clock(monotonic=lambda: self.now, wall=lambda: WALL_START + self.now, sleep=self.sleep,
                     async_sleep=self.async_sleep, random=lambda: 0.5)
