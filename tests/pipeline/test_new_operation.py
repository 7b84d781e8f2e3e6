"""A new operation appears in the docs: end to end on the tiny project, with the real Makefile.

The tiny docs get overlays that name and type their four operations, as the real overlays do;
then a page cloned from movie details documents GET /3/movie/{movie_id}/trailers (the clone
keeps the docs' operationId `details`). `make update-spec` reports it, names it by rule, lists it
as not covered and bumps the version; `make` builds it with a typed model from its docs schema;
a strict build (STRICT=1, and `make publish`) fails until an overlay covers it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.api_diff import bumped
from scripts.common import read_version
from tests.pipeline.project import DOCS, clone, make
from tests.pipeline.tiny import document, operation, page, path_parameter, tiny_pages, write_docs
from tests.pipeline.trees import tree_hash

NEW_PAGE = "/api-reference/movies/trailers.md"
NEW = "/3/movie/{movie_id}/trailers"
KNOWN = {  # path -> (operationId, tag) the covering overlay gives
    "/3/genre/movie/list": ("genres_movie_list", "genres"),
    "/3/movie/{movie_id}": ("movies_details", "movies"),
    "/3/account/{account_id}": ("account_details", "account"),
    "/4/list/{list_id}": ("v4_lists_details", "v4_lists"),
}
THING = {"type": "object", "properties": {"id": {"type": "integer"}}}


def action(target: str, description: str, **body: Any) -> dict[str, Any]:
    return {"target": target, "description": description, **body}


def covering_overlay(paths: dict[str, tuple[str, str]]) -> str:
    """Name every given operation, drop the docs' success schemas, reference a component instead."""
    actions = [action("$.components", "Declare the shared component.", update={"schemas": {"Thing": THING}})]
    actions += [action(f"$.paths['{p}'].get", f"Name {p}.", update={"operationId": i, "tags": [t]})
                for p, (i, t) in paths.items()]  # fmt: skip
    actions.append(action("$.paths.*.*.responses['200'].content['application/json'].schema",
                          "Drop the docs' inline success schemas.", remove=True))  # fmt: skip
    actions += [action(f"$.paths['{p}'].get.responses['200']", f"Type {p}.", update={"content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}) for p in paths]  # fmt: skip
    overlay = {"overlay": "1.0.0", "info": {"title": "Cover the tiny operations", "version": "1.0.0"},
               "actions": actions}  # fmt: skip
    return yaml.safe_dump(overlay, sort_keys=False)


def trailers_page() -> str:
    videos = {"type": "array", "items": {"type": "object", "properties": {
        "key": {"type": "string"}, "site": {"type": "string"}}}}  # fmt: skip
    op = operation("details", "MOVIES", "Trailers", {"id": {"type": "integer"}, "results": videos})
    return page("Trailers", "GET", NEW, document("GET", NEW, op, path_parameters=[path_parameter("movie_id")]))


@pytest.fixture(scope="module")
def covered_project(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project with an overlay covering its four operations, built."""
    root = clone(built_project, tmp_path_factory.mktemp("covered") / "repo")
    (root / "overlays" / "20-cover.yaml").write_text(covering_overlay(KNOWN), encoding="utf-8")
    run = make(root)
    assert run.returncode == 0, run.output
    assert "coverage: all 4 operations are named and typed by the overlays" in run.output
    baseline = make(root, "api-surface")  # the covered build is what the current version was made from
    assert baseline.returncode == 0, baseline.output
    return root


@pytest.fixture(scope="module")
def with_new_page(covered_project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """(project, update-spec output, make output) after the new page appeared in the docs."""
    root = clone(covered_project, tmp_path_factory.mktemp("new-page") / "repo")
    write_docs(root / DOCS, {**tiny_pages(), NEW_PAGE: trailers_page()})  # llms.txt lists it too
    updated = make(root, "update-spec")
    assert updated.returncode == 0, updated.output
    built = make(root)
    assert built.returncode == 0, built.output
    return root, updated.output, built.output


def test_update_spec_reports_the_operation_lists_it_as_uncovered_and_bumps(
    with_new_page: tuple[Path, str, str], covered_project: Path
) -> None:
    root, updated, _ = with_new_page
    assert f"added    GET {NEW}  ({NEW_PAGE})" in updated
    uncovered = (
        f"  GET {NEW}  movies_trailers: named by rule (no overlay names it), "
        "typed from its docs schema (no overlay gives it a shared component)"
    )
    assert "coverage: 1 of 5 operations not covered by the overlays yet:" in updated
    assert uncovered in updated.splitlines()
    before = read_version(covered_project / "openapi" / "VERSION")
    assert read_version(root / "openapi" / "VERSION") == bumped(before, "minor")


def test_make_names_it_by_rule_and_types_it_from_its_docs_schema(with_new_page: tuple[Path, str, str]) -> None:
    root, _, _ = with_new_page
    package = root / "generated" / "tmdb_generated"
    modules = sorted(p.relative_to(package / "api").as_posix() for p in (package / "api").rglob("*.py"))
    assert "movies/movies_trailers.py" in modules
    assert not [m for m in modules if m.endswith("_2.py")], modules  # no placeholder name
    endpoint = (package / "api" / "movies" / "movies_trailers.py").read_text(encoding="utf-8")
    assert "-> MoviesTrailersResponse200 | None:" in endpoint  # typed, not Any
    model = (package / "models" / "movies_trailers_response_200.py").read_text(encoding="utf-8")
    assert "results: list[MoviesTrailersResponse200ResultsItem] | Unset" in model
    report = json.loads((root / "build" / "spec" / "coverage.json").read_text(encoding="utf-8"))
    assert [e["operation"] for e in report if e["named"] == "rule"] == [f"GET {NEW}"]


def test_a_strict_build_fails_until_an_overlay_covers_it(
    with_new_page: tuple[Path, str, str], tmp_path: Path
) -> None:
    root = clone(with_new_page[0], tmp_path / "repo")
    generated = tree_hash(root / "generated")
    strict = make(root, "STRICT=1")
    assert strict.returncode != 0
    assert "strict mode: 1 operation(s) not covered by the overlays" in strict.output
    assert f"  GET {NEW}  movies_trailers: named by rule" in strict.output
    assert tree_hash(root / "generated") == generated

    release = make(root, "publish", "REPOSITORY_URL=http://127.0.0.1:9/")  # strict before any upload
    assert release.returncode != 0 and "strict mode: 1 operation(s)" in release.output
    assert "scripts.publish" not in release.output

    (root / "overlays" / "30-trailers.yaml").write_text(
        covering_overlay({NEW: ("movies_videos", "movies")}).replace("Declare the shared", "Redeclare the shared"),
        encoding="utf-8",
    )
    covered = make(root, "STRICT=1")
    assert covered.returncode == 0, covered.output
    assert "coverage: all 5 operations are named and typed by the overlays" in covered.output
    endpoint = root / "generated" / "tmdb_generated" / "api" / "movies" / "movies_videos.py"
    assert "-> Thing | None:" in endpoint.read_text(encoding="utf-8")


def test_the_merge_keeps_the_docs_ids_and_invents_none(with_new_page: tuple[Path, str, str]) -> None:
    merged = json.loads((with_new_page[0] / "build" / "spec" / "merged.json").read_text(encoding="utf-8"))
    ids = sorted(op["operationId"] for item in merged["paths"].values() for op in item.values())
    assert ids == ["details", "details", "details", "details", "moviesList1"]
