"""The README's example of handling what TMDB adds (section "Values TMDB adds") runs as written against a
local stand-in for TMDB that sends every kind of item, each counted in its branch of the example.

(tests/runtime/test_readme.py runs it, like every README example, against FakeTMDB, whose recorded
search holds only movies and series.)"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = re.compile(
    r"^<!-- example: unknown-kinds -->\n```python\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL
)
SEARCH = {
    "page": 1,
    "total_pages": 1,
    "total_results": 4,
    "results": [
        {"id": 11, "title": "Star Wars", "media_type": "movie", "release_date": "1977-05-25", "genre_ids": [12]},
        {"id": 2, "name": "Mark Hamill", "media_type": "person", "gender": 2, "known_for": []},
        {"id": 83867, "name": "Star Wars: Andor", "media_type": "tv", "first_air_date": "2022-09-21"},
        {"id": 10, "name": "Star Wars Collection", "media_type": "collection", "poster_path": None},
    ],
}


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request("/3/search/multi").respond_with_json(SEARCH)
    server.start()
    try:
        monkeypatch.setenv("TMDB_BASE_URL", server.url_for("/").rstrip("/"))
        monkeypatch.setenv("TMDB_API_KEY", "readme-example-key")
        monkeypatch.setenv("TMDB_ACCESS_TOKEN", "readme-example-token")
        yield server
    finally:
        server.stop()


def test_the_readme_example_runs_as_written(stand_in: HTTPServer) -> None:
    match = EXAMPLE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, "README.md: no tolerance example"
    code = match["code"]
    expected = ["[('movie', 1), ('other: collection', 1), ('person', 1), ('series', 1)]"]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md (Values TMDB adds)", "exec"), {"__name__": "readme_example"})  # noqa: S102 - the README's own code
    assert printed.getvalue().splitlines() == expected
    assert len(stand_in.log) == 1
