"""tmdb_sdk.testing: the stand-in answers every operation, checks requests against the spec and
serves queued errors, 429s and dropped connections to real clients, sync and async."""
from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from operation_calls import recorded
from tmdb_sdk import (
    APIError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
)
from tmdb_sdk.testing import FakeTMDB
from tmdb_sdk.testing._catalog import Operation, catalog, sample

FINAL_SPEC = Path(__file__).resolve().parents[2] / "build" / "spec" / "openapi.json"
OPERATIONS = sorted(catalog().operations.values(), key=lambda op: op.operation_id)


@cache
def final_spec() -> dict[str, Any]:
    return json.loads(FINAL_SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeTMDB]:
    with FakeTMDB() as fake:
        yield fake


@pytest.fixture
def fake(shared_fake: FakeTMDB) -> FakeTMDB:
    shared_fake.reset()
    return shared_fake


def minimal_request(op: Operation) -> tuple[str, dict[str, str], Any]:
    """A request the final spec records (its examples), with every path and required query parameter
    and a required body; a value from the schema where nothing is recorded."""
    spec_op = final_spec()["paths"][op.path][op.method.lower()]
    schemas = catalog().schemas
    path, query = op.path, {}
    for parameter in spec_op.get("parameters") or []:
        found, value = recorded(parameter)
        if not found:
            value = sample(parameter.get("schema") or {}, schemas)
        text = json.dumps(value) if isinstance(value, bool) else str(value) or "abc123"
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", text)
        elif parameter.get("required"):
            query[parameter["name"]] = text
    body = None
    if op.body and op.body["required"]:
        media = spec_op["requestBody"]["content"]["application/json"]
        found, body = recorded(media)
        if not found:
            body = sample(op.body["schema"], schemas)
    return path, query, body


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_every_operation_is_answered_with_its_recorded_example(fake: FakeTMDB, op: Operation) -> None:
    path, query, body = minimal_request(op)
    response = httpx.request(op.method, fake.url + path, params=query, json=body,
                             headers={"Authorization": "Bearer t"}, timeout=10)
    assert fake.violations == []
    assert [r.operation for r in fake.requests] == [op.operation_id]  # the most specific template matched
    assert 200 <= response.status_code < 300
    expected = fake.example(op.operation_id)
    if isinstance(expected, dict) and "page" in expected and "results" in expected:
        expected = {**expected, "page": 1}  # a paged example answers the page asked for (none: the first)
    assert response.json() == expected


def test_there_are_173_operations_and_most_have_a_recorded_example() -> None:
    assert len(OPERATIONS) == 173
    assert sum(1 for op in OPERATIONS if op.examples()) >= 160


def test_a_typed_call_gets_the_recorded_example(fake: FakeTMDB) -> None:
    with fake.client() as tmdb:
        movie = tmdb.movies.details(550)
        page = tmdb.search.movie(query="nemo")
    assert movie.title == fake.example("movies_details")["title"]
    assert page.total_results == fake.example("search_movie")["total_results"]
    (first, second) = fake.requests
    assert (first.operation, first.path, second.param("query")) == ("movies_details", "/3/movie/550", "nemo")
    assert first.headers["authorization"] == "Bearer test-access-token"
    fake.check()


def test_queued_errors_rate_limits_and_disconnects_reach_the_client(fake: FakeTMDB) -> None:
    with fake.client(retry=RetryPolicy(max_attempts=3, backoff_base=0, max_server_delay=1)) as tmdb:
        fake.queue_error(404, operation="movies_details")
        with pytest.raises(NotFoundError) as not_found:
            tmdb.movies.details(550)
        assert not_found.value.status_code == 34
        fake.queue_rate_limit(retry_after=0)
        fake.queue_disconnect()
        assert tmdb.movies.details(550).id == fake.example("movies_details")["id"]  # two retries
        fake.queue_rate_limit(retry_after=5, operation="movies_details")  # beyond max_server_delay
        with pytest.raises(RateLimitError) as limited:
            tmdb.movies.details(550)
        assert limited.value.retry_after == 5 and limited.value.status_code == 25
        fake.queue_error(503, times=3)
        with pytest.raises(APIError) as server_error:
            tmdb.genres.movie_list()
        assert server_error.value.http_status == 503
    assert len(fake.calls("movies_details")) == 5 and len(fake.calls("genres_movie_list")) == 3
    fake.check()


