"""The cache and the rate limit on real parts: a redis-server, SQLite files, the TMDB stand-in.

Secrets are looked for by reading Redis and SQLite directly; Redis is killed mid-run to check that
both layers degrade as documented (tmdb_sdk/cache/, tmdb_sdk/ratelimit/)."""
from __future__ import annotations

import itertools
import logging
import sqlite3
import time
from pathlib import Path

import pytest
from fleet_support import ACCESS_TOKEN, API_KEY, SECRETS, RedisServer, StandInProcess, redis_dump
from tmdb_sdk import TMDB, AsyncTMDB, Cache, RateLimit

_keys = itertools.count()


def unique_key() -> str:
    return f"redis-test-{next(_keys)}"


def assert_no_secret(blobs: list[bytes]) -> None:
    joined = b"\n".join(blobs)
    for secret in SECRETS:
        for form in (secret, secret.replace("-", "%2D")):
            assert form.encode() not in joined, f"{secret[:12]}... found in the storage"


def calls(tmdb: TMDB) -> None:
    """A little of everything: fresh details, revalidated configuration, private certifications."""
    for movie_id in (550, 551, 550):
        assert tmdb.movies.details(movie_id, language="en-US").title == f"Movie {movie_id}"
    for _ in range(2):
        assert tmdb.configuration.details().images.secure_base_url == "https://image.tmdb.org/t/p/"
        assert tmdb.certifications.movie_list().certifications is not None


def test_no_secret_reaches_redis(redis_url: str, standin: StandInProcess) -> None:
    limit = RateLimit(rate=1000, key=unique_key(), redis=redis_url)
    for credentials in ({"api_key": API_KEY}, {"access_token": ACCESS_TOKEN}):
        with TMDB(**credentials, base_url=standin.base_url, cache=Cache(redis_url), rate_limit=limit) as tmdb:
            calls(tmdb)
    dump = redis_dump(redis_url)
    assert any(blob.startswith(b"tmdb-cache:entry:") for blob in dump)  # (the limiter's keys expire within ms)
    assert any(b"/3/movie/550" in blob for blob in dump)  # entries were stored, with their URLs
    assert_no_secret(dump)
    assert standin.stats()["credentials_seen"] == 2  # while TMDB got both credentials


def test_no_secret_reaches_sqlite(tmp_path: Path, standin: StandInProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # hishel's own default folder would be ./.cache/hishel: this test's, not the run's
    path = tmp_path / "cache" / "tmdb.db"
    for credentials in ({"api_key": API_KEY}, {"access_token": ACCESS_TOKEN}):
        with TMDB(**credentials, base_url=standin.base_url, cache=f"sqlite:///{path}") as tmdb:
            calls(tmdb)
    connection = sqlite3.connect(path)
    rows = [value for table in ("entries", "streams") for row in connection.execute(f"SELECT * FROM {table}")
            for value in row]
    connection.close()
    blobs = [v if isinstance(v, bytes) else str(v).encode() for v in rows]
    assert any(b"/3/movie/550" in blob for blob in blobs)
    assert_no_secret(blobs)
    files = [p.read_bytes() for p in path.parent.iterdir()]  # the database, its WAL and anything else
    assert_no_secret(files)
    assert not (tmp_path / ".gitignore").exists() and not Path(".cache/hishel").exists()


def test_repeated_calls_are_served_from_the_cache_revalidating_with_the_standins_etags(
    redis_url: str, standin: StandInProcess
) -> None:
    cache = Cache(redis_url)
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=cache) as tmdb:
        for _ in range(3):
            tmdb.configuration.details()  # public, max-age=0: a 304 each time after the first
            tmdb.movies.details(550)  # public, max-age=60: fresh
    stats = standin.stats()
    assert (stats["ok"], stats["not_modified"], stats["requests"]) == (2, 2, 4)
    assert (cache.stats.misses, cache.stats.revalidated, cache.stats.hits) == (2, 2, 2)
    other = Cache(redis_url)  # another process's cache: an empty memo, the same Redis
    with TMDB(access_token=ACCESS_TOKEN, base_url=standin.base_url, cache=other) as tmdb:
        assert tmdb.movies.details(550).title == "Movie 550"
        tmdb.configuration.details()
    assert (other.stats.hits, other.stats.revalidated) == (1, 1)
    assert standin.stats()["requests"] == 5


async def test_async_clients_on_real_redis(redis_url: str, standin: StandInProcess) -> None:
    limit = RateLimit(rate=1000, concurrency=4, key=unique_key(), redis=redis_url)
    cache = Cache(redis_url)
    async with AsyncTMDB(api_key=API_KEY, base_url=standin.base_url, cache=cache, rate_limit=limit) as tmdb:
        for _ in range(3):
            assert (await tmdb.movies.details(7)).title == "Movie 7"
            await tmdb.genres.movie_list()
    assert (cache.stats.hits, cache.stats.revalidated, cache.stats.misses) == (2, 2, 2)
    assert standin.stats()["not_modified"] == 2
    await limit.aclose()
    await cache.aclose()


def test_redis_going_down_mid_run_degrades_as_documented(
    own_redis: RedisServer, standin: StandInProcess, caplog: pytest.LogCaptureFixture
) -> None:
    """Cache: misses, one warning. Limiter: per-process limiting, one warning. Both come back with Redis."""
    caplog.set_level(logging.WARNING)
    key = unique_key()
    limit = RateLimit(rate=200, key=key, redis=own_redis.url, redis_retry_interval=0.2)
    cache = Cache(own_redis.url, redis_retry_interval=0.2)
    results: list[str] = []
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=cache, rate_limit=limit) as tmdb:
        for movie_id in range(1, 6):
            results.append(tmdb.movies.details(movie_id).title)
            tmdb.configuration.details()
        port = own_redis.port
        own_redis.kill()
        for movie_id in range(6, 21):
            results.append(tmdb.movies.details(movie_id).title)
            tmdb.configuration.details()
        assert limit._local.tat != 0.0  # the fallback limited
        own_redis.start(port)
        time.sleep(0.3)  # > retry_after: both layers try Redis again
        for movie_id in range(21, 24):
            results.append(tmdb.movies.details(movie_id).title)
            tmdb.configuration.details()
    assert results == [f"Movie {n}" for n in range(1, 24)]
    messages = [(r.name, r.getMessage()) for r in caplog.records]
    limiter = [m for name, m in messages if name == "tmdb_sdk.ratelimit"]
    cached = [m for name, m in messages if name == "tmdb_sdk.cache"]
    assert len([m for m in limiter if "Redis failed" in m]) == 1, limiter
    assert len([m for m in limiter if "reachable again" in m]) == 1, limiter
    assert len([m for m in cached if "storage failed" in m]) == 1, cached
    assert len([m for m in cached if "reachable again" in m]) == 1, cached
    assert not [name for name, _ in messages if name.startswith("hishel")]
    assert standin.stats()["too_many"] == 0
