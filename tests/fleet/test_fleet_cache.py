"""The cache layer (tmdb_sdk.cache) on its own and under TMDB/AsyncTMDB, against httpx.MockTransport
(and fakeredis for hishel's Redis storage). The real Redis and SQLite checks are in test_fleet_redis.py."""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from email.utils import formatdate
from typing import Any

import fakeredis
import hishel
import httpx
import pytest
from fleet_support import ACCESS_TOKEN, API_KEY, SECRETS
from tmdb_sdk import TMDB, AsyncTMDB, Cache, ConfigurationError, NotFoundError
from tmdb_sdk.cache import SUGGESTED_MIN_TTL, CacheTransport, cache_key, classify, public_url

BASE = "https://api.themoviedb.org"
ETAG = 'W/"v1"'


class FakeTMDB:
    """A MockTransport handler with TMDB's caching headers; records what reached the network."""

    def __init__(self, cache_control: str = "public, max-age=60", status: int = 200) -> None:
        self.cache_control, self.status = cache_control, status
        self.seen: list[httpx.Request] = []
        self.vary = "Accept-Encoding"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # a copy: the cache layer adds its validators to the caller's request for this send only
        self.seen.append(httpx.Request(request.method, request.url, headers=request.headers.copy()))
        headers = {"Cache-Control": self.cache_control, "ETag": ETAG, "Vary": self.vary, "Date": formatdate(usegmt=True)}
        if request.headers.get("if-none-match") == ETAG:
            return httpx.Response(304, headers=headers)
        if self.status != 200:
            body: dict[str, Any] = {"success": False, "status_code": 34, "status_message": "not found"}
            return httpx.Response(self.status, json=body, headers=headers)
        path = request.url.path
        if path.startswith("/3/movie/") and path.rsplit("/", 1)[1].isdigit():
            body = {"id": int(path.rsplit("/", 1)[1]), "title": "Fight Club"}
        elif path.startswith("/3/search/"):
            body = {"page": 1, "results": [], "total_pages": 1, "total_results": 0}
        elif path == "/3/configuration":
            body = {"images": {"secure_base_url": "https://image.tmdb.org/t/p/"}, "change_keys": []}
        else:
            body = {"genres": [{"id": 28, "name": "Action"}]}
        return httpx.Response(200, json=body, headers=headers)

    @property
    def conditional(self) -> list[str | None]:
        return [r.headers.get("if-none-match") for r in self.seen]


def client(handler: Callable[[httpx.Request], httpx.Response], cache: Any, **kwargs: Any) -> TMDB:
    return TMDB(api_key=API_KEY, base_url=BASE, transport=httpx.MockTransport(handler), cache=cache, **kwargs)


def raw(cache: Cache, handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> httpx.Client:
    """An httpx client over the bare cache layer, to read response.extensions["tmdb_cache"]."""
    transport = CacheTransport(httpx.MockTransport(handler), cache, **kwargs)
    return httpx.Client(transport=transport, base_url=BASE, params={"api_key": API_KEY},
                        headers={"Authorization": f"Bearer {ACCESS_TOKEN}"})


# -- which requests are cacheable ----------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url", "cacheable", "names"), [
    ("GET", "/3/movie/550", True, ("movies_details", "movies")),
    ("GET", "/3/movie/550?language=de", True, ("movies_details", "movies")),
    ("GET", "/3/configuration", True, ("configuration_details", "configuration")),
    ("GET", "/3/configuration/languages", True, ("configuration",)),
    ("GET", "/3/genre/movie/list", True, ("genres",)),
    ("GET", "/3/certification/tv/list", True, ("certifications",)),
    ("GET", "/3/search/movie?query=x", True, ()),
    ("HEAD", "/3/movie/550", False, ()),
    ("POST", "/3/movie/550/rating", False, ()),
    ("DELETE", "/3/movie/550/rating", False, ()),
    ("GET", "/3/account/1/favorite/movies", False, ()),
    ("GET", "/3/authentication/token/new", False, ()),
    ("GET", "/3/authentication/guest_session/new", False, ()),
    ("GET", "/3/guest_session/abc/rated/movies", False, ()),
    ("GET", "/3/movie/550/account_states?session_id=s", False, ()),
    ("GET", "/3/movie/550?session_id=s", False, ()),
    ("GET", "/3/list/1/item_status?movie_id=2", False, ()),
    ("GET", "/3/list/1", False, ()),
    ("GET", "/4/list/1", False, ()),
    ("GET", "/4/account/abc/lists", False, ()),
])
def test_classify_by_method_and_path(method: str, url: str, cacheable: bool, names: tuple[str, ...]) -> None:
    kind = classify(httpx.Request(method, BASE + url))
    assert (kind.cacheable, kind.names) == (cacheable, names)


