"""scripts/sources.py: llms.txt parsing, the lock file, and reading pages from a folder or a URL."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from scripts.common import PipelineError
from scripts.sources import LOCK_HEADER, DocsSource, Pin, format_lock, page_paths_from_llms, read_lock

SHA_A = "a" * 64
SHA_B = "b" * 64


def test_llms_txt_gives_markdown_pages_in_order_once_each() -> None:
    text = (
        "# TMDB\n\n## Docs\n\n"
        "- [Details](https://site.test/api-reference/movies/details.md): movie details\n"
        "- [Home](https://site.test/index.html): not a page of ours\n"
        "  - [Lists](https://site.test/version-4/lists.md?ref=1#top): nested, with query\n"
        "- [Details again](https://site.test/api-reference/movies/details.md): listed twice\n"
        "Prose mentioning [a link](https://site.test/prose.md) is not a list entry.\n"
    )
    assert page_paths_from_llms(text) == ["/api-reference/movies/details.md", "/version-4/lists.md"]


def test_lock_round_trips_sorted_by_page(tmp_path: Path) -> None:
    pins = [Pin("/b.md", "GET", "/3/b", SHA_B), Pin("/a.md", "POST", "/3/a/{id}", SHA_A)]
    text = format_lock(pins)
    assert text.startswith(LOCK_HEADER)
    assert text.splitlines()[1] == f"POST\t/3/a/{{id}}\t/a.md\t{SHA_A}"
    lock = tmp_path / "pages.lock"
    lock.write_text(text + "\n# a comment\n\n", encoding="utf-8")
    assert read_lock(lock) == sorted(pins)
    assert read_lock(lock)[0].operation == "POST /3/a/{id}"


@pytest.mark.parametrize(
    "line",
    [
        f"GET /3/a /a.md {SHA_A}",  # spaces, not tabs
        f"GET\t/3/a\t{SHA_A}",  # a field missing
        "GET\t/3/a\t/a.md\tnot-a-sha256",
        f"GET\t/3/a\t/a.md\t{SHA_A.upper()}",
    ],
)
def test_malformed_lock_line_is_named_by_file_and_line(tmp_path: Path, line: str) -> None:
    lock = tmp_path / "pages.lock"
    lock.write_text(f"{LOCK_HEADER}GET\t/3/ok\t/ok.md\t{SHA_A}\n{line}\n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"pages\.lock:3: expected METHOD, PATH, PAGE, SHA256"):
        read_lock(lock)


def test_missing_lock_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="missing; run `make update-spec`"):
        read_lock(tmp_path / "pages.lock")


def test_local_source_reads_pages_by_url_path(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "p.md").write_bytes(b"page bytes\n")
    source = DocsSource(f"{tmp_path}/")
    assert not source.is_remote
    assert source.read("/api/p.md") == b"page bytes\n"
    assert source.local_file("/api/p.md") == tmp_path / "api" / "p.md"
    assert str(source) == str(tmp_path)


def test_local_source_names_a_missing_page(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"/api/gone\.md: cannot read .*gone\.md: No such file"):
        DocsSource(str(tmp_path)).read("/api/gone.md")


def test_url_source_fetches_pages(httpserver_ipv4: HTTPServer) -> None:
    httpserver_ipv4.expect_request("/api/p.md").respond_with_data(b"remote bytes")
    source = DocsSource(httpserver_ipv4.url_for("/"))
    assert source.is_remote
    assert source.local_file("/api/p.md") is None
    assert source.read("/api/p.md") == b"remote bytes"


def test_url_source_names_the_page_and_url_on_http_error(httpserver_ipv4: HTTPServer) -> None:
    httpserver_ipv4.expect_request("/api/gone.md").respond_with_data("no", status=404)
    source = DocsSource(httpserver_ipv4.url_for("/"))
    with pytest.raises(PipelineError, match=r"/api/gone\.md: cannot fetch http://127\.0\.0\.1:\d+/api/gone\.md: .*404"):
        source.read("/api/gone.md")


def test_script_turns_a_pipeline_error_into_one_line_and_status_1(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.fetch_pages", "--source", str(tmp_path), "--lock", str(tmp_path / "none.lock"),
         "--cache", str(tmp_path / "cache")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "none.lock: missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_url_source_names_the_page_when_nothing_listens(tmp_path: Path) -> None:
    with socket.socket() as closed:  # bound, never listening: the connection is refused at once
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
        with pytest.raises(PipelineError, match=rf"/api/p\.md: cannot fetch {url}/api/p\.md: .*[Rr]efused"):
            DocsSource(url, timeout=5).read("/api/p.md")
