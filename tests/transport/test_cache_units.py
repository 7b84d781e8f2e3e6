"""The cache's parts on their own (tmdb_sdk.cache): the in-memory store and storage as hishel calls them,
the storage guard, the storage made for a URL and the Redis client made from one.

No network and no Redis server (SQLite files under tmp_path): the layer under TMDB/AsyncTMDB and the
real stores are tested in tests/fleet (test_fleet_cache.py, test_fleet_redis.py). Times are given to
the store explicitly (`MemoryStore.get(key, now)`), bounded by `time.time()` read around each write.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from email.utils import formatdate
from pathlib import Path
from typing import Any

import hishel
import httpx
import pytest
from tmdb_sdk import Cache, ConfigurationError
from tmdb_sdk._backends import redis_client
from tmdb_sdk._io import ASYNC_IO, SYNC_IO
from tmdb_sdk.cache import CacheTransport, classify
from tmdb_sdk.cache.adapter import hishel_storage
from tmdb_sdk.cache.memory import MemoryStorage, MemoryStore, Stored

BASE = "https://api.themoviedb.org"
REQUEST = hishel.Request("GET", f"{BASE}/3/movie/550")
PUBLIC = hishel.Headers({"cache-control": "public, max-age=60"})
HISHEL_REDIS_LOGGER = "hishel._core._storages._sync_redis"


def stored(key: str, body: bytes = b"x", expires_at: float | None = None) -> Stored:
    return Stored(key, REQUEST, 200, PUBLIC, body, expires_at)


def response(*chunks: bytes) -> hishel.Response:
    return hishel.Response(200, PUBLIC, stream=iter(chunks))


def aresponse(*chunks: bytes) -> hishel.Response:
    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    return hishel.Response(200, PUBLIC, stream=stream())


def body_of(entry: hishel.Entry) -> bytes:
    stream = entry.response.stream
    assert isinstance(stream, Iterable)
    return b"".join(stream)


async def abody_of(entry: hishel.Entry) -> bytes:
    return b"".join([chunk async for chunk in entry.response.stream])  # type: ignore[union-attr]


class Recording(hishel.BaseStorage):
    """A hishel storage that records what reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[Any, ...]] = []

    def create_entry(
        self,
        request: hishel.Request,
        response: hishel.Response,
        key: str,
        *,
        ttl: float | None = None,
        tti: float | None = None,
    ) -> hishel.Entry:
        self.calls.append(("create", key, ttl, tti))
        return hishel.Entry(id=uuid.uuid4(), request=request, response=response)

    def get_entries(self, key: str) -> list[hishel.Entry]:
        self.calls.append(("get", key))
        return []

    def update_headers(self, id: uuid.UUID, headers: hishel.Headers) -> None:
        self.calls.append(("update", id, headers))

    def remove_entry(self, id: uuid.UUID) -> None:
        self.calls.append(("remove", id))

    def close(self) -> None:
        self.calls.append(("close",))


