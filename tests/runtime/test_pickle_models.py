"""Models survive pickle and deepcopy (issue 22): services cache them in Redis and send them to workers.

UNSET (a field TMDB left out) comes back as the singleton (generator/edits/095-unset-singleton.yaml), so a
copy equals the original and `json.dumps(model.to_dict())` works on it. The models are real answers: the
testing kit's recorded examples, through the client.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tmdb_generated.types import UNSET, Unset
from tmdb_sdk import TMDB
from tmdb_sdk.testing import FakeTMDB

COPIES: dict[str, Callable[[Any], Any]] = {
    "pickle": lambda value: pickle.loads(pickle.dumps(value)),
    "pickle-protocol-2": lambda value: pickle.loads(pickle.dumps(value, protocol=2)),
    "deepcopy": copy.deepcopy,
    "copy": copy.copy,
}


# movies.details with these parts appended, composed from each part's own recorded example.
PARTS = {"credits": "movies_credits", "images": "movies_images", "release_dates": "movies_release_dates",
         "videos": "movies_videos", "watch/providers": "movies_watch_providers"}


@pytest.fixture(scope="module")
def tmdb() -> Iterator[TMDB]:
    with FakeTMDB() as fake, fake.client() as client:
        details = {**fake.example("movies_details"), **{part: fake.example(op) for part, op in PARTS.items()}}
        fake.respond("movies_details", details, times=None)
        yield client


@pytest.mark.parametrize("how", list(COPIES))
def test_unset_stays_the_singleton(how: str) -> None:
    copied = COPIES[how](UNSET)
    assert copied is UNSET and isinstance(copied, Unset) and not copied
    assert COPIES[how]([UNSET, {"a": UNSET}]) == [UNSET, {"a": UNSET}]


def _models(tmdb: TMDB) -> dict[str, Any]:
    appended = tmdb.movies.details.with_appended(550, append=list(PARTS))  # type: ignore[arg-type]
    return {
        "movie details": tmdb.movies.details(550),
        "movie details with appended parts": appended.result,
        "an appended part": appended["credits"],
        "a paged list": tmdb.movie_lists.popular(),
        "a search across kinds": tmdb.search.multi(query="fight"),
        "a person": tmdb.people.details(287),
        "tv series details": tmdb.tv_series.details(1399),
    }


@pytest.mark.parametrize("how", list(COPIES))
def test_real_models_round_trip_equal_and_serialisable(tmdb: TMDB, how: str) -> None:
    with_unset = []
    for name, model in _models(tmdb).items():
        before = model.to_dict()
        if any(value is UNSET for value in vars_of(model)):
            with_unset.append(name)
        copied = COPIES[how](model)
        assert copied == model, name
        assert type(copied) is type(model)
        assert copied.to_dict() == before, name
        assert json.loads(json.dumps(copied.to_dict())) == json.loads(json.dumps(before)), name
        assert all(value is UNSET for value in vars_of(copied) if isinstance(value, Unset)), name
    # The examples leave fields out (that is what broke): the copies above did carry UNSETs.
    assert {"movie details", "a paged list", "a person"} <= set(with_unset), with_unset


def test_an_appended_result_pickles_whole(tmdb: TMDB) -> None:
    appended = tmdb.movies.details.with_appended(550, append=["credits", "videos"])
    copied = pickle.loads(pickle.dumps(appended))
    assert copied == appended and copied["credits"] == appended["credits"]
    json.dumps(copied.result.to_dict())


def vars_of(model: Any) -> list[Any]:
    """The values of an attrs model's fields, nested models' included."""
    import attrs

    found: list[Any] = []
    for field in attrs.fields(type(model)):
        value = getattr(model, field.name)
        found.append(value)
        if attrs.has(type(value)):
            found += vars_of(value)
        elif isinstance(value, list):
            for item in value:
                if attrs.has(type(item)):
                    found += vars_of(item)
    return found