def test_the_operation_index_entry_decides_when_the_request_carries_one() -> None:
    entry = {"operation_id": "trending_movies", "tag": "trending", "cacheable": True}
    request = httpx.Request("GET", BASE + "/3/account/x", extensions={"tmdb_operation": entry})
    assert classify(request).names == ("trending_movies", "trending")
    request = httpx.Request("GET", BASE + "/3/movie/1", extensions={"tmdb_operation": {**entry, "cacheable": False}})
    assert not classify(request).cacheable
    # a session id wins over the index: user data is never cached
    request = httpx.Request("GET", BASE + "/3/movie/1?session_id=s", extensions={"tmdb_operation": entry})
    assert not classify(request).cacheable


def test_the_key_is_derived_without_the_api_key_and_does_not_depend_on_the_query_order() -> None:
    with_key = httpx.URL(BASE + f"/3/search/movie?query=fight&api_key={API_KEY}&page=2")
    public = public_url(with_key)
    assert public == BASE + "/3/search/movie?page=2&query=fight"
    assert public_url(httpx.URL(BASE + "/3/search/movie?query=fight&page=2")) == public
    key = cache_key(public)
    assert key == hashlib.sha256(f"tmdb-sdk-cache-1 GET {public}".encode()).hexdigest()
    assert API_KEY not in key


# -- RFC 9111 behaviour ------------------------------------------------------------------------------------


def test_a_fresh_response_is_served_from_the_cache_and_says_so() -> None:
    fake = FakeTMDB("public, max-age=60")
    cache = Cache()
    with raw(cache, fake) as http:
        first, second = http.get("/3/movie/550"), http.get("/3/movie/550")
    assert [first.extensions["tmdb_cache"], second.extensions["tmdb_cache"]] == ["miss", "hit"]
    assert second.json() == first.json() == {"id": 550, "title": "Fight Club"}
    assert len(fake.seen) == 1
    assert (cache.stats.hits, cache.stats.misses) == (1, 1)


def test_max_age_0_revalidates_with_the_etag_and_a_304_gives_a_normal_typed_result() -> None:
    fake = FakeTMDB("public, max-age=0")
    cache = Cache()
    with client(fake, cache) as tmdb:
        first = tmdb.movies.details(550)
        second = tmdb.movies.details(550)
    assert fake.conditional == [None, ETAG]  # the second request was conditional, answered 304
    assert type(second) is type(first)
    assert (second.id, second.title) == (first.id, first.title) == (550, "Fight Club")
    assert (cache.stats.misses, cache.stats.revalidated, cache.stats.hits) == (1, 1, 0)
    with raw(cache, fake) as http:
        assert http.get("/3/movie/550").extensions["tmdb_cache"] == "revalidated"


@pytest.mark.parametrize("cache_control", [
    "max-age=0, private, must-revalidate",  # TMDB's lists, certifications, upcoming movies
    "private, max-age=600",
    "public, no-store",
    "max-age=600",  # authenticated request (every TMDB request), no explicit permission: RFC 9111 §3.5
    "",
])
def test_responses_a_shared_cache_must_not_keep_are_not_stored(cache_control: str) -> None:
    fake = FakeTMDB(cache_control)
    with raw(Cache(), fake) as http:
        outcomes = [http.get("/3/movie/550").extensions["tmdb_cache"] for _ in range(2)]
    assert outcomes == ["miss", "miss"]
    assert fake.conditional == [None, None]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_rate_limit_and_server_errors_are_never_stored(status: int) -> None:
    fake = FakeTMDB("public, max-age=600", status=status)
    with raw(Cache(), fake) as http:
        assert [http.get("/3/movie/550").status_code for _ in range(2)] == [status, status]
    assert len(fake.seen) == 2


