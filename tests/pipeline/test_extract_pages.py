"""scripts/pages.py and scripts/extract.py: the one OpenAPI document of each page."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.common import PipelineError, sha256_bytes
from scripts.extract import extract, extract_page, main
from scripts.fetch_pages import fetch
from scripts.pages import find_fence, parse_fence
from scripts.sources import DocsSource, Pin
from tests.pipeline.tiny import MOVIE_PAGE, document, guide_page, operation, page

GOOD_YAML = """openapi: 3.0.3
info:
  title: Tiny
  version: 1.0.0
paths:
  /3/movie/{movie_id}:
    get:
      operationId: details
      description: |
        A description may quote a fence:
        ```yaml
        not: the end
        ```
      responses:
        '200':
          description: OK
          content:
            application/json:
              example:
                release_date: 2024-12-26
                updated: 2024-12-26T10:11:12Z
"""


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_guide_page_has_no_fence() -> None:
    assert find_fence("/guide.md", guide_page("Guide")) is None
    assert extract_page("/guide.md", guide_page("Guide")) is None


def test_fence_gives_operation_body_and_its_first_line_in_the_page() -> None:
    text = page("Details", "GET", "/3/movie/{movie_id}", yaml_text=GOOD_YAML)
    fence = find_fence("/p.md", text)
    assert fence is not None
    assert fence.operation == "GET /3/movie/{movie_id}"
    assert fence.text == GOOD_YAML  # the inner ``` run does not close a ```` fence
    assert fence.first_line == _line_of(text, "openapi: 3.0.3")


def test_yaml_dates_stay_strings() -> None:
    text = page("Details", "GET", "/3/movie/{movie_id}", yaml_text=GOOD_YAML)
    item = extract_page("/p.md", text)
    assert item is not None and item["operation"] == "GET /3/movie/{movie_id}"
    example = item["document"]["paths"]["/3/movie/{movie_id}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["example"]
    assert example == {"release_date": "2024-12-26", "updated": "2024-12-26T10:11:12Z"}


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ("  title: Tiny: again", "mapping values are not allowed here"),
        ("  title: [Tiny", "expected ',' or ']'"),
        ("\ttitle: Tiny", "found character '\\t' that cannot start any token"),
    ],
)
def test_broken_yaml_names_page_and_line_in_the_page(bad_line: str, problem: str) -> None:
    text = page("Details", "GET", "/3/movie/{movie_id}", yaml_text=GOOD_YAML.replace("  title: Tiny", bad_line))
    fence = find_fence("/api/p.md", text)
    assert fence is not None
    with pytest.raises(PipelineError) as error:
        parse_fence("/api/p.md", fence)
    where, _, message = str(error.value).partition(": YAML does not parse: ")
    expected_line = _line_of(text, bad_line) + (1 if bad_line.startswith("  title: [") else 0)
    assert where == f"/api/p.md:{expected_line}"
    assert problem in message


def test_fence_naming_another_operation_than_its_document_is_an_error() -> None:
    doc = document("GET", "/3/movie/{movie_id}", operation("details", "MOVIES", "Details"))
    text = page("Details", "GET", "/3/movie/{id}", doc)
    fence = find_fence("/api/p.md", text)
    assert fence is not None
    with pytest.raises(PipelineError, match=r"/api/p\.md: the fence says GET /3/movie/\{id\} but its document holds "
                       r"GET /3/movie/\{movie_id\}"):  # fmt: skip
        parse_fence("/api/p.md", fence)


def test_document_with_two_operations_is_an_error() -> None:
    doc = document("GET", "/3/movie/{movie_id}", operation("details", "MOVIES", "Details"))
    doc["paths"]["/3/movie/{movie_id}"]["delete"] = operation("delete", "MOVIES", "Delete")
    with pytest.raises(PipelineError, match="holds GET /3/movie/{movie_id}, DELETE /3/movie/{movie_id}"):
        extract_page("/api/p.md", page("Details", "GET", "/3/movie/{movie_id}", doc))


@pytest.mark.parametrize("body", ["just a string\n", "openapi: 3.0.3\ninfo: {}\n", "paths: []\n"])
def test_fence_without_an_openapi_document_is_an_error(body: str) -> None:
    text = page("Details", "GET", "/3/x", yaml_text=body)
    with pytest.raises(PipelineError, match=rf"/api/p\.md:{_line_of(text, body)}: the fence holds no OpenAPI"):
        extract_page("/api/p.md", text)


def test_two_fences_and_an_unclosed_fence_are_errors() -> None:
    doc = document("GET", "/3/x", operation("x", "MOVIES", "X"))
    one = page("X", "GET", "/3/x", doc)
    with pytest.raises(PipelineError, match=r"/p\.md: 2 OpenAPI fences"):
        find_fence("/p.md", one + one)
    unclosed = one[: one.rindex("````")]
    with pytest.raises(PipelineError, match=rf"/p\.md:{_line_of(one, '````yaml')}: the OpenAPI fence is never closed"):
        find_fence("/p.md", unclosed)


def _cache_with(tmp_path: Path, name: str, text: str) -> tuple[list[Pin], Path]:
    docs = tmp_path / "docs"
    (docs / name.lstrip("/")).parent.mkdir(parents=True)
    (docs / name.lstrip("/")).write_text(text, encoding="utf-8")
    pins = [Pin(name, "GET", "/3/movie/{movie_id}", sha256_bytes(text.encode()))]
    fetch(DocsSource(str(docs)), pins, tmp_path / "cache")
    return pins, tmp_path / "cache"


def test_extract_keeps_lock_order_and_writes_json(
    tiny_docs: Path, tiny_pins: list[Pin], tiny_lock: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    fetch(DocsSource(str(tiny_docs)), tiny_pins, cache)
    items = extract(tiny_pins, cache)
    assert [(i["page"], i["operation"]) for i in items] == [(p.page, p.operation) for p in tiny_pins]
    out = tmp_path / "extracted.json"
    main(["--lock", str(tiny_lock), "--cache", str(cache), "--out", str(out)])
    assert out.read_text(encoding="utf-8").startswith('[\n  {\n    "page": ')


def test_pinned_page_that_lost_its_fence_is_an_error(tmp_path: Path) -> None:
    pins, cache = _cache_with(tmp_path, MOVIE_PAGE, guide_page("Details"))
    with pytest.raises(PipelineError, match=rf"{MOVIE_PAGE}: pinned as GET /3/movie/\{{movie_id\}} but the page has "
                       "no OpenAPI fence"):  # fmt: skip
        extract(pins, cache)


def test_page_whose_fence_names_another_operation_than_its_pin_is_an_error(tmp_path: Path) -> None:
    doc = document("GET", "/3/movie/{id}", operation("details", "MOVIES", "Details"))
    pins, cache = _cache_with(tmp_path, MOVIE_PAGE, page("Details", "GET", "/3/movie/{id}", doc))
    with pytest.raises(PipelineError, match=rf"{MOVIE_PAGE}: pinned as GET /3/movie/\{{movie_id\}} but its fence says "
                       r"GET /3/movie/\{id\}"):  # fmt: skip
        extract(pins, cache)


def test_yaml_with_a_control_character_names_the_page() -> None:
    text = page("Details", "GET", "/3/x", yaml_text="openapi: 3.0.3\ninfo:\n  title: bell \x07\n")
    with pytest.raises(PipelineError, match=r"/api/p\.md:\d+: YAML does not parse: .*unacceptable character #x0007"):
        extract_page("/api/p.md", text)