class AsyncRecording(hishel.AsyncBaseStorage):
    """Recording's async twin."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[Any, ...]] = []

    async def create_entry(
        self,
        request: hishel.Request,
        response: hishel.Response,
        key: str,
        *,
        ttl: float | None = None,
        tti: float | None = None,
    ) -> hishel.Entry:
        self.calls.append(("create", key, ttl, tti))
        return hishel.Entry(id=uuid.uuid4(), request=request, response=response)

    async def get_entries(self, key: str) -> list[hishel.Entry]:
        return []

    async def update_headers(self, id: uuid.UUID, headers: hishel.Headers) -> None:
        pass

    async def remove_entry(self, id: uuid.UUID) -> None:
        self.calls.append(("remove", id))

    async def close(self) -> None:
        self.calls.append(("close",))


# -- the in-memory store: one entry per key, least recently used first, bounded -----------------------------


def test_the_store_keeps_the_newest_entry_of_a_key_only() -> None:
    store = MemoryStore(max_entries=10, max_bytes=1000)
    old, new = uuid.uuid4(), uuid.uuid4()
    store.put(old, stored("k", b"old body"))
    store.put(new, stored("k", b"new"))
    found = store.get("k", 0.0)
    assert found is not None and found[0] == new and found[1].body == b"new"
    assert (len(store.entries), store.size) == (1, 3)
    store.remove(old)  # already replaced: nothing happens to the newest
    assert store.get("k", 0.0) is not None and store.size == 3


def test_the_store_counts_the_bytes_it_holds_and_a_removed_entry_is_gone() -> None:
    store = MemoryStore(max_entries=10, max_bytes=1000)
    first, second = uuid.uuid4(), uuid.uuid4()
    store.put(first, stored("a", b"abc"))
    store.put(second, stored("b", b"defg"))
    assert store.size == 7
    store.remove(first)
    assert store.get("a", 0.0) is None
    assert store.get("b", 0.0) is not None
    assert store.size == 4
    store.remove(uuid.uuid4())  # unknown: ignored
    assert store.size == 4


def test_the_least_recently_used_entry_is_evicted_first() -> None:
    store = MemoryStore(max_entries=2, max_bytes=1000)
    ids = {key: uuid.uuid4() for key in "abc"}
    store.put(ids["a"], stored("a"))
    store.put(ids["b"], stored("b"))
    assert store.get("a", 0.0) is not None  # two entries fit; reading "a" makes "b" the oldest
    store.put(ids["c"], stored("c"))
    assert [store.get(key, 0.0) is not None for key in "abc"] == [True, False, True]
    assert (len(store.entries), store.size) == (2, 2)


def test_the_byte_bound_evicts_the_oldest_and_refuses_a_body_larger_than_the_bound() -> None:
    store = MemoryStore(max_entries=100, max_bytes=10)
    store.put(uuid.uuid4(), stored("a", b"123456"))
    store.put(uuid.uuid4(), stored("b", b"7890"))
    assert (store.size, len(store.entries)) == (10, 2)  # exactly full: nothing evicted
    store.put(uuid.uuid4(), stored("c", b"!"))
    assert store.get("b", 0.0) is not None and store.get("c", 0.0) is not None
    assert store.get("a", 0.0) is None and store.size == 5
    store.put(uuid.uuid4(), stored("big", b"x" * 11))
    assert store.get("big", 0.0) is None and store.size == 5
    store.put(uuid.uuid4(), stored("whole", b"y" * 10))  # as large as the bound: stored, alone
    assert store.get("whole", 0.0) is not None and store.size == 10 and len(store.entries) == 1


def test_an_entry_expires_at_its_deadline_and_is_then_dropped() -> None:
    store = MemoryStore(max_entries=10, max_bytes=1000)
    store.put(uuid.uuid4(), stored("k", b"body", expires_at=100.0))
    store.put(uuid.uuid4(), stored("forever", b"kept"))
    assert store.get("k", 99.5) is not None
    assert store.get("k", 100.0) is None
    assert store.get("k", 50.0) is None  # dropped, not only hidden
    assert store.size == 4
    assert store.get("forever", 1e12) is not None  # no deadline: kept until evicted


def test_updating_headers_changes_the_entry_and_an_unknown_id_is_ignored() -> None:
    store = MemoryStore(max_entries=10, max_bytes=1000)
    id_ = uuid.uuid4()
    store.put(id_, stored("k"))
    newer = hishel.Headers({"cache-control": "public, max-age=120", "etag": '"2"'})
    store.update_headers(id_, newer)
    store.update_headers(uuid.uuid4(), hishel.Headers({}))
    found = store.get("k", 0.0)
    assert found is not None and found[1].headers is newer


# -- the in-memory storage, as hishel calls it ------------------------------------------------------------------


def write(storage: Any, key: str, *chunks: bytes, ttl: float | None = None) -> tuple[hishel.Entry, float, float]:
    """Creates an entry and reads its body to the end (what stores it); the time before and after."""
    before = time.time()
    entry = storage.create_entry(REQUEST, response(*chunks), key, ttl=ttl)
    assert body_of(entry) == b"".join(chunks)
    return entry, before, time.time()


def test_the_memory_storage_keeps_an_entry_for_the_default_ttl() -> None:
    store = MemoryStore(16, 1 << 20)
    storage = hishel_storage(MemoryStorage(store, default_ttl=100.0), SYNC_IO)
    _, before, after = write(storage, "k", b"{}")
    assert store.get("k", before + 99.0) is not None
    assert store.get("k", after + 100.0) is None


def test_a_ttl_given_by_hishel_wins_over_the_default() -> None:
    store = MemoryStore(16, 1 << 20)
    storage = hishel_storage(MemoryStorage(store, default_ttl=100.0), SYNC_IO)
    _, before, after = write(storage, "k", b"{}", ttl=5.0)
    assert store.get("k", before + 4.0) is not None
    assert store.get("k", after + 5.0) is None


def test_without_a_ttl_an_entry_is_kept_until_evicted() -> None:
    store = MemoryStore(16, 1 << 20)
    storage = hishel_storage(MemoryStorage(store, default_ttl=None), SYNC_IO)
    write(storage, "k", b"{}")
    assert store.get("k", time.time() + 1e9) is not None


def test_the_memory_storage_serves_the_whole_body_under_the_id_it_created() -> None:
    storage = hishel_storage(MemoryStorage(MemoryStore(16, 1 << 20), default_ttl=None), SYNC_IO)
    entry = storage.create_entry(REQUEST, response(b'{"id": 550, ', b'"title": "Fight Club"}'), "k")
    assert (entry.request, entry.response.status_code) == (REQUEST, 200)
    assert storage.get_entries("k") == []  # stored once its body has been read to the end
    assert body_of(entry) == b'{"id": 550, "title": "Fight Club"}'
    [found] = storage.get_entries("k")
    assert found.id == entry.id and found.request == REQUEST
    assert body_of(found) == b'{"id": 550, "title": "Fight Club"}'


def test_a_caches_storage_updates_and_removes_entries_by_their_id() -> None:
    storage = Cache().sync_storage()
    entry = storage.create_entry(REQUEST, response(b"{}"), "k")
    body_of(entry)
    newer = hishel.Headers({"cache-control": "public, max-age=120", "etag": '"2"'})
    storage.update_headers(entry.id, newer)
    [found] = storage.get_entries("k")
    assert found.id == entry.id and found.response.headers == newer
    storage.remove_entry(entry.id)
    assert storage.get_entries("k") == []


async def test_an_async_caches_storage_creates_finds_and_removes_entries() -> None:
    storage = Cache().async_storage()
    entry = await storage.create_entry(REQUEST, aresponse(b'{"id": ', b"550}"), "k")
    assert await abody_of(entry) == b'{"id": 550}'
    [found] = await storage.get_entries("k")
    assert found.id == entry.id and await abody_of(found) == b'{"id": 550}'
    await storage.remove_entry(entry.id)
    assert await storage.get_entries("k") == []


# -- hishel storages behind a Cache ----------------------------------------------------------------------------


def test_a_hishel_storage_receives_hishels_ttl_tti_and_removals() -> None:
    inner = Recording()
    storage = Cache(inner).sync_storage()
    entry = storage.create_entry(REQUEST, response(b"{}"), "k", ttl=30.0, tti=7.0)
    storage.remove_entry(entry.id)
    assert inner.calls == [("create", "k", 30.0, 7.0), ("remove", entry.id)]


async def test_an_async_hishel_storage_receives_removals_and_is_closed_by_aclose() -> None:
    inner = AsyncRecording()
    async with Cache(inner) as cache:
        storage = cache.async_storage()
        entry = await storage.create_entry(REQUEST, aresponse(b"{}"), "k", ttl=3.0)
        await storage.remove_entry(entry.id)
    assert inner.calls == [("create", "k", 3.0, None), ("remove", entry.id), ("close",)]


async def test_a_cache_never_used_closes_cleanly() -> None:
    async with Cache():
        pass
    with Cache():
        pass


@pytest.mark.parametrize(
    ("given", "used", "message"),
    [
        (
            AsyncRecording,
            "sync_storage",
            "Cache storage AsyncRecording cannot serve TMDB: it needs a hishel.BaseStorage",
        ),
        (
            Recording,
            "async_storage",
            "Cache storage Recording cannot serve AsyncTMDB: it needs a hishel.AsyncBaseStorage",
        ),
    ],
)
def test_a_hishel_storage_of_the_other_flavour_is_refused_saying_what_is_needed(
    given: type[Any], used: str, message: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        getattr(Cache(given()), used)()
    assert str(raised.value) == message


# -- the storage guard ---------------------------------------------------------------------------------------


class LogsWhileReading(hishel.BaseStorage):
    """A storage that, like hishel's Redis storage, logs a problem instead of raising it."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def create_entry(self, request: Any, response: Any, key: str, *, ttl: Any = None, tti: Any = None) -> Any:
        raise NotImplementedError

    def get_entries(self, key: str) -> list[hishel.Entry]:
        logging.getLogger(HISHEL_REDIS_LOGGER).log(self.level, "hishel: could not read entries")
        return [hishel.Entry(id=uuid.uuid4(), request=REQUEST, response=hishel.Response(200, PUBLIC))]

    def update_headers(self, id: Any, headers: Any) -> None:
        pass

    def remove_entry(self, id: Any) -> None:
        pass


def ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The records of the cache and of hishel (other libraries may log at DEBUG meanwhile)."""
    return [r for r in caplog.records if r.name.startswith(("tmdb_sdk", "hishel"))]


@pytest.mark.parametrize("level", [logging.WARNING, logging.ERROR])
def test_a_problem_hishels_storage_logs_during_a_call_is_a_failure_logged_once_by_the_cache(
    level: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    storage = Cache(LogsWhileReading(level), redis_retry_interval=60.0).sync_storage()
    assert storage.get_entries("k") == []  # a miss
    assert storage.get_entries("k") == []  # skipped for redis_retry_interval
    message = (
        "cache LogsWhileReading: storage failed (hishel: could not read entries); "
        "serving from the network and retrying the storage every 60s"
    )
    assert [(r.name, r.getMessage()) for r in ours(caplog)] == [("tmdb_sdk.cache", message)]


def test_what_hishels_storage_logs_below_warning_is_kept_and_is_no_failure(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    storage = Cache(LogsWhileReading(logging.INFO)).sync_storage()
    assert len(storage.get_entries("k")) == 1
    assert [(r.name, r.levelno) for r in ours(caplog)] == [(HISHEL_REDIS_LOGGER, logging.INFO)]


def test_hishel_warnings_outside_a_storage_call_are_kept(caplog: pytest.LogCaptureFixture) -> None:
    Cache().sync_storage()  # installs the filter on hishel's storage loggers
    caplog.set_level(logging.WARNING)
    logging.getLogger(HISHEL_REDIS_LOGGER).warning("hishel: something of its own")
    assert [(r.name, r.getMessage()) for r in ours(caplog)] == [(HISHEL_REDIS_LOGGER, "hishel: something of its own")]


# -- which requests get rule names; what a memo hit carries ----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/3/movie/550", ("movies_details", "movies")),
        ("/3/tv/1399", ()),
        ("/3/person/287", ()),
        ("/3/movie/popular", ()),
        ("/3/movie/550/credits", ()),
        ("/3/trending", ()),
    ],
)
def test_only_a_movies_own_details_path_gets_the_movie_rule_names(path: str, names: tuple[str, ...]) -> None:
    kind = classify(httpx.Request("GET", BASE + path))
    assert kind.cacheable and kind.names == names


def test_a_hit_from_the_process_memo_has_the_stored_responses_headers() -> None:
    def tmdb(request: httpx.Request) -> httpx.Response:
        headers = {
            "Cache-Control": "public, max-age=60",
            "ETag": '"v7"',
            "Date": formatdate(usegmt=True),
            "Content-Type": "application/json;charset=utf-8",
        }
        return httpx.Response(200, content=b'{"id": 550}', headers=headers)

    with httpx.Client(transport=CacheTransport(httpx.MockTransport(tmdb), Cache()), base_url=BASE) as http:
        miss, hit = http.get("/3/movie/550"), http.get("/3/movie/550")
    assert [miss.extensions["tmdb_cache"], hit.extensions["tmdb_cache"]] == ["miss", "hit"]
    assert hit.headers["etag"] == '"v7"' and hit.headers["content-type"] == "application/json;charset=utf-8"
    assert hit.headers["cache-control"] == "public, max-age=60"
    assert hit.json() == {"id": 550}


# -- the storage for a URL ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("sqlite:///proc/nested/c.db", "proc/nested/c.db"),  # three slashes: ./proc/..., not /proc/...
        ("sqlite:///proc/odd://c.db", "proc/odd:/c.db"),  # the path is everything after the first "://"
    ],
)
def test_a_sqlite_url_names_a_file_relative_to_the_working_directory(
    url: str, file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with Cache(url) as cache:
        storage = cache.sync_storage()
        body_of(storage.create_entry(REQUEST, response(b"{}"), "k"))
        assert len(storage.get_entries("k")) == 1
    assert (tmp_path / file).is_file()


def test_a_failed_sqlite_write_leaves_the_file_unlocked_for_the_other_processes(tmp_path: Path) -> None:
    with Cache(f"sqlite:///{tmp_path}/c.db") as cache:
        storage = cache.sync_storage()
        body_of(storage.create_entry(REQUEST, response(b"{}"), "first"))  # the file and its tables exist
        other = sqlite3.connect(tmp_path / "c.db", timeout=0, isolation_level=None)  # another process's
        other.execute("CREATE TRIGGER full BEFORE INSERT ON entries BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        assert body_of(storage.create_entry(REQUEST, response(b"{}"), "second")) == b"{}"  # not stored
        other.execute("BEGIN IMMEDIATE")  # "database is locked" if the failed write had kept its transaction
        other.execute("ROLLBACK")
        other.close()


async def test_an_absolute_sqlite_path_serves_async_clients(tmp_path: Path) -> None:
    async with Cache(f"sqlite:///{tmp_path}/a/b/c.db") as cache:
        storage = cache.async_storage()
        await abody_of(await storage.create_entry(REQUEST, aresponse(b"{}"), "k"))
        assert len(await storage.get_entries("k")) == 1
    assert (tmp_path / "a" / "b" / "c.db").is_file()


async def test_a_redis_client_made_from_a_url_times_out_by_the_given_seconds() -> None:
    import redis
    import redis.asyncio

    sync_client = redis_client("redis://127.0.0.1:1/0", 0.25, SYNC_IO)
    async_client = redis_client("redis://127.0.0.1:1/0", 0.25, ASYNC_IO)
    assert type(sync_client) is redis.Redis and type(async_client) is redis.asyncio.Redis
    for client in (sync_client, async_client):
        settings = client.connection_pool.connection_kwargs
        assert (settings["socket_timeout"], settings["socket_connect_timeout"]) == (0.25, 0.25)
    sync_client.close()
    await async_client.aclose()


# -- which stored entry a 304 completes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "equal"),
    [
        ('W/"a"', 'W/"a"', True),
        ('W/"a"', '"a"', True),  # weak comparison: either may be weak (RFC 9110 §8.8.3.2)
        ('"a"', '"a"', True),
        ('W/"a"', 'W/"b"', False),
        (' W/"a" ', 'W/"a"', True),
        ("a", "a", False),  # not an entity tag
        ('W/"a"b"', 'W/"a"b"', False),
        (None, 'W/"a"', False),
        ('W/"a"', None, False),
        ('""', 'W/""', True),
    ],
)
def test_entity_tags_are_compared_weakly(first: str | None, second: str | None, equal: bool) -> None:
    from tmdb_sdk.cache.revalidate import weak_match

    assert weak_match(first, second) is equal


def validated(etag: str | None = None, modified: str | None = None) -> hishel.Entry:
    headers = {name: value for name, value in (("etag", etag), ("last-modified", modified)) if value is not None}
    return hishel.Entry(id=uuid.uuid4(), request=REQUEST, response=hishel.Response(200, hishel.Headers(headers)))


def test_a_304_completes_the_entry_its_etag_matches_else_its_last_modified_else_the_freshest() -> None:
    from tmdb_sdk.cache.revalidate import completed_entry

    freshest, older, dated = validated('W/"b"'), validated('W/"a"'), validated(None, "Tue, 01 Dec 2026 10:00:00 GMT")
    entries = [freshest, older, dated]
    assert completed_entry(entries, hishel.Headers({"etag": 'W/"a"'})) is older
    assert completed_entry(entries, hishel.Headers({"etag": '"a"'})) is older
    assert completed_entry(entries, hishel.Headers({"last-modified": "Tue, 01 Dec 2026 10:00:00 GMT"})) is dated
    assert completed_entry(entries, hishel.Headers({"etag": 'W/"c"'})) is freshest
    assert completed_entry(entries, hishel.Headers({})) is freshest