def test_a_404_may_be_stored_when_its_headers_allow_it_as_rfc_9111_does() -> None:
    fake = FakeTMDB("public, max-age=600", status=404)
    with client(fake, Cache(), retry=None) as tmdb:
        for _ in range(2):
            with pytest.raises(NotFoundError):
                tmdb.movies.details(1)
    assert len(fake.seen) == 1


def test_writes_and_account_operations_go_to_the_network_and_are_marked_bypass() -> None:
    fake = FakeTMDB("public, max-age=600")
    cache = Cache()
    with raw(cache, fake) as http:
        assert http.post("/3/movie/550/rating", json={"value": 8}).extensions["tmdb_cache"] == "bypass"
        assert http.get("/3/account/1/rated/movies").extensions["tmdb_cache"] == "bypass"
        assert http.get("/3/account/1/rated/movies").extensions["tmdb_cache"] == "bypass"
    assert len(fake.seen) == 3
    assert cache.stats.bypassed == 3


def test_with_options_cache_false_bypasses_the_cache_for_that_view_only() -> None:
    fake = FakeTMDB("public, max-age=600")
    cache = Cache()
    with client(fake, cache) as tmdb:
        tmdb.movies.details(550)
        fresh = tmdb.with_options(cache=False)
        fresh.movies.details(550)
        fresh.movies.details(550)
        tmdb.movies.details(550)
        tmdb.with_options(cache=False).with_options(cache=True).movies.details(550)
    assert len(fake.seen) == 3  # the first call and the two bypassed ones
    assert (cache.stats.misses, cache.stats.bypassed, cache.stats.hits) == (1, 2, 2)


def test_a_view_can_use_another_cache_and_a_client_can_turn_it_off() -> None:
    fake = FakeTMDB("public, max-age=600")
    first, second = Cache(), Cache()
    with client(fake, first) as tmdb:
        tmdb.movies.details(550)
        tmdb.with_options(cache=second).movies.details(550)
        with pytest.raises(ConfigurationError):
            tmdb.with_options(cache="memory")
    assert (first.stats.misses, second.stats.misses) == (1, 1)
    with client(fake, None) as tmdb:
        tmdb.movies.details(550)
        tmdb.movies.details(550)
    assert len(fake.seen) == 4


def test_minimum_ttl_rules_keep_stable_resources_fresh_despite_max_age_0() -> None:
    fake = FakeTMDB("public, max-age=0")
    cache = Cache(min_ttl=SUGGESTED_MIN_TTL)
    with client(fake, cache) as tmdb:
        for _ in range(3):
            tmdb.configuration.details()
            tmdb.genres.movie_list()
            tmdb.movies.details(550)
        tmdb.search.movie(query="x")
        tmdb.search.movie(query="x")
    paths = [r.url.path for r in fake.seen]
    assert paths.count("/3/configuration") == paths.count("/3/genre/movie/list") == paths.count("/3/movie/550") == 1
    assert paths.count("/3/search/movie") == 2  # no rule: revalidated each time
    assert cache.stats.hits == 6


def test_minimum_ttl_rules_never_make_a_private_response_cacheable() -> None:
    fake = FakeTMDB("max-age=0, private, must-revalidate")
    with client(fake, Cache(min_ttl={"certifications": 3600})) as tmdb:
        tmdb.certifications.movie_list()
        tmdb.certifications.movie_list()
    assert len(fake.seen) == 2


