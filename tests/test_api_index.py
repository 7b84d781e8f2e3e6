"""scripts/api_index.py: the API index is derived from the final spec and kept up to date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scripts import api_index
from scripts.common import PipelineError

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build" / "spec" / "openapi.json"


def spec() -> dict[str, Any]:
    return {
        "tags": [{"name": "movies", "description": "A movie."}, {"name": "credits"}],
        "paths": {
            "/3/movie/{movie_id}": {
                "get": {"tags": ["movies"], "operationId": "movies_details", "summary": "Details | all"},
                "parameters": [],
            },
            "/3/credit/{credit_id}": {"get": {"tags": ["credits"], "operationId": "credits_details"}},
        },
    }


def test_one_row_per_operation_under_its_resource() -> None:
    text = api_index.render(spec())
    assert "| `movies_details` | `GET /3/movie/{movie_id}` | Details \\| all |" in text
    assert "## movies\n\nA movie.\n\nModule `tmdb_generated.api.movies`." in text
    assert "2 operations in 2 resources" in text


def test_module_names_follow_the_generator_rule_for_builtins() -> None:
    assert "Module `tmdb_generated.api.credits_`." in api_index.render(spec())


@pytest.mark.parametrize("broken", [{"tags": []}, {"tags": ["nowhere"]}, {"tags": ["movies"], "operationId": ""}])
def test_an_operation_that_cannot_be_indexed_is_named(broken: dict[str, Any]) -> None:
    document = spec()
    document["paths"]["/3/movie/{movie_id}"]["get"] = broken
    with pytest.raises(PipelineError, match=r"GET /3/movie/\{movie_id\}"):
        api_index.render(document)


def test_docs_api_md_matches_the_final_spec() -> None:
    """`make test` builds the spec first; a stale index means `make api-index` was forgotten."""
    expected = api_index.render(json.loads(SPEC.read_text(encoding="utf-8")))
    assert (ROOT / "docs" / "API.md").read_text(encoding="utf-8") == expected, "run `make api-index`"
