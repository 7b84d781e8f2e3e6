"""The cache under faults, on real parts (issue 23): a redis-server killed at each point of a call, two
replicas revalidating one URL with different weak ETags, the outage log, the renamed retry interval,
the cache's import graph and who closes a Cache.

A Redis client subclass trips a wire at one Redis command (the lookup's ZRANGEBYSCORE, a stored body's
LINDEX, the SET of a stored entry or of its refreshed headers, the pipeline writing a body): the
redis-server is killed right before that command runs, so the storage fails at exactly that point."""
from __future__ import annotations

import ast
import logging
import re
import time
import warnings
from pathlib import Path
from typing import Any

import hishel
import pytest
import redis
import redis.asyncio
import tmdb_sdk.cache
from fleet_support import API_KEY, REPO, RedisServer, StandInProcess
from pytest_httpserver import HTTPServer
from tmdb_sdk import TMDB, AsyncTMDB, Cache
from werkzeug import Request, Response

CACHE_PACKAGE = REPO / "runtime" / "tmdb_sdk" / "cache"


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


class Wire:
    """Kills `server` right before the storage first sends `command` to it (once)."""

    def __init__(self, server: RedisServer, command: str) -> None:
        self.server, self.command, self.fired = server, command, False

    def reached(self, command: str) -> None:
        if not self.fired and command.upper() == self.command:
            self.fired = True
            self.server.kill()


def tripped_redis(url: str, wire: Wire) -> redis.Redis:
    class Tripped(redis.Redis):
        def execute_command(self, *args: Any, **options: Any) -> Any:
            wire.reached(str(args[0]))
            return super().execute_command(*args, **options)

        def pipeline(self, *args: Any, **kwargs: Any) -> Any:
            wire.reached("PIPELINE")
            return super().pipeline(*args, **kwargs)

    return Tripped.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def tripped_async_redis(url: str, wire: Wire) -> redis.asyncio.Redis:
    class Tripped(redis.asyncio.Redis):
        async def execute_command(self, *args: Any, **options: Any) -> Any:
            wire.reached(str(args[0]))
            return await super().execute_command(*args, **options)

        def pipeline(self, *args: Any, **kwargs: Any) -> Any:
            wire.reached("PIPELINE")
            return super().pipeline(*args, **kwargs)

    return Tripped.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


# (the point of a call, the first call of the killed replica's round, the Redis command the wire trips on)
POINTS = [
    pytest.param("movie", "ZRANGEBYSCORE", id="before-lookup"),
    pytest.param("movie", "LINDEX", id="during-body-read-of-a-hit"),
    pytest.param("configuration", "LINDEX", id="during-body-read-after-a-304"),
    pytest.param("configuration", "SET", id="during-the-update-after-a-304"),
    pytest.param("new-movie", "SET", id="during-the-store-of-the-entry"),
    pytest.param("new-movie", "PIPELINE", id="during-the-store-of-the-body"),
]


def round_of(first: str) -> list[str]:
    """The killed replica's calls: `first`, then one of each kind (all served while Redis is down)."""
    return [first, "movie", "configuration", "new-movie", "movie", "configuration"]


def expected(call: str) -> str:
    return {"movie": "Movie 1", "new-movie": "Movie 2", "configuration": "https://image.tmdb.org/t/p/"}[call]


def sync_call(tmdb: TMDB, call: str) -> str:
    if call == "configuration":
        return tmdb.configuration.details().images.secure_base_url
    return tmdb.movies.details(2 if call == "new-movie" else 1).title


async def async_call(tmdb: AsyncTMDB, call: str) -> str:
    if call == "configuration":
        return (await tmdb.configuration.details()).images.secure_base_url
    return (await tmdb.movies.details(2 if call == "new-movie" else 1)).title


def check_outage_log(caplog: pytest.LogCaptureFixture) -> None:
    """One warning, naming its cause; nothing at ERROR (the fault was handled)."""
    records = [r for r in caplog.records if r.name.startswith(("tmdb_sdk", "hishel", "redis"))]
    assert not [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    failed = [r.getMessage() for r in records if "storage failed" in r.getMessage()]
    assert len(failed) == 1, failed
    assert re.search(r"storage failed \((ConnectionError|TimeoutError): .+\); serving from the network", failed[0])


@pytest.mark.parametrize(("first", "command"), POINTS)
def test_a_sync_replica_serves_every_call_when_redis_dies_at_any_point(
    first: str, command: str, own_redis: RedisServer, standin: StandInProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=Cache(own_redis.url)) as warm:
        for call in ("movie", "configuration"):  # another replica stored them
            sync_call(warm, call)
    wire = Wire(own_redis, command)
    storage = hishel.RedisStorage(client=tripped_redis(own_redis.url, wire), key_prefix="tmdb-cache")
    cache = Cache(storage)  # (the storage is skipped for 5 s after a failure: longer than the round)
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=cache) as tmdb:
        results = [sync_call(tmdb, call) for call in round_of(first)]
    assert wire.fired
    assert results == [expected(call) for call in round_of(first)]
    stats = cache.stats
    assert stats.hits + stats.revalidated + stats.misses == len(results)
    check_outage_log(caplog)


