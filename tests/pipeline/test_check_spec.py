"""scripts/check_spec.py and `make check-spec`: the docs source against the pins, writing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.check_spec import main
from tests.pipeline.project import DOCS, make
from tests.pipeline.tiny import GENRES_PAGE, MOVIE_PAGE, tiny_pages, write_docs
from tests.pipeline.trees import tree_hash


def test_agreeing_source_exits_0(tiny_docs: Path, tiny_lock: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--source", str(tiny_docs), "--lock", str(tiny_lock)]) == 0
    assert capsys.readouterr().out == f"check-spec: {tiny_docs} matches {tiny_lock} (4 operations)\n"


def test_changes_exit_1_listing_each_operation(
    tiny_docs: Path, tiny_lock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock_before = tiny_lock.read_bytes()
    pages = tiny_pages()
    pages[MOVIE_PAGE] = pages[MOVIE_PAGE].replace("summary: Details", "summary: Movie details")
    del pages[GENRES_PAGE]
    (tiny_docs / GENRES_PAGE.lstrip("/")).unlink()
    write_docs(tiny_docs, pages)
    assert main(["--source", str(tiny_docs), "--lock", str(tiny_lock)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"check-spec: {tiny_docs} differs from {tiny_lock} in 2 operation(s):",
        f"removed  GET /3/genre/movie/list  ({GENRES_PAGE})",
        f"changed  GET /3/movie/{{movie_id}}  ({MOVIE_PAGE})",
        "run `make update-spec`, then `make test`, and review the diff on a branch",
    ]
    assert tiny_lock.read_bytes() == lock_before


def test_make_check_spec_writes_nothing(project: Path) -> None:
    watched = ("openapi", "build", "generated", "dist", DOCS)
    before = {name: tree_hash(project / name) for name in watched}
    agreed = make(project, "check-spec")
    assert agreed.returncode == 0, agreed.output
    page = project / DOCS / MOVIE_PAGE.lstrip("/")
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    differs = make(project, "check-spec")
    assert differs.returncode != 0
    assert f"changed  GET /3/movie/{{movie_id}}  ({MOVIE_PAGE})" in differs.output
    after = {name: tree_hash(project / name) for name in watched}
    assert {k: v for k, v in after.items() if k != DOCS} == {k: v for k, v in before.items() if k != DOCS}
