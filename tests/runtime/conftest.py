"""Fixtures: a local TMDB stand-in (pytest-httpserver on 127.0.0.1), a fake clock and clients on both."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pytest_httpserver import HTTPServer
from runtime_support import ACCESS_TOKEN, API_KEY, FakeClock
from tmdb_sdk import TMDB, AsyncTMDB


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def base_url(httpserver: HTTPServer) -> str:
    return httpserver.url_for("/").rstrip("/")


@pytest.fixture
def tmdb(base_url: str, fake_clock: FakeClock) -> Iterator[TMDB]:
    with TMDB(api_key=API_KEY, base_url=base_url, clock=fake_clock.clock()) as client:
        yield client


@pytest.fixture
def bearer_tmdb(base_url: str, fake_clock: FakeClock) -> Iterator[TMDB]:
    with TMDB(access_token=ACCESS_TOKEN, base_url=base_url, clock=fake_clock.clock()) as client:
        yield client


@pytest.fixture
async def atmdb(base_url: str, fake_clock: FakeClock) -> AsyncIterator[AsyncTMDB]:
    async with AsyncTMDB(api_key=API_KEY, base_url=base_url, clock=fake_clock.clock()) as client:
        yield client


@pytest.fixture
async def bearer_atmdb(base_url: str, fake_clock: FakeClock) -> AsyncIterator[AsyncTMDB]:
    async with AsyncTMDB(access_token=ACCESS_TOKEN, base_url=base_url, clock=fake_clock.clock()) as client:
        yield client
