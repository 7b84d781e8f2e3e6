"""API surface extraction and the diff's semver classification, on small hand-made specs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scripts.api_diff import Change, bumped, classify, compare_surfaces, diff_files, format_report, layers_note
from scripts.api_diff import main as api_diff_main
from scripts.api_surface import api_surface, load_surface
from scripts.common import PipelineError
from scripts.release_bump import CHANGELOG_HEADER, with_entry
from tests.release.tiny_specs import DOCS_DETAILS, MOVIE, at, docs_spec, movie_schema, tiny_spec


def test_surface_flattens_refs_arrays_allof_and_marks_required() -> None:
    surface = api_surface(tiny_spec(), "sha")
    details = surface["operations"]["GET /3/movie/{movie_id}"]
    assert details["operationId"] == "movies_details"
    assert details["parameters"] == {"path:movie_id": "integer (required)", "query:language": "string"}
    assert details["responses"]["200"] == {
        "id": "integer (required)",
        "title": "string",
        "genres": "array<object>",
        "genres[].id": "integer",
        "genres[].name": "string",
        "release_date": "string(date)|null",
    }
    assert details["responses"]["404"] == "Error"  # a named component: its fields are listed once
    assert surface["schemas"] == {"Error": {"status_code": "integer"}}
    add = surface["operations"]["POST /3/list/{list_id}/add_item"]
    assert add["requestBody"] == {"required": True, "fields": {"media_id": "integer (required)"}}
    assert add["responses"] == {"201": {}}


def test_a_shared_schema_change_is_reported_for_each_operation_naming_it() -> None:
    def error_response(spec: dict[str, Any]) -> None:
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        at(spec, "paths", "/3/list/{list_id}/add_item", "post", "responses")["401"] = {
            "description": "e",
            "content": content,
        }

    def drop_code(spec: dict[str, Any]) -> None:
        error_response(spec)
        spec["components"]["schemas"]["Error"]["properties"].pop("status_code")

    old, new = tiny_spec(), tiny_spec()
    error_response(old)
    drop_code(new)
    assert [str(c) for c in compare_surfaces(api_surface(old, "a"), api_surface(new, "b"))] == [
        "GET /3/movie/{movie_id}: response 404 field `status_code` removed",
        "POST /3/list/{list_id}/add_item: response 401 field `status_code` removed",
    ]


def test_a_surface_naming_an_unlisted_schema_is_refused() -> None:
    surface = api_surface(tiny_spec(), "a")
    del surface["schemas"]["Error"]
    with pytest.raises(PipelineError, match=r"GET /3/movie/\{movie_id\} response 404 names schema 'Error'"):
        compare_surfaces(surface, surface)


def test_surface_names_a_dangling_ref() -> None:
    spec = tiny_spec()
    del spec["components"]["schemas"]["Genre"]
    with pytest.raises(PipelineError, match=r"GET /3/movie/\{movie_id\}.*#/components/schemas/Genre"):
        api_surface(spec, "sha")


def changed(edit: Any) -> list[str]:
    old = tiny_spec()
    new = copy.deepcopy(old)
    edit(new)
    return [f"{c.weight}: {c.text}" for c in compare_surfaces(api_surface(old, "a"), api_surface(new, "b"))]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda s: movie_schema(s)["properties"].pop("title"), ["breaking: response 200 field `title` removed"]),
        (
            lambda s: movie_schema(s)["properties"].update(budget={"type": "integer"}),
            ["addition: response 200 field `budget` (integer) added"],
        ),
        (
            lambda s: movie_schema(s)["properties"]["id"].update(type="string"),
            ["breaking: response 200 field `id` type changed: integer -> string"],
        ),
        (
            lambda s: s["components"]["schemas"]["Genre"]["properties"].pop("name"),
            ["breaking: response 200 field `genres[].name` removed"],
        ),
        (lambda s: movie_schema(s)["required"].clear(), ["breaking: response 200 field `id` no longer required"]),
        (
            lambda s: s["components"]["parameters"]["Language"].update(required=True),
            ["breaking: parameter `query:language` made required"],
        ),
        (
            lambda s: at(s, *MOVIE, "parameters").append(
                {"name": "page", "in": "query", "schema": {"type": "integer"}}
            ),
            ["addition: optional parameter `query:page` (integer) added"],
        ),
        (
            lambda s: at(s, *MOVIE, "parameters").append(
                {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}}
            ),
            ["breaking: required parameter `query:region` (string) added"],
        ),
        (
            lambda s: at(s, *MOVIE).update(operationId="details7"),
            ["breaking: operationId renamed: movies_details -> details7"],
        ),
        (lambda s: s["paths"].pop("/3/list/{list_id}/add_item"), ["breaking: operation removed"]),
        (lambda s: at(s, *MOVIE, "responses").pop("404"), ["breaking: response 404 removed"]),
        (lambda s: at(s, *MOVIE).update(description="words only"), []),
    ],
)
def test_each_kind_of_change_is_named_and_weighed(edit: Any, expected: list[str]) -> None:
    assert changed(edit) == expected


def test_bump_follows_the_heaviest_change() -> None:
    assert classify([], spec_changed=False) == "none"
    assert classify([], spec_changed=True) == "patch"
    old, new = api_surface(tiny_spec(), "a"), copy.deepcopy(api_surface(tiny_spec(), "b"))
    new["operations"]["GET /3/movie/{movie_id}"]["responses"]["200"]["budget"] = "integer"
    assert classify(compare_surfaces(old, new), spec_changed=True) == "minor"
    del new["operations"]["GET /3/movie/{movie_id}"]["responses"]["200"]["title"]
    assert classify(compare_surfaces(old, new), spec_changed=True) == "major"
    assert [bumped("0.1.0", b) for b in ("major", "minor", "patch", "none")] == ["1.0.0", "0.2.0", "0.1.1", "0.1.0"]


def test_diff_reads_a_spec_on_one_side_and_a_surface_on_the_other(tmp_path: Path) -> None:
    spec_path = tmp_path / "openapi.json"
    spec_path.write_text(json.dumps(tiny_spec()))
    surface = api_surface(tiny_spec(), "older-spec")
    del surface["operations"]["GET /3/movie/{movie_id}"]["parameters"]["query:language"]
    surface_path = tmp_path / "api-surface.json"
    surface_path.write_text(json.dumps(surface))
    changes, bump, note = diff_files(surface_path, spec_path)
    assert [str(c) for c in changes] == ["GET /3/movie/{movie_id}: optional parameter `query:language` (string) added"]
    assert bump == "minor"
    assert note is None  # neither side has a docs layer


def two_layer_changes(edit_docs: Any, edit_client: Any = lambda s: None) -> list[str]:
    old = api_surface(tiny_spec(), "a", docs_spec())
    client, docs = copy.deepcopy(tiny_spec()), docs_spec()
    edit_client(client)
    edit_docs(docs)
    return [f"{c.weight}: {c}" for c in compare_surfaces(old, api_surface(client, "b", docs))]


def test_docs_layer_has_no_operation_ids_and_keeps_the_docs_schema() -> None:
    surface = api_surface(tiny_spec(), "a", docs_spec())
    details = surface["docs"]["GET /3/movie//{movie_id}"]
    assert "operationId" not in details
    assert details["responses"]["200"] == {"id": "number", "tagline": "string", "title": "string"}
    assert surface["operations"]["GET /3/movie/{movie_id}"]["operationId"] == "movies_details"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda s: at(
                s, *DOCS_DETAILS, "responses", "200", "content", "application/json", "schema", "properties"
            ).pop("tagline"),
            ["breaking: GET /3/movie//{movie_id}: docs: response 200 field `tagline` removed"],
        ),
        (
            lambda s: at(
                s, *DOCS_DETAILS, "responses", "200", "content", "application/json", "schema", "properties"
            ).update(budget={"type": "number"}),
            ["addition: GET /3/movie//{movie_id}: docs: response 200 field `budget` (number) added"],
        ),
        (
            lambda s: at(s, *DOCS_DETAILS, "responses", "200", "content", "application/json", "schema", "properties")[
                "id"
            ].update(type="string"),
            ["breaking: GET /3/movie//{movie_id}: docs: response 200 field `id` type changed: number -> string"],
        ),
        (lambda s: at(s, *DOCS_DETAILS).update(operationId="details9"), []),  # the docs' ids reach no caller
    ],
)
def test_a_docs_only_change_is_reported_as_docs_and_weighed(edit: Any, expected: list[str]) -> None:
    assert two_layer_changes(edit) == expected


def test_a_change_both_layers_show_the_same_way_is_reported_once() -> None:
    def add_page(spec: dict[str, Any], details: list[str]) -> None:
        at(spec, *details, "parameters").append({"name": "page", "in": "query", "schema": {"type": "integer"}})

    both = two_layer_changes(lambda s: add_page(s, DOCS_DETAILS), lambda s: add_page(s, MOVIE))
    assert both == ["addition: GET /3/movie/{movie_id}: optional parameter `query:page` (integer) added"]

    def drop_list(spec: dict[str, Any]) -> None:
        spec["paths"].pop("/3/list/{list_id}/add_item")

    assert two_layer_changes(drop_list, drop_list) == ["breaking: POST /3/list/{list_id}/add_item: operation removed"]


def test_the_layers_changing_differently_are_both_reported() -> None:
    def page_as(kind: str, details: list[str]) -> Any:
        return lambda s: at(s, *details, "parameters").append({"name": "page", "in": "query", "schema": {"type": kind}})

    assert two_layer_changes(page_as("number", DOCS_DETAILS), page_as("integer", MOVIE)) == [
        "addition: GET /3/movie/{movie_id}: optional parameter `query:page` (integer) added",
        "addition: GET /3/movie//{movie_id}: docs: optional parameter `query:page` (number) added",
    ]


def test_a_build_spec_brings_the_merged_spec_beside_it_as_docs_layer(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(tiny_spec()))
    (tmp_path / "merged.json").write_text(json.dumps(docs_spec()))
    baseline = api_surface(tiny_spec(), "older-spec")  # a surface without a docs layer
    (tmp_path / "api-surface.json").write_text(json.dumps(baseline))
    changes, bump, note = diff_files(tmp_path / "api-surface.json", tmp_path / "openapi.json")
    assert (changes, bump) == ([], "patch")
    assert note is not None and "old side has no docs layer" in note
    assert "GET /3/movie//{movie_id}" in load_surface(tmp_path / "openapi.json")["docs"]


def test_a_broken_merged_spec_is_named(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(tiny_spec()))
    (tmp_path / "merged.json").write_text(json.dumps({"openapi": "3.0.3"}))
    with pytest.raises(PipelineError, match=r"merged\.json: the spec has no `paths` object"):
        load_surface(tmp_path / "openapi.json")


def test_changelog_entries_go_newest_first_under_the_header() -> None:
    first = with_entry("", "## 0.1.0\n\nfirst\n")
    second = with_entry(first, "## 1.0.0 (major)\n\nsecond\n")
    assert second.startswith(CHANGELOG_HEADER)
    assert second.index("## 1.0.0") < second.index("## 0.1.0")


def test_report_names_a_description_only_change_as_patch() -> None:
    report = format_report([], classify([], spec_changed=True))
    assert report.splitlines()[0] == "api-diff: 0 breaking, 0 additions -> patch bump"
    assert "no operation, parameter or type did" in report
    assert format_report([], "none") == "api-diff: 0 breaking, 0 additions -> no change"


def test_a_surface_compared_with_itself_is_no_change(tmp_path: Path) -> None:
    path = tmp_path / "api-surface.json"
    path.write_text(json.dumps(api_surface(tiny_spec(), "same-spec")))
    assert diff_files(path, path) == ([], "none", None)


def test_report_lists_breaking_changes_then_additions() -> None:
    changes = [
        Change("addition", "GET /a", "response 200 added"),
        Change("breaking", "GET /b", "operation removed"),
        Change("addition", "GET /c", "operation added (c)"),
    ]
    assert format_report(changes, classify(changes, spec_changed=True)).splitlines() == [
        "api-diff: 1 breaking, 2 additions -> major bump",
        "  breaking  GET /b: operation removed",
        "  added     GET /a: response 200 added",
        "  added     GET /c: operation added (c)",
    ]
    assert format_report([], "patch").splitlines()[1] == (
        "  other     the spec's bytes changed (descriptions, examples), no operation, parameter or type did"
    )


def test_the_note_names_the_side_without_a_docs_layer() -> None:
    with_docs, without = {"operations": {}, "docs": {}}, {"operations": {}}
    assert layers_note(with_docs, with_docs) is None
    assert layers_note(without, without) is None
    assert layers_note(without, with_docs) == (
        "  note      the old side has no docs layer (no merged.json beside its spec): docs not compared"
    )
    assert layers_note(with_docs, without) == (
        "  note      the new side has no docs layer (no merged.json beside its spec): docs not compared"
    )


def test_the_command_line_prints_the_report_and_the_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(tiny_spec()))
    (tmp_path / "merged.json").write_text(json.dumps(docs_spec()))
    baseline = api_surface(tiny_spec(), "older-spec")
    del baseline["operations"]["GET /3/movie/{movie_id}"]["parameters"]["query:language"]
    (tmp_path / "api-surface.json").write_text(json.dumps(baseline))
    api_diff_main(["--old", str(tmp_path / "api-surface.json"), "--new", str(tmp_path / "openapi.json")])
    assert capsys.readouterr().out.splitlines() == [
        "api-diff: 0 breaking, 1 additions -> minor bump",
        "  added     GET /3/movie/{movie_id}: optional parameter `query:language` (string) added",
        "  note      the old side has no docs layer (no merged.json beside its spec): docs not compared",
    ]


def test_the_command_line_needs_both_sides_and_says_what_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    for given, missing in ((["--old", "a.json"], "--new"), (["--new", "b.json"], "--old")):
        with pytest.raises(SystemExit) as caught:
            api_diff_main(given)
        assert caught.value.code == 2
        assert f"the following arguments are required: {missing}" in capsys.readouterr().err
    with pytest.raises(SystemExit) as helped:
        api_diff_main(["--help"])
    assert helped.value.code == 0
    usage = " ".join(capsys.readouterr().out.split())
    assert "Compare two API surfaces and classify the change as a semantic-version bump." in usage
    assert "--old OLD final spec or api-surface.json --new NEW final spec or api-surface.json" in usage
