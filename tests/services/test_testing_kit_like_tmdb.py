"""tmdb_sdk.testing answers like TMDB: the page asked for (so paging ends), the append_to_response parts
asked for, a filled body where the docs recorded none, TMDB's 404 for an id that cannot exist, a backlog
for bursts of clients, and a did-you-mean for a misspelt operation."""
from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tmdb_sdk import BadRequestError, NotFoundError, PaginationError
from tmdb_sdk._defaults import MAX_PAGE
from tmdb_sdk._index import OPERATIONS
from tmdb_sdk.testing import FakeTMDB
from tmdb_sdk.testing.server import LISTEN_BACKLOG, _Handler, _Server


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeTMDB]:
    with FakeTMDB() as fake:
        yield fake


@pytest.fixture
def fake(shared_fake: FakeTMDB) -> FakeTMDB:
    shared_fake.reset()
    return shared_fake


def recorded_pages(fake: FakeTMDB, operation: str) -> list[str | None]:
    return [request.param("page") for request in fake.calls(operation)]


# -- paging -----------------------------------------------------------------------------------------


def test_a_paged_example_echoes_the_page_and_is_empty_past_total_pages(fake: FakeTMDB) -> None:
    example = fake.example("search_movie")
    total = example["total_pages"]
    assert 2 <= total < MAX_PAGE and example["results"]
    with httpx.Client(base_url=fake.url, headers={"Authorization": "Bearer t"}, timeout=10) as http:
        for page in (1, 2, total):
            body = http.get("/3/search/movie", params={"query": "q", "page": page}).json()
            assert body == {**example, "page": page}
        beyond = http.get("/3/search/movie", params={"query": "q", "page": total + 1}).json()
    assert beyond == {**example, "page": total + 1, "results": []}
    assert fake.violations == []


def test_items_without_bounds_end_at_the_examples_total_pages(fake: FakeTMDB) -> None:
    example = fake.example("search_movie")
    with fake.client() as tmdb:
        items = sum(1 for _ in tmdb.search.movie.items(query="fight"))
        pages = [page.page for page in tmdb.search.movie.pages(query="fight")]
    assert items == example["total_pages"] * len(example["results"])
    assert pages == list(range(1, example["total_pages"] + 1))
    assert recorded_pages(fake, "search_movie") == [str(n) for n in pages] * 2


def test_a_huge_total_pages_ends_at_page_500(fake: FakeTMDB) -> None:
    assert fake.example("movie_lists_popular")["total_pages"] > MAX_PAGE
    with fake.client() as tmdb:
        pages = [page.page for page in tmdb.movie_lists.popular.pages(start_page=MAX_PAGE - 2)]
    assert pages == [MAX_PAGE - 2, MAX_PAGE - 1, MAX_PAGE]


async def test_async_items_without_bounds_end(fake: FakeTMDB) -> None:
    example = fake.example("search_movie")
    async with fake.async_client() as tmdb:
        ids = [movie.id async for movie in tmdb.search.movie.items(query="fight")]
    assert len(ids) == example["total_pages"] * len(example["results"])


def test_a_page_past_500_is_tmdbs_status_22(fake: FakeTMDB) -> None:
    with fake.client(retry=None) as tmdb, pytest.raises(BadRequestError) as refused:
        tmdb.movie_lists.popular(page=MAX_PAGE + 1)
    assert (refused.value.http_status, refused.value.status_code) == (400, 22)
    assert str(refused.value).endswith("Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.")
    assert fake.violations == ["GET /3/movie/popular: query parameter page: 501 is above the maximum 500"]


def test_a_scripted_body_that_never_advances_stops_paging_with_an_error(fake: FakeTMDB) -> None:
    fake.respond("search_movie", {"page": 1, "results": [{"id": 1, "title": "One"}], "total_pages": 2,
                                  "total_results": 2}, times=None)
    with fake.client() as tmdb, pytest.raises(PaginationError, match="search_movie: paging stopped: asked for page 2"):
        list(tmdb.search.movie.items(query="fight"))
    assert recorded_pages(fake, "search_movie") == ["1", "2"]


# -- append_to_response -----------------------------------------------------------------------------


def test_appended_parts_are_each_parts_own_example(fake: FakeTMDB) -> None:
    with fake.client() as tmdb:
        movie = tmdb.movies.details.with_appended(550, append=["credits", "images", "watch/providers"])
    assert movie.result.title == fake.example("movies_details")["title"]
    assert movie["credits"].cast[0].name == fake.example("movies_credits")["cast"][0]["name"]
    assert len(movie["images"].posters) == len(fake.example("movies_images")["posters"])
    assert movie["watch/providers"].to_dict() == fake.example("movies_watch_providers")
    assert fake.calls("movies_details")[-1].param("append_to_response") == "credits,images,watch/providers"


