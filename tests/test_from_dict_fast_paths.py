"""The `tmdb(perf):` template edits of generator/edits keep from_dict's behaviour.

020-positional-from-dict passes fields to the constructor by position, so their order must be
__init__'s; 041-union-plain-list-inline checks a nullable list of plain values inline;
050-list-item-parser-once defines an item parser once per list. Checked on the generated package.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from tmdb_generated.models.movie_summary import MovieSummary
from tmdb_generated.models.person_summary import PersonSummary
from tmdb_generated.models.tv_series_summary import TvSeriesSummary
from tmdb_generated.types import UNSET

MODELS = Path(__file__).resolve().parents[1] / "generated" / "tmdb_generated" / "models"


def constructor_calls() -> list[tuple[str, str, list[str]]]:
    """(module, class, names passed positionally to `cls(...)` in its from_dict) for every model."""
    found = []
    for path in sorted(MODELS.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef):
                continue
            for method in node.body:
                if isinstance(method, ast.FunctionDef) and method.name == "from_dict":
                    call = next(
                        c for c in ast.walk(method)
                        if isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "cls"
                    )  # fmt: skip
                    assert not call.keywords, f"{path.name}: {node.name}.from_dict passes keywords"
                    found.append((path.stem, node.name, [ast.unparse(a) for a in call.args]))
    return found


def test_every_from_dict_passes_fields_in_init_order() -> None:
    calls = constructor_calls()
    assert len(calls) > 100
    for module, name, arguments in calls:
        cls = getattr(importlib.import_module(f"tmdb_generated.models.{module}"), name)
        parameters = list(inspect.signature(cls.__init__).parameters)[1:]
        assert arguments == parameters, f"{module}.{name}"


MOVIE = {"id": 1, "title": "Heat", "genre_ids": [80, 18], "media_type": "movie", "extra": True}


@pytest.mark.parametrize(("given", "expected"), [([80, 18], [80, 18]), (None, None)])
def test_nullable_plain_list_is_taken_as_is(given: list[int] | None, expected: list[int] | None) -> None:
    movie = MovieSummary.from_dict({**MOVIE, "genre_ids": given})
    assert movie.genre_ids == expected
    assert movie.title == "Heat" and movie.additional_properties == {"extra": True}


def test_absent_nullable_plain_list_is_unset() -> None:
    assert MovieSummary.from_dict({"id": 1, "title": "Heat"}).genre_ids is UNSET


def test_nullable_plain_list_of_the_wrong_type_names_the_field() -> None:
    with pytest.raises(TypeError, match="genre_ids: expected list, got str"):
        MovieSummary.from_dict({**MOVIE, "genre_ids": "80"})


def test_list_of_a_union_parses_each_item_by_its_shape() -> None:
    tv = {"id": 2, "name": "Lost", "media_type": "tv"}
    person = PersonSummary.from_dict({"id": 3, "name": "Al", "gender": 2, "known_for": [MOVIE, tv, MOVIE]})
    assert isinstance(person.known_for, list)
    assert [type(item) for item in person.known_for] == [MovieSummary, TvSeriesSummary, MovieSummary]
    assert person.to_dict()["known_for"][1] == tv
