"""The cache's verdict reaches the caller through the hooks (issue 15's events, issue 14's cache)."""
from __future__ import annotations

import asyncio

from tmdb_sdk import AsyncTMDB, Cache, Hooks
from tmdb_sdk.hooks import CallEvent
from tmdb_sdk.testing import FakeTMDB

FRESH_FOR_AN_HOUR = {"movies_details": 3600}


def test_hooks_see_a_miss_then_hits_and_a_bypass() -> None:
    seen: list[tuple[str, str | None]] = []
    hooks = Hooks(on_response=lambda event: seen.append((event.operation, event.cache)))
    with FakeTMDB() as fake, fake.client(hooks=hooks, cache=Cache("memory", min_ttl=FRESH_FOR_AN_HOUR)) as tmdb:
        first, second = tmdb.movies.details(550), tmdb.movies.details(550)
        tmdb.with_options(cache=False).movies.details(550)
        tmdb.genres.movie_list()
        assert first is not second and first.to_dict() == second.to_dict()
        assert len(fake.calls("movies_details")) == 2  # the hit never reached the server
    assert seen == [
        ("movies_details", "miss"),
        ("movies_details", "hit"),
        ("movies_details", "bypass"),
        ("genres_movie_list", "miss"),  # cacheable, but the stand-in sends no freshness: stored, not fresh
    ]


def test_hooks_without_a_cache_see_none() -> None:
    seen: list[CallEvent] = []
    with FakeTMDB() as fake, fake.client(hooks=Hooks(on_response=seen.append)) as tmdb:
        tmdb.movies.details(550)
    assert [event.cache for event in seen] == [None]


def test_async_hooks_see_the_hit() -> None:
    seen: list[str | None] = []

    async def on_response(event: CallEvent) -> None:
        seen.append(event.cache)

    async def main(url: str, token: str) -> None:
        cache = Cache("memory", min_ttl=FRESH_FOR_AN_HOUR)
        async with AsyncTMDB(access_token=token, base_url=url, cache=cache, hooks=Hooks(on_response=on_response)) as tmdb:
            async with asyncio.timeout(10):
                await tmdb.movies.details(550)
                await tmdb.movies.details(550)

    with FakeTMDB() as fake:
        asyncio.run(main(fake.url, fake.access_token))
    assert seen == ["miss", "hit"]
