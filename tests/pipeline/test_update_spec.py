"""scripts/update_spec.py: re-pinning from llms.txt and the report of what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.common import PipelineError, sha256_bytes
from scripts.sources import DocsSource, Pin, read_lock
from scripts.update_spec import describe_changes, discover, main
from tests.pipeline.tiny import GENRES_PAGE, GUIDE_PAGE, MOVIE_PAGE, V4_LIST_PAGE, guide_page, tiny_pages, write_docs


def test_discover_pins_every_fenced_page_and_skips_guides(tiny_docs: Path) -> None:
    pins = {p.page: p for p in discover(DocsSource(str(tiny_docs)))}
    assert GUIDE_PAGE not in pins
    assert len(pins) == 4
    assert pins[V4_LIST_PAGE].operation == "GET /4/list/{list_id}"
    assert pins[MOVIE_PAGE].sha256 == sha256_bytes((tiny_docs / MOVIE_PAGE.lstrip("/")).read_bytes())


def test_two_pages_for_one_operation_are_an_error(tmp_path: Path) -> None:
    pages = tiny_pages()
    pages["/api-reference/movies/details-copy.md"] = pages[MOVIE_PAGE]
    docs = write_docs(tmp_path / "docs", pages)
    with pytest.raises(PipelineError, match=rf"details-copy\.md: documents GET /3/movie/\{{movie_id\}}, "
                       rf"already documented by {MOVIE_PAGE}"):  # fmt: skip
        discover(DocsSource(str(docs)))


def test_an_index_without_api_pages_is_an_error(tmp_path: Path) -> None:
    docs = write_docs(tmp_path / "docs", {GUIDE_PAGE: guide_page("Guide")})
    with pytest.raises(PipelineError, match="lists no page with an OpenAPI fence"):
        discover(DocsSource(str(docs)))


def test_missing_llms_txt_is_named(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"/llms\.txt: cannot read"):
        discover(DocsSource(str(tmp_path)))


def test_report_lists_added_removed_and_changed_operations() -> None:
    old = [Pin("/a.md", "GET", "/3/a", "1" * 64), Pin("/b.md", "GET", "/3/b", "2" * 64),
           Pin("/c.md", "GET", "/3/c", "3" * 64), Pin("/d.md", "GET", "/3/d", "4" * 64)]  # fmt: skip
    new = [Pin("/a.md", "GET", "/3/a", "1" * 64), Pin("/b.md", "GET", "/3/b", "9" * 64),
           Pin("/c2.md", "GET", "/3/c", "3" * 64), Pin("/e.md", "POST", "/3/e", "5" * 64)]  # fmt: skip
    assert describe_changes(old, new) == [
        "added    POST /3/e  (/e.md)",
        "removed  GET /3/d  (/d.md)",
        "changed  GET /3/b  (/b.md)",
        "changed  GET /3/c  (/c2.md)",
    ]
    assert describe_changes(new, new) == []


def test_main_writes_the_lock_and_reports_changes(
    tiny_docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = tmp_path / "pages.lock"
    main(["--source", str(tiny_docs), "--lock", str(lock)])
    out = capsys.readouterr().out
    assert "pins: 4 operations" in out and f"added    GET /3/genre/movie/list  ({GENRES_PAGE})" in out
    assert len(read_lock(lock)) == 4
    before = lock.stat().st_mtime_ns

    main(["--source", str(tiny_docs), "--lock", str(lock)])
    assert "no operation added, removed or changed" in capsys.readouterr().out
    assert lock.stat().st_mtime_ns == before  # unchanged pins leave the lock untouched for make

    page = tiny_docs / GENRES_PAGE.lstrip("/")
    page.write_bytes(page.read_bytes() + b"\n")
    main(["--source", str(tiny_docs), "--lock", str(lock)])
    assert capsys.readouterr().out.splitlines()[1:] == [f"changed  GET /3/genre/movie/list  ({GENRES_PAGE})"]
