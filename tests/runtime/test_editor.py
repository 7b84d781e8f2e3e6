"""What an editor shows (issue 22), asked of jedi as IDEs ask it: `tmdb.movies.` completes the operations only
(not functools.cached_property's attrname, func and lock), and a hover on an operation shows its signature,
summary and parameters."""

from __future__ import annotations

import sys
from pathlib import Path

import jedi
import pytest
from tmdb_sdk._index import OPERATIONS

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTOR_NAMES = {"attrname", "func", "lock", "__set_name__", "__get__"}


@pytest.fixture(scope="module")
def project() -> jedi.Project:
    paths = [str(ROOT / "runtime"), str(ROOT / "generated")]
    return jedi.Project(ROOT, sys_path=[*paths, *sys.path], smart_sys_path=False)


def _public(names: list[str]) -> set[str]:
    return {n for n in names if not n.startswith("_")}


def _complete(project: jedi.Project, source: str) -> list[str]:
    lines = source.splitlines()
    script = jedi.Script(source, path=ROOT / "editor_probe.py", project=project)
    return [c.name for c in script.complete(len(lines), len(lines[-1]))]


def _actions(resource: str, version: int = 3) -> set[str]:
    return {i.action for i in OPERATIONS.values() if i.resource == resource and i.version == version}


@pytest.mark.parametrize("client", ["TMDB", "AsyncTMDB"])
def test_a_namespace_completes_its_operations_only(project: jedi.Project, client: str) -> None:
    head = f"from tmdb_sdk import {client}\ntmdb = {client}()\n"
    movies = _complete(project, head + "tmdb.movies.")
    assert _public(movies) == _actions("movies")
    assert not DESCRIPTOR_NAMES & set(movies)
    assert _public(_complete(project, head + "tmdb.v4.lists.")) == _actions("lists", 4)
    raw = _complete(project, head + "tmdb.with_raw_response.search.")
    assert _public(raw) == _actions("search")
    resources = _public(_complete(project, head + "tmdb."))
    assert {"movies", "tv_series", "v4", "with_raw_response"} <= resources and not DESCRIPTOR_NAMES & resources


def test_an_operation_hover_shows_its_summary_and_parameters(project: jedi.Project) -> None:
    source = "from tmdb_sdk import TMDB\ntmdb = TMDB()\ntmdb.movies.details"
    script = jedi.Script(source, path=ROOT / "editor_probe.py", project=project)
    shown = [d.docstring() for d in script.help(3, len("tmdb.movies.details"))]
    inferred = script.infer(3, len("tmdb.movies.details"))
    assert [d.name for d in inferred] == ["MoviesDetails"]  # the operation, not a cached_property object
    for text in [*shown, *(d.docstring() for d in inferred)]:
        assert "see help(" not in text
        assert "tmdb.movies.details(movie_id: int, *, append_to_response" in text
        assert "Details." in text and "Args:" in text and "movie_id: TMDB id of the movie" in text
        assert "Docs: https://" in text


def test_a_call_shows_the_typed_signature(project: jedi.Project) -> None:
    source = "from tmdb_sdk import AsyncTMDB\ntmdb = AsyncTMDB()\ntmdb.search.movie("
    script = jedi.Script(source, path=ROOT / "editor_probe.py", project=project)
    signatures = script.get_signatures(3, len("tmdb.search.movie("))
    assert signatures and "query: str" in signatures[0].to_string()