def test_a_rule_names_a_resource_or_an_operation_and_must_not_be_negative() -> None:
    fake = FakeTMDB("public, max-age=0")
    with client(fake, Cache(min_ttl={"movies_details": 60})) as tmdb:
        tmdb.movies.details(1)
        tmdb.movies.details(1)
    assert len(fake.seen) == 1
    with pytest.raises(ConfigurationError):
        Cache(min_ttl={"genres": -1})


def test_memo_hits_are_new_read_responses_with_the_body_decoded_once() -> None:
    import gzip

    def gzipped(request: httpx.Request) -> httpx.Response:
        headers = {"Cache-Control": "public, max-age=60", "Content-Encoding": "gzip", "Date": formatdate(usegmt=True)}
        return httpx.Response(200, content=gzip.compress(b'{"id": 550, "title": "Fight Club"}'), headers=headers)

    cache = Cache()
    with raw(cache, gzipped) as http:
        miss, hit = http.get("/3/movie/550"), http.get("/3/movie/550")
        hit.headers["x-mine"] = "1"  # a caller's change stays in its own response
        again = http.get("/3/movie/550")
    assert [r.extensions["tmdb_cache"] for r in (miss, hit, again)] == ["miss", "hit", "hit"]
    assert hit.json() == again.json() == miss.json() == {"id": 550, "title": "Fight Club"}
    assert again is not hit and "x-mine" not in again.headers
    assert again.is_stream_consumed and again.is_closed
    with client(gzipped, cache) as tmdb:
        first, second = tmdb.movies.details(550), tmdb.movies.details(550)
    assert first is not second and first.title == second.title == "Fight Club"


def test_the_memo_honours_vary() -> None:
    fake = FakeTMDB("public, max-age=60")
    fake.vary = "Accept-Language"
    with raw(Cache(), fake) as http:
        assert http.get("/3/movie/1", headers={"Accept-Language": "de"}).extensions["tmdb_cache"] == "miss"
        assert http.get("/3/movie/1", headers={"Accept-Language": "de"}).extensions["tmdb_cache"] == "hit"
        assert http.get("/3/movie/1", headers={"Accept-Language": "fr"}).extensions["tmdb_cache"] != "hit"


def test_a_request_asking_for_no_cache_is_revalidated() -> None:
    fake = FakeTMDB("public, max-age=60")
    with raw(Cache(), fake) as http:
        http.get("/3/movie/1")
        assert http.get("/3/movie/1", headers={"Cache-Control": "no-cache"}).extensions["tmdb_cache"] == "revalidated"
    assert fake.conditional == [None, ETAG]


def test_api_key_and_bearer_clients_share_entries() -> None:
    fake = FakeTMDB("public, max-age=60")
    cache = Cache()
    with client(fake, cache) as v3, TMDB(access_token=ACCESS_TOKEN, base_url=BASE, transport=httpx.MockTransport(fake),
                                         cache=cache) as bearer:
        v3.movies.details(550)
        bearer.movies.details(550)
    assert len(fake.seen) == 1


# -- secrets ----------------------------------------------------------------------------------------------


def test_what_the_storage_receives_holds_no_secret_but_the_network_gets_the_credentials() -> None:
    fake = FakeTMDB("public, max-age=0")
    cache = Cache()
    with raw(cache, fake) as http:
        http.get("/3/movie/550", params={"language": "en"})
        http.get("/3/movie/550", params={"language": "en"})
    sent = fake.seen[1]
    assert sent.url.params["api_key"] == API_KEY and sent.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    stored = list(cache._memory.entries.values())
    assert len(stored) == 1
    text = repr((stored[0].key, stored[0].request, stored[0].headers))
    for secret in SECRETS:
        assert secret not in text
    assert "authorization" not in stored[0].request.headers


