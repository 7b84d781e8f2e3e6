"""pytest fixtures of the testing kit; enable with `pytest_plugins = ["tmdb_sdk.testing.pytest_plugin"]`.

tmdb_fake:      a started FakeTMDB; after the test, fails it if a request broke the spec or a
                queued answer was never served (set `tmdb_fake.strict = False` to skip that check).
tmdb_fake_env:  the same stand-in, with TMDB_BASE_URL, TMDB_API_KEY and TMDB_ACCESS_TOKEN set for
                the test's duration, for code that builds its own TMDB() from the environment.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FakeTMDB


@pytest.fixture
def tmdb_fake() -> Iterator[FakeTMDB]:
    with FakeTMDB() as fake:
        yield fake
    if fake.strict:
        fake.check()


@pytest.fixture
def tmdb_fake_env(tmdb_fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch) -> FakeTMDB:
    for name, value in tmdb_fake.environ.items():
        monkeypatch.setenv(name, value)
    return tmdb_fake