def test_a_queued_answer_waits_for_its_operation(fake: FakeTMDB) -> None:
    with fake.client() as tmdb:
        fake.queue_error(500, operation="movies_details", status_code=11, message="boom")
        assert tmdb.genres.movie_list().genres  # not this one
        with pytest.raises(APIError, match="boom"):
            tmdb.with_options(retry=None).movies.details(550)


def test_respond_with_a_body_another_example_or_from_now_on(fake: FakeTMDB) -> None:
    with fake.client() as tmdb:
        fake.respond("movies_details", {"id": 7, "title": "Seven"})
        assert tmdb.movies.details(7).title == "Seven"
        fake.respond("movies_details", {"id": 8, "title": "Always"}, times=None)
        assert [tmdb.movies.details(8).title for _ in range(2)] == ["Always", "Always"]
    with pytest.raises(KeyError, match="no example 'nope'"):
        fake.respond("movies_details", example="nope")
    with pytest.raises(KeyError, match="no operation 'movie_details'"):
        fake.queue_error(404, operation="movie_details")


def test_requests_that_break_the_spec_are_answered_like_tmdb_andrecorded(fake: FakeTMDB) -> None:
    with fake.client(retry=None) as tmdb:
        with pytest.raises(BadRequestError, match="unknown query parameter 'languag'"):
            tmdb.request("GET", "/3/movie/550", params={"languag": "de"})
        with pytest.raises(BadRequestError, match="does not match"):
            tmdb.movies.details(550, language="German")
        with pytest.raises(NotFoundError):
            tmdb.request("GET", "/3/movies/550")
        with pytest.raises(APIError) as wrong_method:
            tmdb.request("DELETE", "/3/movie/550")
        assert wrong_method.value.http_status == 405
        with pytest.raises(BadRequestError, match="request body"):
            tmdb.request("POST", "/3/movie/550/rating", json={"value": 11})
    with httpx.Client(base_url=fake.url) as anonymous, pytest.raises(httpx.HTTPStatusError):
        anonymous.get("/3/movie/550").raise_for_status()
    assert len(fake.violations) == 6
    assert "no credentials TMDB accepts" in fake.violations[-1]
    with pytest.raises(AssertionError, match="request breaks the spec"):
        fake.check()


def test_v4_needs_a_bearer_token(fake: FakeTMDB) -> None:
    with fake.client(access_token=None, api_key=fake.api_key) as tmdb:
        assert tmdb.movies.details(550).id  # v3 takes the key
    response = httpx.get(f"{fake.url}/4/list/1", params={"api_key": "k"})
    assert response.status_code == 401 and "bearerAuth" in fake.violations[0]
    fake.queue_error(401)
    with fake.client() as tmdb, pytest.raises(AuthenticationError):
        tmdb.movies.details(550)


def test_unused_queued_answers_fail_the_check(fake: FakeTMDB) -> None:
    fake.queue_error(404, operation="movies_details")
    with pytest.raises(AssertionError, match=r"never served: queue_error\(404, operation='movies_details'\)"):
        fake.check()
    with pytest.raises(ValueError):
        fake.queue_error(404, times=0)


async def test_the_async_client_works_the_same(fake: FakeTMDB) -> None:
    async with fake.async_client(retry=RetryPolicy(backoff_base=0)) as tmdb:
        fake.queue_rate_limit()
        movie = await tmdb.movies.details(550)
        fake.queue_error(404)
        with pytest.raises(NotFoundError):
            await tmdb.tv_series.details(1)
    assert movie.title == fake.example("movies_details")["title"]
    assert [r.operation for r in fake.requests] == ["movies_details", "movies_details", "tv_series_details"]
    fake.check()


def test_the_environment_points_a_client_at_the_stand_in(fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch) -> None:
    from tmdb_sdk import TMDB

    for name, value in fake.environ.items():
        monkeypatch.setenv(name, value)
    with TMDB() as tmdb:
        assert tmdb.configuration.details().images is not None
    assert fake.requests[0].operation == "configuration_details"


def test_a_stopped_stand_in_has_no_url() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        _ = FakeTMDB().url
