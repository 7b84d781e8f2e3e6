"""Constants and helpers shared by the runtime tests (conftest.py holds the fixtures)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tmdb_sdk.retry import Clock

API_KEY = "apikey-SECRET-0123456789abcdef"
ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.SECRET-bearer-0123456789"
SESSION_ID = "session-SECRET-0123456789abcdef"
SECRETS = (API_KEY, ACCESS_TOKEN, SESSION_ID)
WALL_START = 1_800_000_000.0

CONFIGURATION = {
    "images": {
        "base_url": "http://image.tmdb.org/t/p/",
        "secure_base_url": "https://image.tmdb.org/t/p/",
        "backdrop_sizes": ["w300", "w780", "w1280", "original"],
        "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
        "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
        "profile_sizes": ["w45", "w185", "h632", "original"],
        "still_sizes": ["w92", "w185", "w300", "original"],
    },
    "change_keys": ["adult", "title"],
}


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"secret leaked into: {text}"


@dataclass
class FakeClock:
    """Records sleeps instead of sleeping; time moves only when something sleeps."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def clock(self) -> Clock:
        return Clock(
            monotonic=lambda: self.now,
            wall=lambda: WALL_START + self.now,
            sleep=self.sleep,
            async_sleep=self.async_sleep,
            random=lambda: 0.5,
        )