@pytest.mark.parametrize(("first", "command"), POINTS)
async def test_an_async_replica_serves_every_call_when_redis_dies_at_any_point(
    first: str, command: str, own_redis: RedisServer, standin: StandInProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with AsyncTMDB(api_key=API_KEY, base_url=standin.base_url, cache=Cache(own_redis.url)) as warm:
        for call in ("movie", "configuration"):
            await async_call(warm, call)
    wire = Wire(own_redis, command)
    storage = hishel.AsyncRedisStorage(client=tripped_async_redis(own_redis.url, wire), key_prefix="tmdb-cache")
    cache = Cache(storage)  # (the storage is skipped for 5 s after a failure: longer than the round)
    async with AsyncTMDB(api_key=API_KEY, base_url=standin.base_url, cache=cache) as tmdb:
        results = [await async_call(tmdb, call) for call in round_of(first)]
    assert wire.fired
    assert results == [expected(call) for call in round_of(first)]
    check_outage_log(caplog)


def test_a_stored_body_that_cannot_be_read_is_fetched_from_the_origin_as_a_miss(
    own_redis: RedisServer, standin: StandInProcess
) -> None:
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=Cache(own_redis.url)) as warm:
        sync_call(warm, "movie")
    standin.reset()
    wire = Wire(own_redis, "LINDEX")
    cache = Cache(hishel.RedisStorage(client=tripped_redis(own_redis.url, wire), key_prefix="tmdb-cache"))
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=cache) as tmdb:
        response = tmdb.request("GET", "/3/movie/1")
    assert wire.fired and response["title"] == "Movie 1"
    assert (cache.stats.hits, cache.stats.misses) == (0, 1)
    assert standin.stats()["ok"] == 1  # one full request, sent once the stored body failed


# -- revalidations that land ------------------------------------------------------------------------------------


class WeakOrigin:
    """A loopback origin whose weak ETag for /3/configuration changes once (as two CDN nodes' may), and
    that answers 304 to an If-None-Match with either tag, carrying `answer_etag` (None: no ETag)."""

    TAGS = ('W/"node-a"', 'W/"node-b"')

    def __init__(self, answer_etag: str | None) -> None:
        self.answer_etag = answer_etag
        self.full = 0  # 200s sent
        self.conditional: list[str | None] = []

    def __call__(self, request: Request) -> Response:
        headers = {"Cache-Control": "public, max-age=0", "Date": time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                                                                  time.gmtime())}
        sent = request.headers.get("If-None-Match")
        if sent is not None and self.full >= 2:
            self.conditional.append(sent)
            if self.answer_etag is not None:
                headers["ETag"] = self.answer_etag
            return Response(status=304, headers=headers)
        headers["ETag"] = self.TAGS[min(self.full, 1)]
        self.full += 1
        body = '{"images": {"secure_base_url": "https://image.tmdb.org/t/p/"}, "change_keys": []}'
        return Response(body, status=200, headers=headers, content_type="application/json")


@pytest.mark.parametrize("answer_etag", ['W/"node-a"', 'W/"node-b"', '"node-b"', None, 'W/"node-c"'],
                         ids=["weak-a", "weak-b", "strong-b", "none", "weak-unknown"])
async def test_two_replicas_storing_one_url_with_different_weak_etags_always_complete_a_304_from_the_cache(
    answer_etag: str | None, redis_url: str, httpserver: HTTPServer
) -> None:
    origin = WeakOrigin(answer_etag)
    httpserver.expect_request("/3/configuration").respond_with_handler(origin)
    base_url = httpserver.url_for("/").rstrip("/")
    first, second = Cache(redis_url), Cache(redis_url)
    with TMDB(api_key=API_KEY, base_url=base_url, cache=first) as replica:
        replica.configuration.details()  # stores W/"node-a"
    async with AsyncTMDB(api_key=API_KEY, base_url=base_url, cache=second) as replica:
        await replica.configuration.details()  # revalidates, gets a 200 with W/"node-b": stored too
    assert origin.full == 2
    stored = [k for k in redis.Redis.from_url(redis_url).keys("tmdb-cache:entry:*")]
    assert len(stored) == 2
    with TMDB(api_key=API_KEY, base_url=base_url, cache=first) as sync_replica:
        async with AsyncTMDB(api_key=API_KEY, base_url=base_url, cache=second) as async_replica:
            for _ in range(3):
                sync_replica.configuration.details()
                await async_replica.configuration.details()
    assert origin.full == 2, "a 304 was followed by a second, full request"
    assert len(origin.conditional) == 6
    assert (first.stats.revalidated, second.stats.revalidated) == (3, 3)
    assert first.stats.misses == 1 and second.stats.misses == 1


