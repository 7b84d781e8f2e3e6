"""Issue 2's make properties, on the tiny project: no-op rebuilds, minimal reruns, clean, DOCS_SOURCE."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.pipeline.project import DOCS, make
from tests.pipeline.tiny import MOVIE_PAGE, tiny_pages
from tests.pipeline.trees import tree_hash

ALL_STEPS = ["fetch_pages", "extract", "merge", "apply_overlays", "validate", "coverage", "generate", "package"]


def test_full_build_from_the_tiny_docs_source(built_project: Path) -> None:
    package = built_project / "generated" / "tmdb_generated"
    endpoints = sorted(p.name for p in (package / "api").rglob("*.py") if p.name != "__init__.py")
    assert len(endpoints) == len(tiny_pages()) - 1 == 4  # the guide page documents no operation
    assert (built_project / "build" / "docs-source.txt").read_text(encoding="utf-8") == f"{DOCS}\n"
    assert len(list((built_project / "dist").glob("tmdb_sdk_internal-*.whl"))) == 1
    lock = (built_project / "openapi" / "pages.lock").read_text(encoding="utf-8")
    assert MOVIE_PAGE in lock and "getting-started" not in lock


def test_second_make_does_no_work(project: Path) -> None:
    assert make(project, "-q").returncode == 0  # make itself finds every target up to date
    run = make(project)
    assert run.returncode == 0 and run.steps == [], run.output


def _edit_overlay(project: Path) -> None:
    overlay = project / "overlays" / "10-tiny.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("official", "official TMDB"), encoding="utf-8")


def test_overlay_change_reruns_only_the_overlay_step_and_after(project: Path) -> None:
    _edit_overlay(project)
    expected = ["apply_overlays", "validate", "coverage", "generate", "package"]
    assert make(project, "-n").steps == expected  # the dry run tells the truth
    run = make(project)
    assert run.returncode == 0, run.output
    assert run.steps == expected
    assert "The official TMDB movie genres." in (project / "build" / "spec" / "openapi.json").read_text()
    assert make(project).steps == []


def test_page_change_reruns_from_the_fetch_step(project: Path) -> None:
    assert make(project, "-n", docs="elsewhere").steps == ALL_STEPS  # another source re-verifies everything
    (project / "build" / "pages" / MOVIE_PAGE.lstrip("/")).touch()
    assert make(project, "-n").steps == ALL_STEPS


def test_make_clean_removes_every_build_output(project: Path) -> None:
    run = make(project, "clean")
    assert run.returncode == 0, run.output
    assert [name for name in ("build", "generated", "dist") if (project / name).exists()] == []
    assert (project / DOCS / "llms.txt").exists() and (project / "openapi" / "pages.lock").exists()


def test_a_url_docs_source_fetches_only_pages_missing_from_the_cache(
    project: Path, httpserver_ipv4: HTTPServer
) -> None:
    for page in tiny_pages():
        httpserver_ipv4.expect_request(page).respond_with_data((project / DOCS / page.lstrip("/")).read_bytes())
    (project / "build" / "pages" / MOVIE_PAGE.lstrip("/")).unlink()
    url = httpserver_ipv4.url_for("/").rstrip("/")
    run = make(project, "build/spec/extracted.json", docs=url)
    assert run.returncode == 0, run.output
    assert run.steps == ["fetch_pages", "extract"]  # a new source re-verifies the pages
    assert [request.path for request, _ in httpserver_ipv4.log] == [MOVIE_PAGE]
    assert (project / "build" / "docs-source.txt").read_text(encoding="utf-8") == f"{url}\n"


def test_removing_a_bad_overlay_rebuilds_the_same_outputs_as_before(project: Path) -> None:
    before = {name: tree_hash(project / name) for name in ("generated", "dist")}
    bad = project / "overlays" / "20-breaks.yaml"
    bad.write_text(
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
        "  - target: $.paths['/3/genre/movie/list'].get.responses\n    description: break it\n    remove: true\n",
        encoding="utf-8",
    )
    assert make(project).returncode != 0
    bad.unlink()  # make alone cannot see a deleted prerequisite: the recorded overlay list does
    run = make(project)
    assert run.returncode == 0, run.output
    assert run.steps == ["apply_overlays", "validate", "coverage", "generate", "package"]
    assert {name: tree_hash(project / name) for name in ("generated", "dist")} == before  # reproducible, too


def test_deleting_a_runtime_module_repackages(project: Path) -> None:
    module = project / "runtime" / "tmdb_sdk" / "extra_for_test.py"
    module.write_text("VALUE = 1\n", encoding="utf-8")
    assert make(project, "-n").steps == ["package"]
    assert make(project).returncode == 0
    module.unlink()
    assert make(project, "-n").steps == ["package"]


def test_update_spec_then_make_accepts_a_changed_page(project: Path) -> None:
    page = project / DOCS / MOVIE_PAGE.lstrip("/")
    page.write_text(page.read_text(encoding="utf-8").replace("summary: Details", "summary: Movie details"))
    assert make(project).returncode != 0  # not pinned yet
    pinned = make(project, "update-spec")
    assert pinned.returncode == 0, pinned.output
    assert f"changed  GET /3/movie/{{movie_id}}  ({MOVIE_PAGE})" in pinned.output
    # update-spec re-fetched the page (stale, not tampered) and rebuilt the spec to diff it
    # for the version bump, so what is left for make is generating and packaging.
    run = make(project)
    assert run.returncode == 0, run.output
    assert run.steps == ["generate", "package"]
    assert '"summary": "Movie details"' in (project / "build" / "spec" / "openapi.json").read_text(encoding="utf-8")
