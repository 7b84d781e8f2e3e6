"""A testing kit for services that use tmdb_sdk: a local stand-in for TMDB.

    from tmdb_sdk.testing import FakeTMDB

    with FakeTMDB() as fake, fake.client() as tmdb:
        fake.queue_rate_limit(retry_after=0)       # the next request gets a 429
        movie = tmdb.movies.details(550)           # retried, then the docs' recorded example
        assert fake.calls("movies_details")[-1].path == "/3/movie/550"
    fake.check()                                   # no request broke the spec, nothing queued is left

With pytest, `pytest_plugins = ["tmdb_sdk.testing.pytest_plugin"]` in your conftest.py gives the
fixtures `tmdb_fake` (a started FakeTMDB, checked after the test) and `tmdb_fake_env` (the same,
with TMDB_BASE_URL, TMDB_API_KEY and TMDB_ACCESS_TOKEN set for code that builds its own client).
The kit needs nothing beyond the package itself (and pytest for the fixtures).
"""
from __future__ import annotations

from .server import FakeTMDB, RecordedRequest

__all__ = ["FakeTMDB", "RecordedRequest"]