def test_hishel_redis_storage_on_fakeredis_shares_entries_and_holds_no_secret() -> None:
    server = fakeredis.FakeServer()
    fake = FakeTMDB("public, max-age=60")
    first = Cache(hishel.RedisStorage(client=fakeredis.FakeRedis(server=server)))
    second = Cache(hishel.RedisStorage(client=fakeredis.FakeRedis(server=server)))
    with raw(first, fake) as one, raw(second, fake) as two:
        assert one.get("/3/movie/550").extensions["tmdb_cache"] == "miss"
        assert two.get("/3/movie/550").extensions["tmdb_cache"] == "hit"  # from Redis: another process's entry
    assert len(fake.seen) == 1
    redis = fakeredis.FakeRedis(server=server)
    dump = b"".join(k + (redis.dump(k) or b"") for k in redis.scan_iter())
    assert b"hishel:entry:" in dump
    for secret in SECRETS:
        assert secret.encode() not in dump


def test_the_guard_refuses_to_store_a_request_that_still_holds_a_secret() -> None:
    stored: list[Any] = []

    class Recording(hishel.BaseStorage):
        def create_entry(self, request: Any, response: Any, key: str, *, ttl: Any = None, tti: Any = None) -> Any:
            stored.append(request)
            return hishel.Entry(id=__import__("uuid").uuid4(), request=request, response=response)

        def get_entries(self, key: str) -> list[Any]:
            return []

        def update_headers(self, id: Any, headers: Any) -> None:
            pass

        def remove_entry(self, id: Any) -> None:
            pass

    guarded = Cache(Recording()).sync_storage()
    response = hishel.Response(200, hishel.Headers({"cache-control": "public, max-age=9"}))
    for request in (
        hishel.Request("GET", f"{BASE}/3/movie/1?api_key={API_KEY}"),
        hishel.Request("GET", f"{BASE}/3/movie/1", hishel.Headers({"Authorization": "Bearer x"})),
        hishel.Request("GET", f"{BASE}/3/movie/1?x={API_KEY}"),
    ):
        guarded.create_entry(request, response, "k")
    assert stored == []
    guarded.create_entry(hishel.Request("GET", f"{BASE}/3/movie/1"), response, "k")
    assert len(stored) == 1


# -- failures -------------------------------------------------------------------------------------------------


def test_a_failing_storage_serves_from_the_network_and_logs_once(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(hishel.BaseStorage):
        calls = 0

        def _fail(self, *args: Any, **kwargs: Any) -> Any:
            Broken.calls += 1
            raise OSError("disk on fire")

        create_entry = get_entries = update_headers = remove_entry = _fail

    fake = FakeTMDB("public, max-age=0")  # revalidated each time: every call needs the storage
    caplog.set_level(logging.WARNING, logger="tmdb_sdk.cache")
    with client(fake, Cache(Broken(), redis_retry_interval=3600)) as tmdb:
        for _ in range(5):
            assert tmdb.movies.details(550).title == "Fight Club"
    assert len(fake.seen) == 5
    assert Broken.calls == 1  # then skipped for retry_after
    warnings = [r for r in caplog.records if r.name == "tmdb_sdk.cache"]
    assert len(warnings) == 1 and "disk on fire" in warnings[0].getMessage()


def test_redis_errors_swallowed_by_hishel_still_count_as_an_outage(caplog: pytest.LogCaptureFixture) -> None:
    server = fakeredis.FakeServer()
    server.connected = False
    fake = FakeTMDB("public, max-age=0")
    caplog.set_level(logging.WARNING)
    cache = Cache(hishel.RedisStorage(client=fakeredis.FakeRedis(server=server)), redis_retry_interval=0.0)
    with client(fake, cache) as tmdb:
        for _ in range(3):
            tmdb.movies.details(550)
        server.connected = True
        tmdb.movies.details(551)
        tmdb.movies.details(551)
    assert fake.conditional == [None, None, None, None, ETAG]  # stored again once Redis was back
    messages = [r.getMessage() for r in caplog.records]
    assert [m for m in messages if "storage failed" in m] and len([m for m in messages if "storage failed" in m]) == 1
    assert [m for m in messages if "reachable again" in m]
    assert not [r for r in caplog.records if r.name.startswith("hishel")]  # hishel's tracebacks were dropped


def test_cache_arguments() -> None:
    with pytest.raises(ConfigurationError):
        Cache("ftp://x")
    assert Cache.coerce(None) == (None, False)
    made, owned = Cache.coerce("memory")
    assert isinstance(made, Cache) and owned
    with pytest.raises(ConfigurationError):
        Cache.coerce(3)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="AsyncTMDB"):
        Cache(hishel.RedisStorage(client=fakeredis.FakeRedis())).async_storage()
    assert "redis://:***@host" in repr(Cache("redis://:hunter2hunter2@host:6379/0"))


