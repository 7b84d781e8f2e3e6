"""scripts/overlay.py and scripts/apply_overlays.py: OpenAPI Overlay 1.0 on tiny documents."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.apply_overlays import main
from scripts.common import PipelineError, read_json, write_json
from scripts.overlay import apply_overlay, check_overlay

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "tags": [{"name": "movies"}],
    "paths": {
        "/3/movie/{movie_id}": {
            "get": {
                "operationId": "movies_details",
                "parameters": [
                    {"name": "movie_id", "in": "path"},
                    {"name": "language", "in": "query"},
                    {"name": "page", "in": "query"},
                    {"name": "region", "in": "query"},
                ],
                "responses": {"200": {"description": "OK", "x-keep": True}},
            }
        },
        "/3/genre/movie/list": {
            "get": {"operationId": "genres_movie_list", "parameters": [{"name": "language", "in": "query"}]}
        },
    },
    "components": {"schemas": {"Status": {"type": "string", "enum": ["a", "b"], "nullable": False}}},
}


def overlay(*actions: Any) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "test", "version": "1"}, "actions": list(actions)}


def run(*actions: dict[str, Any]) -> dict[str, Any]:
    result, _ = apply_overlay(DOC, overlay(*actions), "overlays/test.yaml")
    return dict(result)


def test_update_merges_objects_recursively_and_leaves_the_input_alone() -> None:
    before = copy.deepcopy(DOC)
    result = run({"target": "$.paths['/3/movie/{movie_id}'].get", "description": "why",
                  "update": {"summary": "Details", "responses": {"200": {"description": "Movie"}}}})  # fmt: skip
    op = result["paths"]["/3/movie/{movie_id}"]["get"]
    assert op["summary"] == "Details"
    assert op["responses"]["200"] == {"description": "Movie", "x-keep": True}
    assert op["operationId"] == "movies_details"
    assert DOC == before


def test_arrays_inside_an_update_replace_the_target_arrays() -> None:
    result = run({"target": "$.components.schemas.Status", "description": "TMDB sends more values",
                  "update": {"enum": ["c"], "nullable": True}})  # fmt: skip
    assert result["components"]["schemas"]["Status"] == {"type": "string", "enum": ["c"], "nullable": True}


def test_update_on_an_array_target_appends() -> None:
    result = run({"target": "$.tags", "description": "a new tag", "update": {"name": "genres"}})
    assert result["tags"] == [{"name": "movies"}, {"name": "genres"}]


def test_update_on_a_scalar_target_is_an_error() -> None:
    with pytest.raises(PipelineError, match=r"action 1 \(why\): update needs objects or arrays, but "
                       r"\$\['openapi'\] is str"):  # fmt: skip
        run({"target": "$.openapi", "description": "why", "update": {"x": 1}})


def test_remove_deletes_several_array_elements_and_keys() -> None:
    result = run(
        {"target": "$.paths['/3/movie/{movie_id}'].get.parameters[?@.name == 'language' || @.name == 'region']",
         "description": "drop two parameters", "remove": True},
        {"target": "$.components.schemas.Status.nullable", "description": "drop a key", "remove": True},
    )  # fmt: skip
    names = [p["name"] for p in result["paths"]["/3/movie/{movie_id}"]["get"]["parameters"]]
    assert names == ["movie_id", "page"]
    assert "nullable" not in result["components"]["schemas"]["Status"]


def test_remove_false_with_an_update_is_an_update() -> None:
    result = run({"target": "$.components.schemas.Status", "description": "d", "remove": False,
                  "update": {"description": "A status"}})  # fmt: skip
    assert result["components"]["schemas"]["Status"]["description"] == "A status"


def test_rfc9535_filters_with_match_and_length() -> None:
    result, touched = apply_overlay(DOC, overlay(
        {"target": "$.paths.*.get.parameters[?match(@.name, 'lang.*')]", "description": "every language",
         "update": {"schema": {"type": "string", "pattern": "^[a-z]{2}-[A-Z]{2}$"}}},
        {"target": "$.paths[?length(@.get.parameters) > 1].get", "description": "operations with several parameters",
         "update": {"x-many": True}},
    ), "overlays/test.yaml")  # fmt: skip
    assert touched == 3
    ops = {path: item["get"] for path, item in result["paths"].items()}
    assert all(p["schema"]["pattern"] for op in ops.values() for p in op["parameters"] if p["name"] == "language")
    assert "schema" not in ops["/3/movie/{movie_id}"]["parameters"][2]
    assert ops["/3/movie/{movie_id}"]["x-many"] is True and "x-many" not in ops["/3/genre/movie/list"]


def test_actions_run_in_order_on_the_previous_result() -> None:
    result = run(
        {"target": "$.tags", "description": "add", "update": {"name": "genres"}},
        {"target": "$.tags[?@.name == 'genres']", "description": "then describe it", "update": {"description": "G"}},
    )
    assert result["tags"][1] == {"name": "genres", "description": "G"}


def test_target_matching_nothing_names_file_and_action() -> None:
    with pytest.raises(PipelineError, match=r"overlays/test\.yaml: action 2 \(stale patch\): target "
                       r"\$\.paths\['/3/gone'\] matches nothing"):  # fmt: skip
        run({"target": "$.tags", "description": "fine", "update": {"name": "x"}},
            {"target": "$.paths['/3/gone']", "description": "stale patch", "remove": True})  # fmt: skip


def test_removing_the_root_is_an_error() -> None:
    with pytest.raises(PipelineError, match="cannot remove the document root"):
        run({"target": "$", "description": "all", "remove": True})


GOOD_ACTION = {"target": "$.tags", "description": "d", "update": {"name": "x"}}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (["not", "a", "mapping"], "not an Overlay document"),
        ({"info": {"title": "t", "version": "1"}, "actions": [GOOD_ACTION]}, "`overlay` must be a 1.0.x version"),
        ({"overlay": "2.0.0", "info": {"title": "t", "version": "1"}, "actions": [GOOD_ACTION]}, "got '2.0.0'"),
        ({"overlay": "1.0.0", "info": {"title": "t"}, "actions": [GOOD_ACTION]}, "`info` needs a string"),
        ({"overlay": "1.0.0", "actions": [GOOD_ACTION]}, "`info` needs a string"),
        (overlay(GOOD_ACTION) | {"patches": []}, r"unknown top-level fields \['patches'\]"),
        (overlay(), "`actions` must be a non-empty list"),
        (overlay(GOOD_ACTION) | {"actions": {"target": "$"}}, "`actions` must be a non-empty list"),
        (overlay(GOOD_ACTION, "remove everything"), r"action 2: an action must be a mapping"),
        (overlay(GOOD_ACTION | {"copy": "$.x"}), r"action 1 \(d\): unknown fields \['copy'\]"),
        (overlay(GOOD_ACTION | {"target": "paths.x"}), "`target` must be a JSONPath starting with `\\$`"),
        (overlay({"target": "$.tags", "update": {}}), "every action needs a `description`"),
        (overlay(GOOD_ACTION | {"description": "  "}), "every action needs a `description`"),
        (overlay(GOOD_ACTION | {"remove": "yes"}), "`remove` must be true or false"),
        (overlay(GOOD_ACTION | {"remove": True}), "give exactly one of `update` or `remove: true`"),
        (overlay({"target": "$.tags", "description": "d"}), "give exactly one of `update` or `remove: true`"),
        (overlay({"target": "$.tags", "description": "d", "remove": False}), "give exactly one of"),
        (overlay(GOOD_ACTION | {"target": "$.tags[?@.name =="}), "is not RFC 9535 JSONPath"),
        (overlay(GOOD_ACTION | {"target": "$.tags[?match(@.name)]"}), "is not RFC 9535 JSONPath"),
    ],
)
def test_invalid_overlay_documents_are_named(document: Any, message: str) -> None:
    with pytest.raises(PipelineError, match=rf"^overlays/bad\.yaml: .*{message}"):
        check_overlay(document, "overlays/bad.yaml")


def test_extension_fields_are_allowed() -> None:
    check_overlay(overlay(GOOD_ACTION | {"x-owner": "me"}) | {"x-note": "n", "extends": "spec.json"}, "o.yaml")


def _write_overlay(path: Path, *actions: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(overlay(*actions), sort_keys=False), encoding="utf-8")


def test_apply_overlays_runs_files_in_name_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "overlays"
    folder.mkdir()
    # 20 describes the tag that 10 adds: applied the other way round, 20 would match nothing.
    _write_overlay(folder / "20-describe.yaml", {"target": "$.tags[?@.name == 'g']", "description": "d",
                                                 "update": {"description": "G"}})  # fmt: skip
    _write_overlay(folder / "10-add.yml", {"target": "$.tags", "description": "add", "update": {"name": "g"}})
    (folder / "notes.txt").write_text("not an overlay", encoding="utf-8")
    write_json(tmp_path / "merged.json", DOC)
    main(["--in", str(tmp_path / "merged.json"), "--overlays", str(folder), "--out", str(tmp_path / "out.json")])
    assert read_json(tmp_path / "out.json")["tags"][1] == {"name": "g", "description": "G"}
    assert capsys.readouterr().out.splitlines() == [
        "overlay: 10-add.yml: 1 actions, 1 nodes",
        "overlay: 20-describe.yaml: 1 actions, 1 nodes",
        "rules: 2 of 2 operations not named and typed by the overlays (see coverage)",
    ]


def test_apply_overlays_names_a_file_whose_yaml_does_not_parse(tmp_path: Path) -> None:
    folder = tmp_path / "overlays"
    folder.mkdir()
    (folder / "10-broken.yaml").write_text("overlay: 1.0.0\nactions: [\n", encoding="utf-8")
    write_json(tmp_path / "merged.json", DOC)
    with pytest.raises(PipelineError, match=r"10-broken\.yaml: YAML does not parse"):
        main(["--in", str(tmp_path / "merged.json"), "--overlays", str(folder), "--out", str(tmp_path / "o.json")])
    assert not (tmp_path / "o.json").exists()


def test_apply_overlays_without_an_overlays_folder_only_names_by_rule(tmp_path: Path) -> None:
    write_json(tmp_path / "merged.json", DOC)
    main(
        ["--in", str(tmp_path / "merged.json"), "--overlays", str(tmp_path / "none"), "--out", str(tmp_path / "o.json")]
    )
    expected = copy.deepcopy(DOC)
    expected["paths"]["/3/movie/{movie_id}"]["get"] |= {"operationId": "movie_get", "tags": ["movie"]}
    expected["paths"]["/3/genre/movie/list"]["get"] |= {"operationId": "genre_movie_list", "tags": ["genre"]}
    assert read_json(tmp_path / "o.json") == expected
