"""scripts/fetch_pages.py: what a wrong pin tells the reader, and the command line's arguments
(the cases mutation testing found untested, MUTATION.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.common import PipelineError, sha256_bytes
from scripts.fetch_pages import check_pin, main
from scripts.sources import Pin


def test_a_wrong_pin_names_where_the_bytes_came_from_and_how_to_accept_a_docs_change() -> None:
    pin = Pin("/movie.md", "GET", "/3/movie/{movie_id}", "0" * 64)
    with pytest.raises(PipelineError) as caught:
        check_pin(pin, b"page", "page /movie.md from ../shared/tmdb-docs")
    assert str(caught.value) == (
        f"page /movie.md from ../shared/tmdb-docs: sha256 {sha256_bytes(b'page')} does not match the pin "
        f"{'0' * 64} for GET /3/movie/{{movie_id}} (if the docs changed on purpose, run `make update-spec`)"
    )


@pytest.mark.parametrize("missing", ["--source", "--lock", "--cache"])
def test_every_argument_is_required(missing: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    given = {"--source": "docs", "--lock": str(tmp_path / "pages.lock"), "--cache": str(tmp_path / "cache")}
    del given[missing]
    with pytest.raises(SystemExit) as caught:
        main([part for option in given.items() for part in option])
    assert caught.value.code == 2
    assert f"the following arguments are required: {missing}" in capsys.readouterr().err


def test_help_says_what_the_step_does(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "Step 1: bring every pinned page into the cache and check it against its pin." in capsys.readouterr().out
