"""tmdb_sdk.testing.server: FakeTMDB as a plain HTTP client sees it, scripted answers, the recorded
requests, what breaks the spec (with the exact messages), TMDB's error bodies and the server's lifecycle."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tmdb_sdk.testing import FakeTMDB
from tmdb_sdk.testing._catalog import Catalog, catalog, filled, parse
from tmdb_sdk.testing.server import error_body

pytest_plugins = ["tmdb_sdk.testing.pytest_plugin"]  # the kit's fixtures, enabled as its users do
BEARER = {"Authorization": "Bearer t"}


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeTMDB]:
    with FakeTMDB() as fake:
        yield fake


@pytest.fixture
def fake(shared_fake: FakeTMDB) -> Iterator[FakeTMDB]:
    shared_fake.reset()
    yield shared_fake
    shared_fake.reset()


@pytest.fixture
def http(fake: FakeTMDB) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fake.url, headers=BEARER, timeout=10) as client:
        yield client


def small_catalog(error_bodies: dict[str, Any] | None = None, security: list[list[str]] | None = None) -> Catalog:
    return parse(
        {
            "operations": [
                {
                    "operation_id": "thing",
                    "method": "GET",
                    "path": "/3/thing",
                    "parameters": [],
                    "body": None,
                    "security": security or [],
                    "responses": {"default": []},
                    "success_schema": {"type": "object", "required": ["id"]},
                }
            ],
            "schemas": {},
            "error_bodies": error_bodies or {},
            "spec_sha256": "",
        }
    )


# -- TMDB's error bodies -----------------------------------------------------------------------------


def test_a_recorded_error_body_is_served_with_only_tmdbs_three_fields() -> None:
    recorded = {"NotFound": {"success": False, "status_code": 34, "status_message": "Not found.", "contact": "x"}}
    assert error_body(small_catalog(recorded), 404) == {
        "success": False,
        "status_code": 34,
        "status_message": "Not found.",
    }
    assert error_body(small_catalog(recorded), 404, 6, "Invalid id.") == {
        "success": False,
        "status_code": 6,
        "status_message": "Invalid id.",
    }


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (503, {"success": False, "status_code": 9, "status_message": "Service offline."}),
        (
            404,
            {
                "success": False,
                "status_code": 6,
                "status_message": "Invalid id: the pre-requisite id is invalid or not found.",
            },
        ),
        (418, {"success": False, "status_code": 11, "status_message": "Internal error."}),
    ],
)
def test_without_a_recorded_body_the_status_code_catalogue_gives_one(status: int, body: dict[str, Any]) -> None:
    assert error_body(small_catalog(), status) == body


def test_the_packaged_error_bodies_are_tmdbs() -> None:
    assert error_body(catalog(), 429) == {
        "success": False,
        "status_code": 25,
        "status_message": "Your request count is over the allowed limit.",
    }
    assert error_body(catalog(), 500, message="boom") == {"success": False, "status_code": 11, "status_message": "boom"}


# -- defaults and lifecycle --------------------------------------------------------------------------


def test_a_new_stand_in_is_strict_and_hands_out_test_credentials() -> None:
    fake = FakeTMDB()
    assert fake.strict is True
    with fake:
        assert fake.environ == {
            "TMDB_BASE_URL": fake.url,
            "TMDB_API_KEY": "test-api-key",
            "TMDB_ACCESS_TOKEN": "test-access-token",
        }
        assert fake.url.startswith("http://127.0.0.1:")
    custom = FakeTMDB(api_key="k", access_token="a")
    with custom:
        assert (custom.environ["TMDB_API_KEY"], custom.environ["TMDB_ACCESS_TOKEN"]) == ("k", "a")


def test_the_env_fixture_points_the_environment_at_a_started_stand_in(tmdb_fake_env: FakeTMDB) -> None:
    assert {name: os.environ[name] for name in tmdb_fake_env.environ} == {
        "TMDB_BASE_URL": tmdb_fake_env.url,
        "TMDB_API_KEY": "test-api-key",
        "TMDB_ACCESS_TOKEN": "test-access-token",
    }
    tmdb_fake_env.strict = False  # the fixture skips its check after the test
    tmdb_fake_env.queue_error(500)


def test_two_stand_ins_run_side_by_side_on_their_own_ports() -> None:
    with FakeTMDB() as first, FakeTMDB() as second:
        assert first.url != second.url
        for fake in (first, second):
            assert httpx.get(fake.url + "/3/configuration", headers=BEARER, timeout=10).status_code == 200
            assert len(fake.requests) == 1


def fake_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "FakeTMDB"]


def test_the_server_runs_in_one_daemon_thread_named_faketmdb_until_closed() -> None:
    before = fake_threads()
    fake = FakeTMDB().start()
    try:
        assert fake.start() is fake  # starting again changes nothing
        new = [thread for thread in fake_threads() if thread not in before]
        assert len(new) == 1 and new[0].daemon
    finally:
        fake.close()
    assert not new[0].is_alive()
    fake.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="not started"):
        _ = fake.url


def test_closing_a_stand_in_that_never_started_is_harmless() -> None:
    FakeTMDB().close()


def test_a_closed_stand_in_can_start_again() -> None:
    fake = FakeTMDB()
    with fake:
        httpx.get(fake.url + "/3/configuration", headers=BEARER, timeout=10)
    with fake:
        assert httpx.get(fake.url + "/3/configuration", headers=BEARER, timeout=10).status_code == 200
    assert len(fake.requests) == 2


def test_closing_is_quick_even_with_a_client_connection_left_open() -> None:
    fake = FakeTMDB().start()
    with httpx.Client(base_url=fake.url, headers=BEARER, timeout=10) as client:
        client.get("/3/configuration")  # the keep-alive connection stays open, idle
        started = time.monotonic()
        fake.close()
        assert time.monotonic() - started < 2


def test_closing_does_not_wait_for_a_slow_poll() -> None:
    took = []
    for _ in range(3):
        with FakeTMDB() as fake:
            httpx.get(fake.url + "/3/configuration", headers=BEARER, timeout=10)  # the server loop is running
            started = time.monotonic()
        took.append(time.monotonic() - started)
    assert min(took) < 0.3  # the server looks for the stop request every 50 ms


# -- answers: examples, respond, queued errors ------------------------------------------------------


def test_an_operation_is_answered_with_its_first_recorded_example(fake: FakeTMDB, http: httpx.Client) -> None:
    response = http.get("/3/search/movie", params={"query": "nemo"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    assert response.json() == fake.catalog.operations["search_movie"].examples()[0][2]
    assert (
        fake.example("search_movie", "Movies (second recording)")
        == fake.catalog.operations["search_movie"].examples()[1][2]
    )


def test_an_operation_that_creates_answers_with_its_recorded_status(fake: FakeTMDB, http: httpx.Client) -> None:
    response = http.post("/3/movie/550/rating", json={"value": 8.5})
    assert (response.status_code, response.json()["status_code"]) == (201, 12)
    assert fake.violations == []


def test_an_operation_without_a_recorded_example_gets_one_from_its_schema(fake: FakeTMDB) -> None:
    op = fake.operation("credits_details")
    assert op.examples() == []
    assert fake.example("credits_details") == filled(op.success_schema or {}, fake.catalog.schemas)


def test_an_operation_without_security_or_a_numbered_success_status_answers_200() -> None:
    with FakeTMDB() as fake:
        fake.catalog = small_catalog()
        response = httpx.get(fake.url + "/3/thing", timeout=10)
    assert (response.status_code, response.json()) == (200, {"id": ""})


def test_unknown_operations_and_examples_are_named_in_the_error(fake: FakeTMDB) -> None:
    with pytest.raises(KeyError) as unknown:
        fake.operation("movie")
    assert unknown.value.args[0] == (
        "no operation 'movie' in the spec; e.g. ['account_add_favorite', 'account_add_to_watchlist', "
        "'account_details', 'account_favorite_movies', 'account_favorite_tv']"
    )
    with pytest.raises(KeyError, match=r"search_movie has no example 'x'; examples: \['Movies', 'Movies \(second"):
        fake.example("search_movie", "x")


def test_respond_answers_one_operation_once_by_default(fake: FakeTMDB, http: httpx.Client) -> None:
    fake.respond("movies_details", {"id": 7})
    assert http.get("/3/genre/movie/list").json() == fake.example("genres_movie_list")
    assert fake.pending == ["respond(movies_details)"]
    response = http.get("/3/movie/7")
    assert (response.status_code, response.json()) == (200, {"id": 7})
    assert http.get("/3/movie/7").json() == fake.example("movies_details")
    assert fake.pending == []


def test_respond_with_a_status_headers_an_example_and_a_count(fake: FakeTMDB, http: httpx.Client) -> None:
    fake.respond("search_movie", status=203, headers={"X-Note": "n"}, example="Movies (second recording)", times=2)
    for _ in range(2):
        response = http.get("/3/search/movie", params={"query": "q"})
        assert (response.status_code, response.headers["x-note"]) == (203, "n")
        assert response.json() == fake.example("search_movie", "Movies (second recording)")
    assert http.get("/3/search/movie", params={"query": "q"}).json() == fake.example("search_movie")


def test_respond_checks_the_operation_even_with_a_body(fake: FakeTMDB) -> None:
    with pytest.raises(KeyError, match="no operation 'movie_details'"):
        fake.respond("movie_details", {"id": 1})
    with pytest.raises(KeyError, match="no operation 'movie_details'"):
        fake.respond("movie_details", {"id": 1}, times=None)
    assert fake.pending == []


def test_an_answer_from_now_on_is_never_pending_and_yields_to_queued_ones(fake: FakeTMDB, http: httpx.Client) -> None:
    fake.respond("movies_details", {"id": 1}, times=None)
    fake.queue_error(404, operation="movies_details")
    assert fake.pending == ["queue_error(404, operation='movies_details')"]
    assert [http.get("/3/movie/1").status_code for _ in range(3)] == [404, 200, 200]
    assert http.get("/3/movie/1").json() == {"id": 1}
    assert fake.pending == []
    fake.check()
    fake.reset()
    assert http.get("/3/movie/1").json() == fake.example("movies_details")


def test_the_times_of_an_answer_must_be_at_least_one(fake: FakeTMDB) -> None:
    for queue in (
        lambda: fake.respond("movies_details", {}, times=0),
        lambda: fake.queue_error(404, times=0),
        lambda: fake.queue_rate_limit(times=-1),
        lambda: fake.queue_disconnect(times=0),
    ):
        with pytest.raises(ValueError, match=r"^times must be at least 1 \(or None: every time\)$"):
            queue()
    assert fake.pending == []


def test_queued_answers_are_served_in_order_to_the_operations_they_name(fake: FakeTMDB, http: httpx.Client) -> None:
    fake.queue_error(500, operation="movies_details", times=2)
    fake.queue_error(503)
    assert http.get("/3/genre/movie/list").status_code == 503  # the first one that fits
    assert [http.get("/3/movie/1").status_code for _ in range(3)] == [500, 500, 200]
    assert fake.pending == []


def test_a_queued_error_carries_tmdbs_body_and_what_the_test_chose(fake: FakeTMDB, http: httpx.Client) -> None:
    fake.queue_error(401, status_code=3, message="Nope.", headers={"WWW-Authenticate": "Bearer"})
    response = http.get("/3/movie/1")
    assert response.status_code == 401
    assert response.json() == {"success": False, "status_code": 3, "status_message": "Nope."}
    assert response.headers["www-authenticate"] == "Bearer"
    fake.queue_error(404)
    assert http.get("/3/movie/1").json() == {
        "success": False,
        "status_code": 34,
        "status_message": "The resource you requested could not be found.",
    }


def test_a_queued_rate_limit_sends_retry_after_as_tmdb_does(fake: FakeTMDB, http: httpx.Client) -> None:
    fake.queue_rate_limit(retry_after=1.5, operation="movies_details")
    fake.queue_rate_limit(times=2)
    assert fake.pending == ["queue_rate_limit(operation='movies_details')", "queue_rate_limit(operation=None)"]
    assert http.get("/3/genre/movie/list").headers["retry-after"] == "0"
    response = http.get("/3/movie/1")
    assert response.status_code == 429 and (b"Retry-After", b"1.5") in response.headers.raw
    assert response.json()["status_code"] == 25
    assert http.get("/3/movie/1").headers["retry-after"] == "0"
    assert http.get("/3/movie/1").status_code == 200
    with pytest.raises(KeyError, match="no operation 'movie'"):
        fake.queue_rate_limit(operation="movie")


def test_a_queued_disconnect_closes_the_connection_of_its_operation(fake: FakeTMDB, http: httpx.Client) -> None:
    fake.queue_disconnect(operation="movies_details", times=2)
    assert fake.pending == ["queue_disconnect(operation='movies_details')"]
    assert http.get("/3/genre/movie/list").status_code == 200
    for _ in range(2):
        with pytest.raises(httpx.RemoteProtocolError):
            http.get("/3/movie/1")
    assert http.get("/3/movie/1").status_code == 200
    assert [r.operation for r in fake.requests] == ["genres_movie_list"] + ["movies_details"] * 3
    with pytest.raises(KeyError, match="no operation 'movie'"):
        fake.queue_disconnect(operation="movie")


def test_bytes_are_served_as_they_are(fake: FakeTMDB, http: httpx.Client) -> None:
    fake.respond("movies_details", b"{not json", headers={"Content-Type": "text/plain"})
    response = http.get("/3/movie/1")
    assert (response.content, response.headers["content-type"]) == (b"{not json", "text/plain")
    assert (b"Content-Length", b"9") in response.headers.raw


# -- what happened -----------------------------------------------------------------------------------


def test_requests_are_recorded_as_received(fake: FakeTMDB, http: httpx.Client) -> None:
    http.get("/3/search/movie", params=[("query", "a b"), ("page", "2")], headers={"X-Trace": "1"})
    http.post("/3/movie/550/rating", json={"value": 8})
    search, rating = fake.requests
    assert (search.operation, search.method, search.path) == ("search_movie", "GET", "/3/search/movie")
    assert search.query == {"query": ["a b"], "page": ["2"]}
    assert (search.param("query"), search.param("page"), search.param("language")) == ("a b", "2", None)
    assert (search.headers["x-trace"], search.headers["authorization"], search.body) == ("1", "Bearer t", None)
    assert (rating.operation, rating.method, rating.body, rating.violations) == (
        "movies_add_rating",
        "POST",
        {"value": 8},
        (),
    )
    assert fake.calls("movies_add_rating") == [rating]
    assert fake.calls("movies_details") == []


def test_paths_are_read_unquoted_and_blank_query_values_kept(fake: FakeTMDB, http: httpx.Client) -> None:
    http.get("/3/search/%6Dovie?query=&page=1")
    (request,) = fake.requests
    assert (request.path, request.query, request.operation) == (
        "/3/search/movie",
        {"query": [""], "page": ["1"]},
        "search_movie",
    )


def test_reset_forgets_requests_and_every_answer(fake: FakeTMDB, http: httpx.Client) -> None:
    http.get("/3/movie/1")
    fake.queue_error(500)
    fake.respond("movies_details", {"id": 2}, times=None)
    fake.reset()
    assert (fake.requests, fake.pending) == ([], [])
    assert http.get("/3/movie/1").json() == fake.example("movies_details")


def test_check_names_every_problem_on_its_own_line(fake: FakeTMDB, http: httpx.Client) -> None:
    fake.check()  # nothing happened: nothing to report
    http.get("/3/nope")
    fake.queue_error(500, operation="movies_details")
    fake.queue_disconnect()
    with pytest.raises(AssertionError) as failed:
        fake.check()
    assert str(failed.value) == (
        "FakeTMDB:\n"
        "  request breaks the spec: GET /3/nope: no TMDB operation has this path\n"
        "  queued answer never served: queue_error(500, operation='movies_details')\n"
        "  queued answer never served: queue_disconnect(operation=None)"
    )


# -- requests that break the spec --------------------------------------------------------------------


def answered(fake: FakeTMDB, response: httpx.Response) -> tuple[int, int, list[str]]:
    return response.status_code, response.json()["status_code"], list(fake.requests[-1].violations)


def test_an_unknown_path_is_a_404(fake: FakeTMDB, http: httpx.Client) -> None:
    response = http.get("/3/movies/1")
    assert answered(fake, response) == (404, 34, ["no TMDB operation has this path"])
    assert fake.requests[-1].operation is None
    assert fake.violations == ["GET /3/movies/1: no TMDB operation has this path"]


def test_a_method_the_path_does_not_take_is_a_405(fake: FakeTMDB, http: httpx.Client) -> None:
    response = http.put("/3/movie/550/rating", json={"value": 1})
    assert answered(fake, response) == (405, 42, ["PUT is not an operation of this path (it has ['DELETE', 'POST'])"])
    assert response.json()["status_message"] == "Invalid method."


@pytest.mark.parametrize(
    ("headers", "query", "ok"),
    [
        ({"Authorization": "Bearer t"}, {}, True),
        ({"authorization": "Bearer t"}, {}, True),
        ({}, {"api_key": "k"}, True),
        ({"Authorization": "Bearer "}, {}, False),
        ({"Authorization": "Bearer   "}, {}, False),
        ({"Authorization": "Basic dTpw"}, {}, False),
        ({"Authorization": "bearer t"}, {}, False),
        ({}, {"api_key": ""}, False),
        ({}, {}, False),
    ],
)
def test_v3_takes_a_bearer_token_or_an_api_key(
    fake: FakeTMDB, headers: dict[str, str], query: dict[str, str], ok: bool
) -> None:
    target = "/3/movie/550" + "".join(f"?{name}={value}" for name, value in query.items())
    answer = fake.handle("GET", target, headers, b"")  # as the handler passes it (httpx sends no blank token)
    if ok:
        assert (answer.status, fake.violations) == (200, [])
    else:
        assert (answer.status, answer.body["status_code"]) == (401, 7)
        assert fake.violations == [
            "GET /3/movie/550: no credentials TMDB accepts for movies_details (it needs bearerAuth or apiKeyAuth)"
        ]


def test_v4_takes_only_a_bearer_token(fake: FakeTMDB) -> None:
    response = httpx.get(fake.url + "/4/list/1", params={"api_key": "k"}, timeout=10)
    assert answered(fake, response) == (
        401,
        7,
        ["no credentials TMDB accepts for v4_lists_details (it needs bearerAuth)"],
    )
    response = httpx.get(fake.url + "/4/list/1", params={"api_key": "k"}, headers=BEARER, timeout=10)
    assert answered(fake, response) == (422, 5, ["unknown query parameter 'api_key'"])


def test_every_credential_of_a_requirement_is_needed_and_unknown_schemes_are_never_met() -> None:
    with FakeTMDB() as fake:
        fake.catalog = small_catalog(security=[["bearerAuth", "apiKeyAuth"]])
        assert fake.handle("GET", "/3/thing?api_key=k", {"Authorization": "Bearer t"}, b"").status == 200
        assert fake.handle("GET", "/3/thing", {"Authorization": "Bearer t"}, b"").status == 401
        fake.catalog = small_catalog(security=[["sessionAuth"]])
        assert fake.handle("GET", "/3/thing?api_key=k", {"Authorization": "Bearer t"}, b"").status == 401
        assert [v.split(": ", 1)[1] for v in fake.violations] == [
            "no credentials TMDB accepts for thing (it needs bearerAuth and apiKeyAuth)",
            "no credentials TMDB accepts for thing (it needs sessionAuth)",
        ]


def test_bad_parameters_are_a_422_naming_each_problem(fake: FakeTMDB, http: httpx.Client) -> None:
    response = http.get(
        "/3/search/movie", params=[("language", "de"), ("language", "German"), ("page", "0"), ("x", "1")]
    )
    problems = [
        "missing required query parameter 'query'",
        "query parameter 'language' sent 2 times",
        "query parameter page: 0 is below the minimum 1",
        "unknown query parameter 'x'",
    ]
    assert answered(fake, response) == (422, 5, problems)
    assert response.json()["status_message"] == "tmdb_sdk.testing: " + "; ".join(problems)


def test_path_parameters_are_checked_as_their_type(fake: FakeTMDB, http: httpx.Client) -> None:
    # TMDB has no resource there: its 404, status_code 34; the request is still a violation.
    assert answered(fake, http.get("/3/movie/0")) == (404, 34, ["path parameter movie_id: 0 is below the minimum 1"])
    assert answered(fake, http.get("/3/movie/abc")) == (
        404,
        34,
        ["path parameter movie_id: expected integer, got str 'abc'"],
    )
    assert http.get("/3/tv/1399/season/2/episode/3").status_code == 200


def test_each_bad_path_parameter_is_named(fake: FakeTMDB, http: httpx.Client) -> None:
    assert answered(fake, http.get("/3/tv/0/season/-1")) == (
        404,
        34,
        [
            "path parameter series_id: 0 is below the minimum 1",
            "path parameter season_number: -1 is below the minimum 0",
        ],
    )


def test_query_values_follow_the_schemas_they_refer_to(fake: FakeTMDB, http: httpx.Client) -> None:
    assert http.get("/3/account/1/favorite/movies", params={"sort_by": "created_at.desc"}).status_code == 200
    response = http.get("/3/account/1/favorite/movies", params={"sort_by": "title.asc"})
    assert answered(fake, response) == (
        422,
        5,
        ["query parameter sort_by: 'title.asc' is not one of ['created_at.asc', 'created_at.desc']"],
    )


def test_query_values_are_checked_as_their_type(fake: FakeTMDB, http: httpx.Client) -> None:
    assert http.get("/3/search/movie", params={"query": "q", "include_adult": "true", "page": "3"}).status_code == 200
    response = http.get("/3/search/movie", params={"query": "q", "include_adult": "yes"})
    assert answered(fake, response) == (422, 5, ["query parameter include_adult: expected boolean, got str 'yes'"])
    assert http.post("/3/list/1/clear", params={"confirm": "true"}).status_code == 201


def test_request_bodies_are_checked(fake: FakeTMDB, http: httpx.Client) -> None:
    assert answered(fake, http.post("/3/movie/550/rating")) == (422, 5, ["the required request body is missing"])
    assert answered(fake, http.post("/3/movie/550/rating", json={"value": 11})) == (
        422,
        5,
        ["request body.value: 11 is above the maximum 10"],
    )
    assert answered(fake, http.post("/3/movie/550/rating", content=b'{"value": 1}')) == (
        422,
        5,
        ["request body sent as no content type, not JSON"],
    )
    response = http.post("/3/movie/550/rating", content=b'{"value": 1}', headers={"Content-Type": "text/plain"})
    assert answered(fake, response) == (422, 5, ["request body sent as text/plain, not JSON"])
    response = http.post("/3/movie/550/rating", content=b"value=1", headers={"Content-Type": "application/json"})
    assert answered(fake, response) == (422, 5, ["the request body is not JSON"])
    assert fake.requests[-1].body == "value=1"


def test_a_body_sent_to_an_operation_that_takes_none_is_refused(fake: FakeTMDB, http: httpx.Client) -> None:
    response = http.request("GET", "/3/movie/550", json={"a": 1})
    assert answered(fake, response) == (422, 5, ["a request body was sent; the operation takes none"])
    response = http.request("GET", "/3/movie/550", content=b"\xff")
    assert answered(fake, response) == (
        422,
        5,
        ["the request body is not JSON", "a request body was sent; the operation takes none"],
    )
    assert fake.requests[-1].body == "\ufffd"


def test_an_optional_body_may_be_left_out(fake: FakeTMDB, http: httpx.Client) -> None:
    assert http.post("/4/auth/request_token").status_code == 200
    assert http.post("/4/auth/request_token", json={"redirect_to": "http://x"}).status_code == 200
    response = http.post("/4/auth/request_token", json={"redirect_to": 1})
    assert answered(fake, response) == (422, 5, ["request body.redirect_to: expected string, got int 1"])