# -- async ----------------------------------------------------------------------------------------------------


async def test_async_hit_revalidation_and_bypass() -> None:
    fresh, revalidate = FakeTMDB("public, max-age=60"), FakeTMDB("public, max-age=0")
    cache = Cache()
    async with AsyncTMDB(api_key=API_KEY, base_url=BASE, transport=httpx.MockTransport(fresh), cache=cache) as tmdb:
        assert (await tmdb.movies.details(550)).title == "Fight Club"
        assert (await tmdb.movies.details(550)).title == "Fight Club"
        await tmdb.with_options(cache=False).movies.details(550)
    assert len(fresh.seen) == 2
    async with AsyncTMDB(api_key=API_KEY, base_url=BASE, transport=httpx.MockTransport(revalidate),
                         cache=cache) as tmdb:
        first = await tmdb.configuration.details()
        second = await tmdb.configuration.details()
    assert revalidate.conditional == [None, ETAG]
    assert second.images.secure_base_url == first.images.secure_base_url
    assert (cache.stats.hits, cache.stats.revalidated, cache.stats.bypassed) == (1, 1, 1)


async def test_async_fakeredis_storage_and_a_sync_client_sharing_one_cache() -> None:
    import fakeredis.aioredis

    server = fakeredis.FakeServer()
    fake = FakeTMDB("public, max-age=60")
    cache = Cache(hishel.AsyncRedisStorage(client=fakeredis.aioredis.FakeRedis(server=server)))
    async with AsyncTMDB(api_key=API_KEY, base_url=BASE, transport=httpx.MockTransport(fake), cache=cache) as tmdb:
        await tmdb.movies.details(7)
    other = Cache(hishel.AsyncRedisStorage(client=fakeredis.aioredis.FakeRedis(server=server)))
    async with AsyncTMDB(api_key=API_KEY, base_url=BASE, transport=httpx.MockTransport(fake), cache=other) as tmdb:
        await tmdb.movies.details(7)
    assert len(fake.seen) == 1 and other.stats.hits == 1
    memory = Cache()
    with client(fake, memory) as sync_tmdb:
        sync_tmdb.movies.details(8)
    async with AsyncTMDB(api_key=API_KEY, base_url=BASE, transport=httpx.MockTransport(fake), cache=memory) as tmdb:
        await tmdb.movies.details(8)
    assert memory.stats.hits == 1


def test_a_client_closes_the_cache_it_made_but_not_one_it_was_given() -> None:
    fake = FakeTMDB()
    given = Cache()
    with client(fake, given) as tmdb:
        tmdb.movies.details(1)
    given.sync_storage()  # still usable
    with client(fake, "memory") as tmdb:
        made = tmdb._settings.cache
        assert made is not None
        tmdb.movies.details(1)
    assert made._sync is None
    assert json.loads(json.dumps(dict(SUGGESTED_MIN_TTL)))  # a plain mapping, settable from configuration


def test_the_call_path_puts_the_index_entry_on_each_request_and_the_cache_follows_it() -> None:
    fake = FakeTMDB("public, max-age=600")
    cache = Cache()
    with client(fake, cache) as tmdb:
        for _ in range(2):
            tmdb.movies.details(550)  # cacheable in the index
            tmdb.request("GET", "/3/movie/551")  # no entry: classified by path
            tmdb.lists.details(1)  # v3 lists: one user's, never cached (the index entry decides)
    paths = [r.url.path for r in fake.seen]
    assert paths.count("/3/movie/550") == paths.count("/3/movie/551") == 1
    assert paths.count("/3/list/1") == 2
