"""Constants and helpers shared by the runtime tests (conftest.py holds the fixtures; FakeClock is
tests/clock_support.py's)."""

from __future__ import annotations

from tests.clock_support import FakeClock

API_KEY = "apikey-SECRET-0123456789abcdef"
ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.SECRET-bearer-0123456789"
SESSION_ID = "session-SECRET-0123456789abcdef"
SECRETS = (API_KEY, ACCESS_TOKEN, SESSION_ID)

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

__all__ = ["ACCESS_TOKEN", "API_KEY", "CONFIGURATION", "SECRETS", "SESSION_ID", "FakeClock", "assert_no_secret"]
