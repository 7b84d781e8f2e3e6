"""`make check-name`: the distribution name must be free on the public index; offline is a clear skip."""

from __future__ import annotations

import subprocess
import sys

from pytest_httpserver import HTTPServer

from tests.release.support import REPO, free_port


def check_name(api: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scripts.release_check_name", "tmdb-sdk-internal", "--api", api]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60, check=False)


def test_a_free_name_passes(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/pypi/tmdb-sdk-internal/json").respond_with_data("not found", status=404)
    result = check_name(httpserver.url_for("/pypi/{name}/json"))
    assert result.returncode == 0, result.stderr
    assert "tmdb-sdk-internal is not on the public index" in result.stdout


def test_a_taken_name_fails(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/pypi/tmdb-sdk-internal/json").respond_with_json({"info": {"name": "tmdb-sdk-internal"}})
    result = check_name(httpserver.url_for("/pypi/{name}/json"))
    assert result.returncode == 1
    assert "tmdb-sdk-internal exists on the public index" in result.stderr


def test_an_unreachable_index_is_a_clear_skip() -> None:
    result = check_name(f"http://127.0.0.1:{free_port()}/pypi/{{name}}/json")
    assert result.returncode == 0
    assert result.stdout.startswith("check-name: skipped,")
