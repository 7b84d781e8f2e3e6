"""scripts/fetch_pages.py: pages come into the cache only when they match their pins."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from scripts.common import PipelineError, sha256_bytes
from scripts.fetch_pages import cache_file, fetch, main
from scripts.sources import DocsSource, Pin
from tests.pipeline.tiny import GENRES_PAGE, MOVIE_PAGE


def test_local_source_fills_the_cache_then_writes_nothing_more(
    tiny_docs: Path, tiny_pins: list[Pin], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert fetch(DocsSource(str(tiny_docs)), tiny_pins, cache) == len(tiny_pins) == 4
    for pin in tiny_pins:
        assert cache_file(cache, pin).read_bytes() == (tiny_docs / pin.page.lstrip("/")).read_bytes()
    assert fetch(DocsSource(str(tiny_docs)), tiny_pins, cache) == 0


def test_source_page_not_matching_its_pin_names_page_and_both_hashes(
    tiny_docs: Path, tiny_pins: list[Pin], tmp_path: Path
) -> None:
    page = tiny_docs / MOVIE_PAGE.lstrip("/")
    page.write_bytes(page.read_bytes() + b" ")
    pinned = next(p.sha256 for p in tiny_pins if p.page == MOVIE_PAGE)
    with pytest.raises(PipelineError) as error:
        fetch(DocsSource(str(tiny_docs)), tiny_pins, tmp_path / "cache")
    message = str(error.value)
    assert f"page {MOVIE_PAGE} from {tiny_docs}" in message
    assert f"sha256 {sha256_bytes(page.read_bytes())} does not match the pin {pinned}" in message
    assert "GET /3/movie/{movie_id}" in message


def test_tampered_cached_page_is_named_even_when_the_source_is_good(
    tiny_docs: Path, tiny_pins: list[Pin], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    fetch(DocsSource(str(tiny_docs)), tiny_pins, cache)
    cached = cache / GENRES_PAGE.lstrip("/")
    cached.write_bytes(cached.read_bytes().replace(b"Movies List", b"Movies Lisp", 1))
    pinned = next(p.sha256 for p in tiny_pins if p.page == GENRES_PAGE)
    with pytest.raises(PipelineError, match=rf"cached page {cached}: sha256 {sha256_bytes(cached.read_bytes())} "
                       rf"does not match the pin {pinned}"):  # fmt: skip
        fetch(DocsSource(str(tiny_docs)), tiny_pins, cache)


def test_pages_no_longer_pinned_leave_the_cache(tiny_docs: Path, tiny_pins: list[Pin], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fetch(DocsSource(str(tiny_docs)), tiny_pins, cache)
    kept = [p for p in tiny_pins if p.page != MOVIE_PAGE]
    fetch(DocsSource(str(tiny_docs)), kept, cache)
    assert sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*.md")) == sorted(
        p.page.lstrip("/") for p in kept
    )


def _serve(server: HTTPServer, docs: Path, pins: list[Pin]) -> None:
    for pin in pins:
        server.expect_request(pin.page).respond_with_data((docs / pin.page.lstrip("/")).read_bytes())


def test_remote_source_fetches_only_pages_missing_from_the_cache(
    httpserver_ipv4: HTTPServer, tiny_docs: Path, tiny_pins: list[Pin], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    fetch(DocsSource(str(tiny_docs)), tiny_pins, cache)
    cache_file(cache, next(p for p in tiny_pins if p.page == MOVIE_PAGE)).unlink()
    _serve(httpserver_ipv4, tiny_docs, tiny_pins)
    assert fetch(DocsSource(httpserver_ipv4.url_for("/")), tiny_pins, cache) == 1
    assert [request.path for request, _ in httpserver_ipv4.log] == [MOVIE_PAGE]


def test_remote_page_not_matching_its_pin_is_refused(
    httpserver_ipv4: HTTPServer, tiny_docs: Path, tiny_pins: list[Pin], tmp_path: Path
) -> None:
    httpserver_ipv4.expect_request(GENRES_PAGE).respond_with_data(b"changed upstream")
    pins = [p for p in tiny_pins if p.page == GENRES_PAGE]
    with pytest.raises(PipelineError, match=rf"page {GENRES_PAGE} from http://127\.0\.0\.1:\d+: sha256 "
                       rf"{sha256_bytes(b'changed upstream')} does not match the pin {pins[0].sha256}"):  # fmt: skip
        fetch(DocsSource(httpserver_ipv4.url_for("/")), pins, tmp_path / "cache")
    assert not (tmp_path / "cache" / GENRES_PAGE.lstrip("/")).exists()


def test_main_reports_verified_and_written_pages(
    tiny_docs: Path, tiny_lock: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--source", str(tiny_docs), "--lock", str(tiny_lock), "--cache", str(tmp_path / "cache")])
    assert "4 pinned pages verified, 4 written" in capsys.readouterr().out


def _repinned(pins: list[Pin], page: str, data: bytes) -> list[Pin]:
    return [Pin(p.page, p.method, p.path, sha256_bytes(data)) if p.page == page else p for p in pins]


def test_page_repinned_since_it_was_cached_is_fetched_again_not_called_tampered(
    tiny_docs: Path, tiny_pins: list[Pin], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    fetch(DocsSource(str(tiny_docs)), tiny_pins, cache)
    source_page = tiny_docs / MOVIE_PAGE.lstrip("/")
    source_page.write_bytes(source_page.read_bytes() + b"\nupdated upstream\n")
    assert fetch(DocsSource(str(tiny_docs)), _repinned(tiny_pins, MOVIE_PAGE, source_page.read_bytes()), cache) == 1
    assert (cache / MOVIE_PAGE.lstrip("/")).read_bytes() == source_page.read_bytes()


def test_remote_source_refetches_a_repinned_page(
    httpserver_ipv4: HTTPServer, tiny_docs: Path, tiny_pins: list[Pin], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    fetch(DocsSource(str(tiny_docs)), tiny_pins, cache)
    source_page = tiny_docs / GENRES_PAGE.lstrip("/")
    source_page.write_bytes(b"the page as it is now")
    _serve(httpserver_ipv4, tiny_docs, tiny_pins)
    pins = _repinned(tiny_pins, GENRES_PAGE, b"the page as it is now")
    assert fetch(DocsSource(httpserver_ipv4.url_for("/")), pins, cache) == 1
    assert [request.path for request, _ in httpserver_ipv4.log] == [GENRES_PAGE]