# -- the outage log -----------------------------------------------------------------------------------------------


def test_an_outage_is_logged_once_with_its_cause_and_never_at_error(
    own_redis: RedisServer, standin: StandInProcess, caplog: pytest.LogCaptureFixture
) -> None:
    """The body's write fails after the entry was begun: hishel logs "cache write failed" at ERROR."""
    caplog.set_level(logging.DEBUG)
    wire = Wire(own_redis, "PIPELINE")
    cache = Cache(hishel.RedisStorage(client=tripped_redis(own_redis.url, wire), key_prefix="tmdb-cache"))
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=cache) as tmdb:
        titles = [tmdb.movies.details(n).title for n in (1, 2, 3)]
    assert wire.fired and titles == ["Movie 1", "Movie 2", "Movie 3"]
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    warned = [r.getMessage() for r in caplog.records if r.name == "tmdb_sdk.cache"]
    assert len(warned) == 1 and "see the hishel storage's error" not in warned[0]
    assert "storage failed (ConnectionError: " in warned[0], warned


# -- the retry interval's name ------------------------------------------------------------------------------------


def test_redis_retry_interval_is_how_long_a_failed_redis_is_skipped(
    own_redis: RedisServer, standin: StandInProcess
) -> None:
    cache = Cache(own_redis.url, redis_retry_interval=0.3)
    assert cache.redis_retry_interval == 0.3
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=cache) as tmdb:
        port = own_redis.port
        own_redis.kill()
        tmdb.movies.details(1)  # fails over to the network; Redis skipped for 0.3 s
        own_redis.start(port)
        tmdb.configuration.details()  # skipped: not stored
        time.sleep(0.4)
        tmdb.configuration.details()  # tried again: stored
    assert cache.stats.misses == 3
    dump = redis.Redis.from_url(own_redis.url)
    assert len(dump.keys("tmdb-cache:entry:*")) == 1


def test_retry_after_still_works_for_a_release_and_says_its_new_name(redis_url: str) -> None:
    with pytest.warns(DeprecationWarning, match="redis_retry_interval"):
        cache = Cache(redis_url, retry_after=0.25)
    assert cache.redis_retry_interval == 0.25 and cache._outage.retry_after == 0.25
    with pytest.warns(DeprecationWarning, match="redis_retry_interval"):
        assert cache.retry_after == 0.25
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Cache(redis_url, redis_retry_interval=1.0)  # the new name warns about nothing


# -- the cache package's imports ----------------------------------------------------------------------------------


def imports_of(path: Path) -> set[str]:
    """The cache modules `path` imports (relative imports, TYPE_CHECKING ones included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for following in sorted(graph.get(node, ())):
            if following == path[0]:
                found.append([*path, following])
            elif following not in path and following > path[0]:
                visit(following, [*path, following])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_the_cache_modules_import_one_another_without_a_circle(redis_url: str) -> None:
    graph = {path.stem: imports_of(path) - {path.stem} for path in CACHE_PACKAGE.glob("*.py")}
    assert cycles(graph) == []
    assert "settings" not in graph["storage"]
    from tmdb_sdk._io import SYNC_IO
    from tmdb_sdk.cache.location import Location
    from tmdb_sdk.cache.memory import MemoryStore
    from tmdb_sdk.cache.storage import open_storage

    where = Location(redis_url, 60.0, "tmdb-cache", 0.5, MemoryStore(8, 1 << 16))  # a storage without a Cache
    storage = open_storage(where, SYNC_IO)
    assert isinstance(storage.inner, hishel.RedisStorage)  # type: ignore[attr-defined]
    storage.inner.close()  # type: ignore[attr-defined]


def test_the_circle_finder_finds_one() -> None:
    assert cycles({"settings": {"storage"}, "storage": {"settings"}}) == [["settings", "storage", "settings"]]


# -- who closes what ----------------------------------------------------------------------------------------------


OWNER_SENTENCE = "A Cache passed in is closed by its owner"


def test_a_client_leaves_a_cache_it_was_given_open_and_closes_one_it_made(
    redis_url: str, standin: StandInProcess
) -> None:
    assert tmdb_sdk.cache.__doc__ is not None and OWNER_SENTENCE in " ".join(tmdb_sdk.cache.__doc__.split())
    given = Cache(redis_url)
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=given) as tmdb:
        tmdb.configuration.details()
    assert given._sync is not None
    assert given._sync.inner.inner._client.ping()  # type: ignore[attr-defined]  # its Redis connection is still open
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=given) as tmdb:
        tmdb.configuration.details()  # and a second client uses it
    assert given.stats.revalidated == 1
    given.close()
    with TMDB(api_key=API_KEY, base_url=standin.base_url, cache=redis_url) as tmdb:
        made = tmdb._settings.cache
        assert made is not None
        tmdb.configuration.details()
    assert made._sync is None

