"""publish.py's refusals, without an index: dist contents, versions, spec fingerprints, simple pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts.api_surface import load_surface
from scripts.common import PipelineError, sha256_bytes
from scripts.publish import Artifact, disagreements, find_artifacts, read_sdist, read_wheel, versions_in_simple_page
from tests.release.support import REPO, run_make

DIST = REPO / "dist"


def built_dist() -> tuple[Path, Path]:
    if not (DIST / "SHA256SUMS").exists():
        pytest.fail("dist/ is not built: run `make` (make test does) first")
    return find_artifacts(DIST)


def test_simple_page_versions_come_from_file_names() -> None:
    page = """<html><body>
      <a href="/packages/tmdb_sdk_internal-0.1.0-py3-none-any.whl#sha256=ab">tmdb_sdk_internal-0.1.0-py3-none-any.whl</a>
      <a href="/packages/tmdb_sdk_internal-1.2.0.tar.gz">tmdb_sdk_internal-1.2.0.tar.gz</a>
      <a href="/other">not a distribution</a>
    </body></html>"""
    assert versions_in_simple_page(page) == {"0.1.0", "1.2.0"}


def test_disagreements_name_each_mismatch() -> None:
    wheel = Artifact(Path("x-1.0.0-py3-none-any.whl"), "1.0.0", "aaa")
    sdist = Artifact(Path("x-1.0.0.tar.gz"), "1.0.0", "bbb")
    assert disagreements([wheel], "1.0.0", "aaa", "aaa") == []
    problems = disagreements([wheel, sdist], "1.1.0", "aaa", "ccc")
    assert problems == [
        "x-1.0.0-py3-none-any.whl says version 1.0.0, openapi/VERSION says 1.1.0",
        "x-1.0.0.tar.gz says version 1.0.0, openapi/VERSION says 1.1.0",
        "x-1.0.0.tar.gz was generated from spec sha256 bbb, build/spec/openapi.json is aaa",
        (
            "build/spec/openapi.json (sha256 aaa) is not the spec version 1.1.0 was assigned to "
            "(openapi/api-surface.json: ccc); run `make bump` to version this spec "
            "(or `make api-surface` if 1.1.0 was never published)"
        ),
    ]


def test_the_built_dist_agrees_with_version_and_spec() -> None:
    wheel, sdist = built_dist()
    version = (REPO / "openapi" / "VERSION").read_text(encoding="utf-8").strip()
    spec_sha = sha256_bytes((REPO / "build" / "spec" / "openapi.json").read_bytes())
    artifacts = [read_wheel(wheel), read_sdist(sdist)]
    assert disagreements(artifacts, version, spec_sha, spec_sha) == []


def test_committed_surface_is_the_current_final_spec() -> None:
    """openapi/api-surface.json must describe the spec this checkout builds (else `make bump`/`make api-surface`)."""
    committed = load_surface(REPO / "openapi" / "api-surface.json")
    current = load_surface(REPO / "build" / "spec" / "openapi.json")
    assert committed == current, (
        "openapi/api-surface.json is stale: run `make bump` (released version) or `make api-surface` (unreleased)"
    )


def test_a_tampered_dist_is_refused(tmp_path: Path) -> None:
    wheel, sdist = built_dist()
    dist = tmp_path / "dist"
    dist.mkdir()
    for path in (wheel, sdist, DIST / "SHA256SUMS"):
        shutil.copy2(path, dist / path.name)
    with (dist / wheel.name).open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(PipelineError, match=rf"{wheel.name}: its sha256 does not match"):
        find_artifacts(dist)
    shutil.copy2(wheel, dist / wheel.name.replace(wheel.name.split("-")[1], "9.9.9"))
    with pytest.raises(PipelineError, match="expected exactly one wheel and one sdist"):
        find_artifacts(dist)


def test_publish_without_repository_url_says_how(checkout: Path) -> None:
    result = run_make("publish", cwd=checkout)
    assert result.returncode != 0
    assert "REPOSITORY_URL is empty" in result.stderr
