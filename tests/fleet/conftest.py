"""Fixtures of the fleet tests: a real redis-server (session), the TMDB stand-in, a fake clock."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fleet_support import FakeClock, RedisServer, StandInProcess


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """The session's redis-server, emptied before each test."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    yield redis_server.url


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test alone (it may be stopped and started again)."""
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def open_standin() -> Iterator[StandInProcess]:
    """The TMDB stand-in with a limit no test reaches (caching behaviour only)."""
    with StandInProcess(limit=100_000) as standin:
        yield standin


@pytest.fixture
def standin(open_standin: StandInProcess) -> StandInProcess:
    open_standin.reset()
    return open_standin
