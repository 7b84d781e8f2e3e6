"""scripts/api_index.py: docs/API.md indexes the calls the README teaches, from the operation index."""

from __future__ import annotations

from pathlib import Path

from scripts import api_index
from tests.test_op_index import CONFIG, tiny_spec

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build" / "spec" / "openapi.json"


def rendered() -> str:
    from scripts import op_index

    index = op_index.build_index(tiny_spec(), CONFIG)
    return api_index.render(index, {"movies": "A movie | and more."})


def test_one_row_per_call_with_parameters_and_return_model() -> None:
    text = rendered()
    assert "## tmdb.movies\n\nA movie \\| and more.\n" in text
    assert (
        "| `tmdb.movies.details(movie_id, *, append_to_response?, language?)` | MovieDetails; parts: credits, "
        "watch/providers | `GET /3/movie/{movie_id}` | Details |"
    ) in text
    assert "`tmdb.search.movie(*, query, page?, include_adult?, primary_release_date_gte?, sort_by?, session_id?)`" in text
    assert "| MoviePage; items: MovieSummary |" in text
    assert "`tmdb.v4.lists.create(*, body)` | Status |" in text
    assert "6 operations in 4 resources" in text
    assert text.index("## tmdb.search") < text.index("## tmdb.v4.lists")  # v4 last


def test_docs_api_md_matches_the_final_spec() -> None:
    """`make test` builds the spec first; a stale index means `make api-index` was forgotten."""
    expected = api_index.render_spec(api_index.read_json(SPEC), ROOT / "generator" / "config.yaml",
                                     ROOT / "openapi" / "pages.lock")  # fmt: skip
    assert (ROOT / "docs" / "API.md").read_text(encoding="utf-8") == expected, "run `make api-index`"
