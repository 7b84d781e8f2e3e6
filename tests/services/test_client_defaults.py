"""Client defaults on every operation: language/region/watch_region/include_image_language are sent
if and only if the operation takes them (the spec decides, via the stand-in), and an explicit
argument wins. That is the class of bug TMDbLib's users hit for years."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from operation_calls import DEFAULTED, accepted, call_arguments, operation_ids, operation_of
from tmdb_sdk import TMDB
from tmdb_sdk.testing import FakeTMDB

EXPECTED = {"language": "de-DE", "region": "DE", "watch_region": "DE", "include_image_language": "de,null"}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTMDB]:
    with FakeTMDB() as server:
        yield server


@pytest.fixture(scope="module")
def german(fake: FakeTMDB) -> Iterator[TMDB]:
    with fake.client(language="de-DE", region="DE", retry=None) as client:
        yield client


def test_all_173_operations_are_walked() -> None:
    assert len(operation_ids()) == 173
    takes = {name: sum(name in accepted(op) for op in operation_ids()) for name in DEFAULTED}
    assert all(takes.values()), takes  # each default is taken somewhere, and (below) refused elsewhere
    assert all(count < 173 for count in takes.values())


@pytest.mark.parametrize("operation_id", operation_ids())
def test_a_default_is_sent_if_and_only_if_the_operation_takes_it(
    fake: FakeTMDB, german: TMDB, operation_id: str
) -> None:
    fake.reset()
    args, kwargs = call_arguments(operation_id)
    operation_of(german, operation_id)(*args, **kwargs)
    (request,) = fake.requests
    assert request.operation == operation_id and not request.violations, request.violations
    takes = accepted(operation_id)
    for name in DEFAULTED:
        if name in kwargs:  # a required parameter, passed explicitly: the explicit value is sent
            assert request.param(name) == str(kwargs[name])
        elif name in takes:
            assert request.param(name) == EXPECTED[name], f"{operation_id}: {name} not sent"
        else:
            assert request.param(name) is None, f"{operation_id} does not take {name}, yet it was sent"


@pytest.mark.parametrize("operation_id", [op for op in operation_ids() if "language" in accepted(op)])
def test_an_explicit_argument_wins(fake: FakeTMDB, german: TMDB, operation_id: str) -> None:
    fake.reset()
    args, kwargs = call_arguments(operation_id)
    operation_of(german, operation_id)(*args, **{**kwargs, "language": "fr-FR"})
    assert fake.requests[0].param("language") == "fr-FR"


def test_with_options_changes_the_defaults_of_a_view(fake: FakeTMDB, german: TMDB) -> None:
    fake.reset()
    german.with_options(language="pt-BR", region="BR").movie_lists.now_playing()
    german.movie_lists.now_playing()
    german.with_options(language=None).movies.images(550)
    sent = [(r.param("language"), r.param("region"), r.param("include_image_language")) for r in fake.requests]
    assert sent == [("pt-BR", "BR", None), ("de-DE", "DE", None), (None, None, None)]


def test_no_defaults_send_nothing_extra(fake: FakeTMDB) -> None:
    fake.reset()
    with fake.client() as plain:
        plain.movies.images(550)
        plain.movie_lists.now_playing()
    assert [[name for name in DEFAULTED if r.param(name)] for r in fake.requests] == [[], []]


async def test_async_clients_send_the_same_defaults(fake: FakeTMDB) -> None:
    fake.reset()
    async with fake.async_client(language="de-DE", region="DE") as tmdb:
        await tmdb.movies.images(550)
        await tmdb.genres.movie_list()
        await tmdb.people.changes(287)
    sent = [{name: r.param(name) for name in DEFAULTED if r.param(name)} for r in fake.requests]
    assert sent == [{"language": "de-DE", "include_image_language": "de,null"}, {"language": "de-DE"}, {}]
