"""Issue 8, the pipeline fed bad input: each case stops `make` with a non-zero status and a
message naming the file (and the action or operation), and leaves generated/ and dist/
byte-for-byte as they were."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from scripts.common import sha256_bytes
from scripts.sources import read_lock
from tests.pipeline.project import DOCS, make
from tests.pipeline.tiny import GENRES_PAGE, MOVIE_PAGE, document, guide_page, operation, page, path_parameter
from tests.pipeline.trees import tree_hash

LOCK = Path("openapi/pages.lock")


def repin(lock: Path, page: str, data: bytes) -> None:
    """Rewrite the pin of `page` in `lock` to the sha256 of `data`, as an update-spec would."""
    lines = []
    for line in lock.read_text(encoding="utf-8").splitlines(keepends=True):
        fields = line.rstrip("\n").split("\t")
        if len(fields) == 4 and fields[2] == page:
            line = "\t".join([*fields[:3], sha256_bytes(data)]) + "\n"
        lines.append(line)
    lock.write_text("".join(lines), encoding="utf-8")


def _pin_of(project: Path, page_path: str) -> str:
    return next(p.sha256 for p in read_lock(project / LOCK) if p.page == page_path)


def _docs_page(project: Path, page_path: str) -> Path:
    return project / DOCS / page_path.lstrip("/")


def _edit_page(project: Path, page_path: str, text: str) -> None:
    """Change a docs page and re-pin it, as if `make update-spec` had accepted the new bytes."""
    file = _docs_page(project, page_path)
    file.write_text(text, encoding="utf-8")
    repin(project / LOCK, page_path, file.read_bytes())


def _overlay(project: Path, name: str, text: str) -> None:
    (project / "overlays" / name).write_text(text, encoding="utf-8")


def _overlay_action(target: str, body: str, description: str = "a test action") -> str:
    return (
        "overlay: 1.0.0\ninfo:\n  title: test\n  version: 1.0.0\nactions:\n"
        f"  - target: {target}\n    description: {description}\n{body}"
    )


def source_page_changed(project: Path) -> str:
    file = _docs_page(project, MOVIE_PAGE)
    file.write_bytes(file.read_bytes() + b"\n")
    return (
        rf"page {MOVIE_PAGE} from {DOCS}: sha256 {sha256_bytes(file.read_bytes())} "
        rf"does not match the pin {_pin_of(project, MOVIE_PAGE)} for GET /3/movie/\{{movie_id\}}"
    )


def cached_page_changed(project: Path) -> str:
    cached = project / "build" / "pages" / GENRES_PAGE.lstrip("/")
    cached.write_bytes(cached.read_bytes().replace(b"Movies List", b"Movies Lisp", 1))
    return (
        rf"cached page build/pages{GENRES_PAGE}: sha256 {sha256_bytes(cached.read_bytes())} "
        rf"does not match the pin {_pin_of(project, GENRES_PAGE)} for GET /3/genre/movie/list"
    )


def page_without_fence(project: Path) -> str:
    _edit_page(project, MOVIE_PAGE, guide_page("Details"))
    return rf"{MOVIE_PAGE}: pinned as GET /3/movie/\{{movie_id\}} but the page has no OpenAPI fence"


def page_with_broken_yaml(project: Path) -> str:
    text = _docs_page(project, MOVIE_PAGE).read_text(encoding="utf-8")
    broken = text.replace("  title: Tiny TMDB\n", "  title: Tiny: TMDB\n", 1)
    _edit_page(project, MOVIE_PAGE, broken)
    line = broken[: broken.index("  title: Tiny: TMDB")].count("\n") + 1
    return rf"{MOVIE_PAGE}:{line}: YAML does not parse: mapping values are not allowed here"


def fence_differs_from_document(project: Path) -> str:
    text = _docs_page(project, MOVIE_PAGE).read_text(encoding="utf-8")
    _edit_page(project, MOVIE_PAGE, text.replace("````yaml get /3/movie/{movie_id}", "````yaml get /3/movie/{id}"))
    return rf"{MOVIE_PAGE}: the fence says GET /3/movie/\{{id\}} but its document holds GET /3/movie/\{{movie_id\}}"


def two_pages_for_one_operation(project: Path) -> str:
    twin = "/api-reference/movies/details-again.md"
    doc = document("GET", "/3/movie/{movie_id}", operation("details", "MOVIES", "Details, told differently"),
                   path_parameters=[path_parameter("movie_id")])  # fmt: skip
    _docs_page(project, twin).write_text(page("Details again", "GET", "/3/movie/{movie_id}", doc), encoding="utf-8")
    with (project / LOCK).open("a", encoding="utf-8") as lock:  # hand-pinned: update-spec itself refuses twins
        lock.write(f"GET\t/3/movie/{{movie_id}}\t{twin}\t{'0' * 64}\n")
    repin(project / LOCK, twin, _docs_page(project, twin).read_bytes())
    return rf"{twin}: GET /3/movie/\{{movie_id\}} differs from the same operation in {MOVIE_PAGE}"


def overlay_target_matches_nothing(project: Path) -> str:
    _overlay(project, "20-stale.yaml", _overlay_action("$.paths['/3/movie/{id}'].get", "    remove: true\n",
                                                       "Drop an operation that was renamed"))  # fmt: skip
    return (r"overlays/20-stale\.yaml: action 1 \(Drop an operation that was renamed\): "
            r"target \$\.paths\['/3/movie/\{id\}'\]\.get matches nothing")  # fmt: skip


def overlay_action_without_description(project: Path) -> str:
    _overlay(project, "20-invalid.yaml", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
                                         "  - target: $.info\n    update: {x-note: n}\n")  # fmt: skip
    return r"overlays/20-invalid\.yaml: action 1: every action needs a `description`"


def overlay_of_another_version(project: Path) -> str:
    _overlay(
        project, "20-invalid.yaml", _overlay_action("$.info", "    update: {x-note: n}\n").replace("1.0.0", "2.0.0", 1)
    )
    return r"overlays/20-invalid\.yaml: `overlay` must be a 1\.0\.x version.*, got '2\.0\.0'"


def overlay_with_update_and_remove(project: Path) -> str:
    _overlay(project, "20-invalid.yaml", _overlay_action("$.info", "    update: {x-note: n}\n    remove: true\n"))
    return r"overlays/20-invalid\.yaml: action 1 \(a test action\): give exactly one of `update` or `remove: true`"


def overlay_with_invalid_jsonpath(project: Path) -> str:
    _overlay(project, "20-invalid.yaml", _overlay_action("$.paths[?@.get", "    remove: true\n"))
    return r"overlays/20-invalid\.yaml: action 1 \(a test action\): target '\$\.paths\[\?@\.get' is not RFC 9535"


def overlay_yaml_does_not_parse(project: Path) -> str:
    _overlay(project, "20-invalid.yaml", "overlay: 1.0.0\nactions: [\n")
    return r"overlays/20-invalid\.yaml: YAML does not parse"


def overlay_makes_the_spec_invalid(project: Path) -> str:
    _overlay(project, "20-breaks.yaml", _overlay_action(
        "$.paths['/3/genre/movie/list'].get.responses", "    remove: true\n", "Drop the responses"))  # fmt: skip
    return (r"build/spec/overlaid\.json: not a valid OpenAPI 3\.0 document \(made invalid by overlays/20-breaks\.yaml\):"
            r"\n  paths//3/genre/movie/list/get: 'responses' is a required property")  # fmt: skip


def generator_warns(project: Path) -> str:
    _overlay(project, "20-xml.yaml", _overlay_action("$.paths['/3/genre/movie/list'].get", (
        "    update:\n      requestBody:\n        content:\n          application/xml:\n"
        "            schema: {type: string}\n")))  # fmt: skip
    return (r"(?s)openapi-python-client failed on build/spec/openapi\.json with generator/config\.yaml.*"
            r"WARNING parsing GET /3/genre/movie/list.*Unsupported content type application/xml")  # fmt: skip


def generator_config_broken(project: Path) -> str:
    with (project / "generator" / "config.yaml").open("a", encoding="utf-8") as config:
        config.write("class_overrides: 5\n")
    return r"(?s)with generator/config\.yaml \(exit 2\).*Unable to parse config"


def package_build_fails(project: Path) -> str:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('name = "tmdb-sdk-internal"', "name = 1"))
    return r"(?s)building the wheel failed:.*project\.name"


def pinned_page_missing_from_the_source(project: Path) -> str:
    _docs_page(project, MOVIE_PAGE).unlink()
    return rf"{MOVIE_PAGE}: cannot read {DOCS}{MOVIE_PAGE}: No such file or directory"


def lock_line_malformed(project: Path) -> str:
    with (project / LOCK).open("a", encoding="utf-8") as lock:
        lock.write("GET /3/movie/{movie_id} /api-reference/movies/details.md\n")
    return rf"openapi/pages\.lock:{len((project / LOCK).read_text().splitlines())}: expected METHOD, PATH, PAGE, SHA256"


def page_with_other_top_level_info(project: Path) -> str:
    text = _docs_page(project, MOVIE_PAGE).read_text(encoding="utf-8")
    _edit_page(project, MOVIE_PAGE, text.replace("  title: Tiny TMDB\n", "  title: Tiny TMDB, revised\n", 1))
    return rf"{MOVIE_PAGE}: top-level `info` differs from the one in /api-reference/\w+/\w+\.md"


def page_with_conflicting_component(project: Path) -> str:
    text = _docs_page(project, MOVIE_PAGE).read_text(encoding="utf-8")
    _edit_page(
        project, MOVIE_PAGE, text.replace("      scheme: bearer\n", "      scheme: bearer\n      bearerFormat: JWT\n")
    )
    return rf"{MOVIE_PAGE}: component securitySchemes/bearerAuth differs from the one in /api-reference/\w+/\w+\.md"


def version_file_invalid(project: Path) -> str:
    (project / "openapi" / "VERSION").write_text("next\n", encoding="utf-8")
    return r"openapi/VERSION: expected a semantic version like 1\.2\.3, got 'next'"


CASES: list[Callable[[Path], str]] = [
    source_page_changed, cached_page_changed, pinned_page_missing_from_the_source, lock_line_malformed,
    page_without_fence, page_with_broken_yaml, fence_differs_from_document,
    two_pages_for_one_operation, page_with_other_top_level_info, page_with_conflicting_component,
    overlay_target_matches_nothing, overlay_action_without_description,
    overlay_of_another_version, overlay_with_update_and_remove, overlay_with_invalid_jsonpath,
    overlay_yaml_does_not_parse, overlay_makes_the_spec_invalid, generator_warns, generator_config_broken,
    version_file_invalid, package_build_fails,
]  # fmt: skip


@pytest.mark.parametrize("break_input", CASES, ids=[case.__name__ for case in CASES])
def test_bad_input_stops_make_and_loses_nothing(project: Path, break_input: Callable[[Path], str]) -> None:
    before = {name: tree_hash(project / name) for name in ("generated", "dist")}
    expected = break_input(project)
    run = make(project)
    print(run.output)  # shown on failure, and by `pytest -s` for the report of what each case printed
    assert run.returncode != 0
    assert re.search(expected, run.output), run.output
    assert not re.search(r'File ".*/scripts/\w+\.py", line', run.output), "a script crashed instead of reporting"
    assert {name: tree_hash(project / name) for name in ("generated", "dist")} == before
    assert not [p.name for p in project.iterdir() if p.name.startswith((".generate-", ".package-"))]
