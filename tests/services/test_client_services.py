"""Raw responses, per-call options, hooks, the log line and spans, through real TMDB and AsyncTMDB
clients talking to the stand-in (tmdb_sdk.testing)."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from operation_calls import call_arguments, operation_ids, operation_of
from services_support import ACCESS_TOKEN, API_KEY, assert_no_secret, captured
from tmdb_sdk import TMDB, AsyncTMDB, ConfigurationError, Hooks, NotFoundError, RetryPolicy
from tmdb_sdk.hooks import CallEvent
from tmdb_sdk.raw import RawResponse
from tmdb_sdk.testing import FakeTMDB

FAST = RetryPolicy(max_attempts=3, backoff_base=0, max_server_delay=1)


@pytest.fixture(scope="module")
def shared() -> Iterator[FakeTMDB]:
    with FakeTMDB() as server:
        yield server


@pytest.fixture
def fake(shared: FakeTMDB) -> FakeTMDB:
    shared.reset()
    return shared


@pytest.fixture(scope="module")
def module_client(shared: FakeTMDB) -> Iterator[TMDB]:
    with shared.client(retry=None) as client:
        yield client


@pytest.fixture
def spans() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


# -- raw responses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("operation_id", operation_ids())
def test_every_operation_has_a_raw_response(fake: FakeTMDB, module_client: TMDB, operation_id: str) -> None:
    args, kwargs = call_arguments(operation_id)
    raw = operation_of(module_client.with_raw_response, operation_id)(*args, **kwargs)
    plain = operation_of(module_client, operation_id)(*args, **kwargs)
    assert isinstance(raw, RawResponse)
    assert raw.operation == operation_id and 200 <= raw.status_code < 300 and raw.attempts == 1
    assert raw.path == fake.operation(operation_id).path and raw.method == fake.operation(operation_id).method
    assert raw.elapsed >= 0
    parsed = raw.parse()
    assert type(parsed) is type(plain)
    if hasattr(plain, "to_dict"):
        assert parsed.to_dict() == plain.to_dict()
    else:
        assert parsed == plain
    assert not fake.violations


def test_raw_responses_show_headers_and_attempts_and_no_secret(fake: FakeTMDB) -> None:
    fake.queue_rate_limit()
    fake.respond("movies_details", headers={"X-Cache": "Hit from cloudfront", "X-RateLimit-Remaining": "39"})
    with fake.client(api_key=API_KEY, access_token=None, retry=FAST) as tmdb:
        raw = tmdb.with_raw_response.movies.details(550, language="de-DE")
        session = tmdb.with_raw_response.account.details(1, session_id=API_KEY)
    assert raw.attempts == 2 and raw.headers["x-cache"] == "Hit from cloudfront"
    assert raw.headers["x-ratelimit-remaining"] == "39"
    assert str(raw.url).endswith("/3/movie/550?api_key=***&language=de-DE") or "api_key=***" in str(raw.url)
    for shown in (repr(raw), str(raw.url), repr(session), str(session.url)):
        assert_no_secret(shown)
    assert raw.parse().id == fake.example("movies_details")["id"]


def test_raw_responses_raise_errors_like_plain_calls(fake: FakeTMDB, module_client: TMDB) -> None:
    fake.queue_error(404)
    with pytest.raises(NotFoundError):
        module_client.with_raw_response.movies.details(550)


async def test_async_raw_responses(fake: FakeTMDB) -> None:
    async with fake.async_client() as tmdb:
        raw = await tmdb.with_raw_response.movies.details(550)
        v4 = await tmdb.with_raw_response.v4.lists.details(1)
    assert raw.parse().title == fake.example("movies_details")["title"]
    assert (raw.operation, v4.operation) == ("movies_details", "v4_lists_details")


def test_raw_resources_are_the_generated_facade_loaded_on_first_use(module_client: TMDB) -> None:
    import pydoc
    import sys

    from tmdb_sdk.raw import AsyncRawOperation, SyncRawOperation

    raw = module_client.with_raw_response
    assert raw is module_client.with_raw_response and module_client.with_options(retry=None).with_raw_response is not raw
    assert {"movies", "search", "v4"} <= set(dir(raw)) and "lists" in dir(raw.v4)
    assert "details" in dir(raw.movies) and dir(raw.credits) == ["details"]
    op = raw.movies.details
    assert isinstance(op, SyncRawOperation) and raw.movies.details is op
    assert repr(op).startswith("<RawMoviesDetails tmdb.with_raw_response.movies.details(movie_id, *")
    assert repr(raw.v4).startswith("<RawV4Resources TMDB.with_raw_response.v4: account, auth, lists")
    shown = pydoc.render_doc(raw.movies, renderer=pydoc.plaintext)
    assert "details = <functools.cached_property" in shown and "tmdb.with_raw_response.movies:" in shown
    assert "-> RawResponse[MovieDetails]" in pydoc.render_doc(op, renderer=pydoc.plaintext)
    assert "tmdb_generated._facade.raw.movies" in sys.modules
    with pytest.raises(AttributeError, match="with_raw_response.movies has no operation 'detials'; did you mean"):
        raw.movies.detials  # noqa: B018
    with pytest.raises(AttributeError, match="TMDB.with_raw_response has no resource 'film'; resources: account"):
        raw.film  # noqa: B018
    with pytest.raises(AttributeError, match="with_raw_response.v4 has no resource 'movies'"):
        raw.v4.movies  # noqa: B018
    assert isinstance(AsyncTMDB(api_key="k" * 20).with_raw_response.movies.details, AsyncRawOperation)


# -- per-call options -------------------------------------------------------------------------------


def test_headers_and_extra_query_of_a_view(fake: FakeTMDB) -> None:
    with fake.client() as tmdb:
        view = tmdb.with_options(headers={"X-Request-Id": "r-1"}, extra_query={"include_adult": True})
        view.search.movie(query="nemo")
        view.search.movie(query="nemo", include_adult=False)  # the call's argument wins
        tmdb.search.movie(query="nemo")  # the parent is unchanged
        with pytest.raises(ConfigurationError):
            tmdb.with_options(headers={"Authorization": "Bearer x"})
    first, second, third = fake.requests
    assert first.headers["x-request-id"] == "r-1" and first.param("include_adult") == "true"
    assert second.param("include_adult") == "false"
    assert "x-request-id" not in third.headers and third.param("include_adult") in (None, "false")


async def test_async_headers_and_extra_query(fake: FakeTMDB) -> None:
    async with fake.async_client() as tmdb:
        await tmdb.with_options(headers={"X-Request-Id": "a-1"}, extra_query={"page": 2}).movie_lists.popular()
    assert fake.requests[0].headers["x-request-id"] == "a-1" and fake.requests[0].param("page") == "2"


# -- hooks ------------------------------------------------------------------------------------------


def test_hooks_around_a_call_that_is_retried_then_succeeds(fake: FakeTMDB) -> None:
    events: list[CallEvent] = []
    hooks = Hooks(on_request=events.append, on_retry=events.append, on_response=events.append,
                  on_error=events.append)
    fake.queue_rate_limit()
    with fake.client(hooks=hooks, retry=FAST) as tmdb:
        tmdb.movies.details(550)
    assert [(e.stage, e.attempt, e.status) for e in events] == [
        ("request", 1, None), ("retry", 1, 429), ("response", 2, 200)]
    assert {(e.operation, e.method, e.path) for e in events} == {("movies_details", "GET", "/3/movie/{movie_id}")}
    assert events[1].retry_in == 0


def test_hooks_see_errors_and_a_raising_hook_breaks_nothing(fake: FakeTMDB) -> None:
    errors: list[CallEvent] = []

    def broken(event: CallEvent) -> None:
        raise RuntimeError("hook bug")

    fake.queue_error(404)
    with captured(level=logging.WARNING) as logs, fake.client(hooks=Hooks(on_request=broken, on_error=errors.append),
                                                              retry=None) as tmdb:
        with pytest.raises(NotFoundError):
            tmdb.movies.details(550)
        assert tmdb.movies.details(550).id  # the next call works too
    assert [(e.stage, e.status, type(e.error).__name__) for e in errors] == [("error", 404, "NotFoundError")]
    assert len([r for r in logs.records if "hook" in r.getMessage()]) == 1


def test_view_hooks_add_to_the_clients(fake: FakeTMDB) -> None:
    seen: list[str] = []
    with fake.client(hooks=Hooks(on_response=lambda e: seen.append("client"))) as tmdb:
        tmdb.with_options(hooks=Hooks(on_response=lambda e: seen.append("view"))).genres.movie_list()
        tmdb.genres.movie_list()
    assert seen == ["client", "view", "client"]


def test_a_sync_client_refuses_coroutine_hooks(fake: FakeTMDB) -> None:
    async def hook(event: CallEvent) -> None:
        pass

    with pytest.raises(ConfigurationError, match="coroutine hooks need AsyncTMDB"):
        fake.client(hooks=Hooks(on_request=hook))


async def test_async_hooks_are_awaited(fake: FakeTMDB) -> None:
    seen: list[tuple[str, int | None]] = []

    async def record(event: CallEvent) -> None:
        await asyncio.sleep(0)
        seen.append((event.stage, event.status))

    fake.queue_error(503)
    async with fake.async_client(hooks=Hooks(on_request=record, on_retry=record, on_response=lambda e: seen.append(
            ("plain", e.status))), retry=FAST) as tmdb:
        await tmdb.movies.details(550)
    assert seen == [("request", None), ("retry", 503), ("plain", 200)]


# -- the log line and spans -------------------------------------------------------------------------


def test_one_log_line_per_call(fake: FakeTMDB) -> None:
    with captured(level=logging.INFO) as logs, fake.client(retry=None, api_key=API_KEY) as tmdb:
        tmdb.movies.details(550)
        fake.queue_error(404)
        with pytest.raises(NotFoundError):
            tmdb.movies.details(550)
    lines = [m for m in logs.messages(logging.INFO) if m.startswith("movies_details")]
    assert [line.split(" in ")[0] for line in lines] == [
        "movies_details GET /3/movie/{movie_id} -> 200", "movies_details GET /3/movie/{movie_id} -> 404 NotFoundError"]
    assert all(line.endswith("(attempt 1)") for line in lines)
    for record in logs.records:
        assert_no_secret(record.getMessage())


def test_a_span_per_call(fake: FakeTMDB, spans: tuple[TracerProvider, InMemorySpanExporter]) -> None:
    provider, exporter = spans
    fake.queue_rate_limit()
    fake.queue_error(404, operation="tv_series_details")
    with fake.client(tracer_provider=provider, retry=FAST, api_key=API_KEY, access_token=ACCESS_TOKEN) as tmdb:
        tmdb.movies.details(550, language="de-DE")
        with pytest.raises(NotFoundError):
            tmdb.tv_series.details(1)
    ok, failed = exporter.get_finished_spans()
    assert (ok.name, failed.name) == ("movies_details", "tv_series_details")
    assert ok.attributes["http.request.resend_count"] == 1 and ok.attributes["http.response.status_code"] == 200
    assert ok.attributes["url.full"] == f"{fake.url}/3/movie/550"
    assert failed.attributes["tmdb.status_code"] == 34 and failed.attributes["error.type"] == "404"
    for span in (ok, failed):
        assert_no_secret(repr(dict(span.attributes)))


async def test_async_spans(fake: FakeTMDB, spans: tuple[TracerProvider, InMemorySpanExporter]) -> None:
    provider, exporter = spans
    async with fake.async_client(tracer_provider=provider) as tmdb:
        await asyncio.gather(tmdb.movies.details(550), tmdb.genres.movie_list())
    assert sorted(s.name for s in exporter.get_finished_spans()) == ["genres_movie_list", "movies_details"]
    assert all(s.parent is None for s in exporter.get_finished_spans())  # concurrent calls do not nest


async def test_a_cancelled_call_ends_its_span_and_runs_no_hook(
    spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    import httpx

    provider, exporter = spans
    started = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        started.set()
        await asyncio.sleep(30)
        return httpx.Response(200, json={})

    seen: list[str] = []
    hooks = Hooks(on_response=lambda e: seen.append(e.stage), on_error=lambda e: seen.append(e.stage))
    async with AsyncTMDB(access_token="t", transport=httpx.MockTransport(slow), tracer_provider=provider,
                         hooks=hooks) as tmdb:
        task = asyncio.ensure_future(tmdb.movies.details(550))
        await asyncio.wait_for(started.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    (span,) = exporter.get_finished_spans()
    assert span.name == "movies_details" and dict(span.attributes)["error.type"] == "CancelledError"
    assert seen == []