def test_every_offered_part_of_every_details_operation_is_composed(fake: FakeTMDB) -> None:
    composed = 0
    with httpx.Client(base_url=fake.url, headers={"Authorization": "Bearer t"}, timeout=10) as http:
        for operation_id in OPERATIONS:
            info = OPERATIONS[operation_id]
            if not info.append:
                continue
            path = info.path.format(**{p.wire: 1 for p in info.path_params})
            body = http.get(path, params={"append_to_response": ",".join(info.append)}).json()
            for part, entry in info.append.items():
                assert body[part] == fake.example(entry.operation_id), (operation_id, part)
                composed += 1
    assert composed >= 50


def test_a_part_the_operation_does_not_offer_is_left_out_like_tmdb(fake: FakeTMDB) -> None:
    with httpx.Client(base_url=fake.url, headers={"Authorization": "Bearer t"}, timeout=10) as http:
        body = http.get("/3/movie/550", params={"append_to_response": "credits,nonsense"}).json()
    assert "credits" in body and "nonsense" not in body


# -- bodies the docs left out -----------------------------------------------------------------------


def test_an_operation_without_an_example_gets_every_field_of_its_schema(fake: FakeTMDB) -> None:
    body: Any = fake.example("authentication_create_session_from_v4_token")
    assert body == {"session_id": "example-session_id", "success": True}
    with fake.client() as tmdb:
        session = tmdb.auth.create_session_from_v4_token(tmdb.auth.create_access_token(
            tmdb.auth.create_v4_request_token()))
    assert session.session_id == "example-session_id"
    assert fake.example("find_by_id").keys() >= {"movie_results", "person_results", "tv_results"}


# -- an id TMDB has no resource for -----------------------------------------------------------------


def test_an_id_the_spec_rules_out_is_tmdbs_404_status_34(fake: FakeTMDB) -> None:
    with fake.client(retry=None) as tmdb, pytest.raises(NotFoundError) as missing:
        tmdb.movies.details(0)
    assert (missing.value.http_status, missing.value.status_code) == (404, 34)
    assert missing.value.status_message == "The resource you requested could not be found."
    assert fake.violations == ["GET /3/movie/0: path parameter movie_id: 0 is below the minimum 1"]


# -- a burst of clients -----------------------------------------------------------------------------


def test_the_listen_backlog_takes_a_burst_of_clients(fake: FakeTMDB) -> None:
    assert LISTEN_BACKLOG >= 128 and fake._server is not None and fake._server.request_queue_size == LISTEN_BACKLOG
    # The fake's server class, listening but not accepting yet: 100 connections all complete their
    # handshake in the backlog (with socketserver's 5, the seventh would wait for SYN retransmissions).
    server = _Server(("127.0.0.1", 0), _Handler)
    try:
        port = server.server_address[1]
        sockets = [socket.create_connection(("127.0.0.1", port), timeout=3) for _ in range(100)]
        for sock in sockets:
            sock.close()
    finally:
        server.server_close()


def test_fifty_concurrent_calls_are_all_answered(fake: FakeTMDB) -> None:
    barrier = threading.Barrier(50, timeout=10)
    titles: list[str] = []
    errors: list[Exception] = []

    def call() -> None:
        try:
            with fake.client() as tmdb:
                barrier.wait()
                titles.append(tmdb.movies.details(550).title)
        except Exception as error:  # noqa: BLE001 - reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and titles == [fake.example("movies_details")["title"]] * 50


async def test_fifty_concurrent_async_calls_are_all_answered(fake: FakeTMDB) -> None:
    async with fake.async_client() as tmdb:
        movies = await asyncio.gather(*(tmdb.movies.details(n) for n in range(1, 51)))
    assert {movie.title for movie in movies} == {fake.example("movies_details")["title"]}
    assert sorted(int(r.path.rsplit("/", 1)[1]) for r in fake.calls("movies_details")) == list(range(1, 51))


# -- a misspelt operation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda fake: fake.respond("movie_detials", {"id": 1}), "movies_details"),
        (lambda fake: fake.queue_error(404, operation="serch_movie"), "search_movie"),
        (lambda fake: fake.example("genres_movielist"), "genres_movie_list"),
    ],
)
def test_an_unknown_operation_gets_a_did_you_mean(fake: FakeTMDB, call: Any, expected: str) -> None:
    with pytest.raises(KeyError, match=f"in the spec; did you mean '{expected}'\\?"):
        call(fake)
    assert fake.pending == []
