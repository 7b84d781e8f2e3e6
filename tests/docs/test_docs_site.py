"""scripts/docs_site.py: the reference site's sources, from a tiny hand-made index, README and model module."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from scripts import docs_site, op_index
from scripts.common import PipelineError
from tests.test_op_index import CONFIG, tiny_spec

ROOT = Path(__file__).resolve().parents[2]

README = """# project

```sh
make
```

## Using it

### Pages

Iterate lazily; see [the API index](docs/API.md), [Errors](#errors) and [benchmarks](BENCHMARKS.md).

```python
print(1)  # -> 1
# -> a line starting with a hash is code, not a heading
```

#### Bounds

At most page 500, see [TMDB](https://developer.themoviedb.org/).

### Errors

Every exception is a `TMDBError`.

## Releases

Bump the version.
"""

GUIDES = (
    ("paging", "Paging", (("README.md", "Pages"),)),
    ("errors", "Errors and releases", (("README.md", "Errors"), ("README.md", "Releases"))),
)

MODEL_SOURCE = '''
from attrs import define as _attrs_define, field as _attrs_field


@_attrs_define
class MovieDetails:
    """Everything TMDB knows about one movie."""

    id: int
    title: str | Unset = UNSET
    """ The title. """
    credits_: Credits | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _private: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {}

SortBy = Literal["a.asc", "a.desc"]
'''


def tiny() -> tuple[dict[str, Any], dict[str, Any]]:
    spec = tiny_spec()
    spec["paths"]["/3/movie/{movie_id}"]["get"]["responses"].update({
        "401": {"description": "no"}, "404": {"description": "no"}, "422": {"description": "no"},
        "429": {"description": "no"}, "default": {"description": "no"},
    })  # fmt: skip
    spec["paths"]["/3/movie/{movie_id}"]["get"]["parameters"][0]["example"] = 550
    spec["paths"]["/4/list"]["post"]["requestBody"]["content"]["application/json"]["example"] = {"name": "Mine"}
    docs = {("GET", "/3/movie/{}"): "https://docs.example/movies/details"}
    return op_index.build_index(spec, CONFIG, docs), spec


def test_a_section_runs_to_the_next_heading_of_its_level_and_ignores_hashes_in_code() -> None:
    level, body = docs_site.section(README, "Pages")
    assert level == 3
    assert body.startswith("Iterate lazily")
    assert "# -> a line starting with a hash is code" in body
    assert "#### Bounds" in body and "At most page 500" in body
    assert "Every exception" not in body
    assert docs_site.section(README, "Using it")[1].rstrip().endswith("Every exception is a `TMDBError`.")


def test_a_missing_heading_fails_naming_it_and_the_table() -> None:
    with pytest.raises(PipelineError, match=r"README.md has no heading 'Keeping a catalogue in sync' \(GUIDES in "):
        docs_site.section(README, "Keeping a catalogue in sync")
    with pytest.raises(PipelineError, match="'Paging'"):
        docs_site.guide_pages({"README.md": README}, [("paging", "Paging", (("README.md", "Paging"),))])


def test_guides_are_built_from_the_sections_with_links_into_the_site() -> None:
    pages = docs_site.guide_pages({"README.md": README}, GUIDES)
    assert set(pages) == {"guides/paging.md", "guides/errors.md"}
    paging = pages["guides/paging.md"]
    assert paging.startswith("# Paging\n\nIterate lazily")
    assert "[the API index](../reference/index.md)" in paging  # docs/API.md is the site's reference
    assert "[Errors](errors.md)" in paging  # a README anchor of another guide's heading
    assert "and benchmarks." in paging  # a repository file the site does not have: plain text
    assert "[TMDB](https://developer.themoviedb.org/)" in paging  # other sites stay
    assert "## Bounds" in paging  # sub-headings move up under the page title
    assert "print(1)  # -> 1\n# -> a line starting" in paging  # code untouched
    errors = pages["guides/errors.md"]
    assert errors.index("Every exception") < errors.index("## Releases") < errors.index("Bump the version.")


def real_sources() -> dict[str, str]:
    """The README and every other file the guides table names, as in the repository."""
    names = {"README.md"} | {source for _page, _title, parts in docs_site.GUIDES for source, _heading in parts}
    return {name: (ROOT / name).read_text(encoding="utf-8") for name in names}


def test_the_guides_table_names_only_headings_the_readme_has() -> None:
    pages = docs_site.guide_pages(real_sources())
    assert len(pages) == len(docs_site.GUIDES)
    assert {"Auth flows", "Paging", "Errors and retries", "Cache", "Fleet rate limit", "Testing kit",
            "Releases and regeneration"} <= {title for _page, title, _parts in docs_site.GUIDES}  # fmt: skip


def test_an_operation_has_signature_parameters_linked_result_fields_errors_examples_and_docs_link() -> None:
    index, spec = tiny()
    entry = index["movies_details"]
    fields = {"MovieDetails": ["id", "title"]}
    errors = docs_site.documented_errors(spec, "movies_details")
    example = docs_site.examples(entry, docs_site.call_code(entry, *docs_site.example_arguments(entry, spec)), ["id", "title"])
    text = docs_site.operation_section(entry, errors, example, fields)
    assert text.startswith("## tmdb.movies.details { #movies-details }\n\nDetails.\n")
    assert "```python\ntmdb.movies.details(\n    movie_id: int,\n    *,\n    append_to_response: str | None = None,\n" \
        "    language: str | None = None,\n) -> MovieDetails\n```" in text  # fmt: skip
    assert docs_site.signature(index["movies_credits"]) == "tmdb.movies.credits(movie_id: int) -> Credits"
    assert "| `movie_id` | `int` | yes | path |" in text
    assert "| `language` | `str` | no | query `language` |" in text
    module = "tmdb_generated.models.movie_details"
    assert f"[MovieDetails][{module}.MovieDetails] (HTTP 200)." in text
    assert f"Fields: [`id`][{module}.MovieDetails.id], [`title`][{module}.MovieDetails.title]." in text
    assert "Parts for `.with_appended(..., append=[...])`: `credits`, `watch/providers`." in text
    assert "[TMDB docs](https://docs.example/movies/details)" in text
    assert "| [AuthenticationError][tmdb_sdk.errors.AuthenticationError] | HTTP 401 |" in text
    assert "| [BadRequestError][tmdb_sdk.errors.BadRequestError] | HTTP 422 |" in text
    assert "| [RateLimitError][tmdb_sdk.errors.RateLimitError] | HTTP 429 |" in text
    assert "| [TimeoutError][tmdb_sdk.errors.TimeoutError] |" in text
    assert '=== "Sync"\n\n    ```python\n    from tmdb_sdk import TMDB\n' in text
    assert "            result = await tmdb.movies.details(550)\n            print(result.title)\n" in text


def test_errors_come_from_the_documented_statuses_then_those_of_every_call() -> None:
    _index, spec = tiny()
    errors = docs_site.documented_errors(spec, "movies_details")
    assert errors[:4] == [("AuthenticationError", "HTTP 401"), ("NotFoundError", "HTTP 404"),
                          ("BadRequestError", "HTTP 422"), ("RateLimitError", "HTTP 429")]  # fmt: skip
    assert [name for name, _ in errors[4:]] == [name for name, _ in docs_site.ALWAYS]
    assert [name for name, _ in docs_site.documented_errors(spec, "movies_credits")] == [n for n, _ in docs_site.ALWAYS]


def test_example_arguments_are_the_recorded_values_else_the_simplest_the_schema_accepts() -> None:
    index, spec = tiny()
    assert docs_site.example_arguments(index["movies_details"], spec) == ([550], {})
    assert docs_site.example_arguments(index["credits_details"], spec) == (["abc123"], {})  # a string: never empty
    assert docs_site.example_arguments(index["search_movie"], spec) == ([], {"query": "abc123"})
    assert docs_site.example_arguments(index["v4_lists_create"], spec) == ([], {"body": {"name": "Mine"}})
    sync, async_ = docs_site.examples(index["search_movie"], "tmdb.search.movie(query='x')", ["page", "results"])
    assert "    page = tmdb.search.movie(query='x')\n    print(page.page, len(page.results or []))\n" in sync
    assert async_.endswith("asyncio.run(main())\n")
    assert "print(type(result).__name__)" in docs_site.examples(index["movies_credits"], "tmdb.movies.credits(1)", [])[0]


def test_model_pages_render_each_class_with_mkdocstrings_and_list_its_fields() -> None:
    assert docs_site.model_names(MODEL_SOURCE) == ["MovieDetails", "SortBy"]
    assert docs_site.model_fields(MODEL_SOURCE, "MovieDetails") == ["id", "title", "credits_"]
    pages, fields = docs_site.model_pages({"movie_details": MODEL_SOURCE, "empty": "X = 1\n", "genre": "class Genre:\n    id: int\n"})
    assert set(pages) == {"models/m.md", "models/g.md", "models/index.md"}  # one page per initial
    assert pages["models/m.md"].startswith("# Models: M\n\n::: tmdb_generated.models.movie_details.MovieDetails\n")
    assert "::: tmdb_generated.models.movie_details.SortBy\n" in pages["models/m.md"]
    assert "- [MovieDetails](m.md#tmdb_generated.models.movie_details.MovieDetails)" in pages["models/index.md"]
    assert fields == {"MovieDetails": ["id", "title", "credits_"], "SortBy": [], "Genre": ["id"]}


def test_the_site_needs_no_network_and_search_splits_dotted_names() -> None:
    index, spec = tiny()
    files = docs_site.render(index, spec, real_sources(), {"movie_details": MODEL_SOURCE})
    config = json.loads(files["mkdocs.yml"])
    assert config["theme"]["font"] is False  # no Google fonts
    assert config["strict"] is True
    separator = next(p["search"]["separator"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)


    assert re.split(separator, "tmdb.movies.details") == ["tmdb", "movies", "details"]
    assert "docs/reference/movies.md" in files and "docs/reference/v4-lists.md" in files
    assert "docs/models/m.md" in files and "docs/guides/paging.md" in files
    assert "http" not in json.dumps(config)  # no external asset or link in the configuration


def test_write_removes_pages_that_are_gone(tmp_path: Path) -> None:
    docs_site.write({"docs/a.md": "a", "docs/models/b.md": "b"}, tmp_path)
    docs_site.write({"docs/a.md": "A"}, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["docs", "docs/a.md"]
    assert (tmp_path / "docs" / "a.md").read_text() == "A"


def test_a_guide_can_take_a_whole_maintainers_file_whose_links_are_read_from_its_folder() -> None:
    releases = "# Releasing\n\nSee [the index](API.md), [paging](../README.md#pages) and [mutation](../MUTATION.md).\n\n## Bump\n\nx\n"
    guides = [("paging", "Paging", (("README.md", "Pages"),)), ("releases", "Releases", (("docs/releasing.md", None),))]
    pages = docs_site.guide_pages({"README.md": README, "docs/releasing.md": releases}, guides)
    text = pages["guides/releases.md"]
    assert text.startswith("# Releases\n\nSee [the index](../reference/index.md), [paging](paging.md) and mutation.")
    assert "## Bump\n\nx" in text and "# Releasing" not in text
