"""scripts/coverage.py: what no overlay names or types is named by rule, keeps its docs schema, and is listed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from scripts.common import PipelineError, write_json
from scripts.coverage import (
    apply_rules,
    format_report,
    main,
    name_by_rule,
    named_by_overlays,
    rule_tag,
    snake,
    typed_by_overlays,
)
from scripts.overlay import Location, apply_overlay

SCHEMA = {"type": "object", "properties": {"id": {"type": "integer"}}}


def op(summary: str, op_id: str = "details", schema: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {"application/json": {"schema": copy.deepcopy(schema or SCHEMA)}}
    return {"tags": ["MOVIES"], "summary": summary, "operationId": op_id,
            "responses": {"200": {"description": "OK", "content": body}}}  # fmt: skip


def docs() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "paths": {
            "/3/movie/{movie_id}": {"get": op("Details")},
            "/3/movie/{movie_id}/keywords": {"get": op("Keywords", "keywords")},
            "/3/movie/popular": {"get": op("Popular", "popular")},
            "/3/movie/{movie_id}/trailers": {"get": op("Trailers", "keywords")},  # cloned: the same docs id
            "/4/list/{list_id}": {"get": op("Details")},
        },
        "components": {"schemas": {"Movie": SCHEMA}},
    }


def overlay(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


def name(path: str, op_id: str, tag: str) -> dict[str, Any]:
    return {"target": f"$.paths['{path}'].get", "description": "name", "update": {"operationId": op_id, "tags": [tag]}}


def typed(path: str) -> dict[str, Any]:
    return {"target": f"$.paths['{path}'].get.responses['200']", "description": "type", "update": {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Movie"}}}}}  # fmt: skip


# The real overlays' pattern: every known operation named, every success schema dropped, then typed.
COVER = overlay(
    name("/3/movie/{movie_id}", "movies_details", "movies"),
    name("/3/movie/{movie_id}/keywords", "movies_keywords", "movies"),
    name("/3/movie/popular", "movie_lists_popular", "movie_lists"),
    name("/4/list/{list_id}", "v4_lists_details", "v4_lists"),
    {"target": "$.paths.*.*.responses['200'].content['application/json'].schema", "description": "d", "remove": True},
    typed("/3/movie/{movie_id}"), typed("/3/movie/{movie_id}/keywords"),
    typed("/3/movie/popular"), typed("/4/list/{list_id}"),
)  # fmt: skip


def covered() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    writes: list[Location] = []
    overlaid, _ = apply_overlay(docs(), COVER, "cover.yaml", writes)
    result, report = apply_rules(overlaid, docs(), writes)
    return result, report


def test_a_new_operation_is_named_by_rule_with_the_tag_of_its_path_neighbours() -> None:
    result, _ = covered()
    new = result["paths"]["/3/movie/{movie_id}/trailers"]["get"]
    assert (new["operationId"], new["tags"]) == ("movies_trailers", ["movies"])  # not movies_keywords_2
    assert result["paths"]["/3/movie/{movie_id}/keywords"]["get"]["operationId"] == "movies_keywords"


def test_its_docs_schema_is_kept_while_the_covered_ones_reference_components() -> None:
    result, _ = covered()
    assert result["paths"]["/3/movie/{movie_id}/trailers"]["get"]["responses"]["200"]["content"] == {
        "application/json": {"schema": SCHEMA}
    }
    details = result["paths"]["/3/movie/{movie_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert details == {"schema": {"$ref": "#/components/schemas/Movie"}}


def test_the_report_lists_only_the_uncovered_operation() -> None:
    _, report = covered()
    assert len(report) == 5
    assert [e for e in report if e["named"] != "overlay" or e["typed"] != "overlay"] == [{
        "operation": "GET /3/movie/{movie_id}/trailers", "operationId": "movies_trailers",
        "named": "rule", "typed": "docs", "docs_schema_kept": True,
    }]  # fmt: skip
    assert format_report(report).splitlines() == [
        "coverage: 1 of 5 operations not covered by the overlays yet:",
        ("  GET /3/movie/{movie_id}/trailers  movies_trailers: named by rule (no overlay names it), "
        "typed from its docs schema (no overlay gives it a shared component)"),
    ]


def test_an_overlay_that_names_and_types_the_new_operation_covers_it() -> None:
    writes: list[Location] = []
    cover = copy.deepcopy(COVER)
    cover["actions"] += [name("/3/movie/{movie_id}/trailers", "movies_videos", "movies"),
                         typed("/3/movie/{movie_id}/trailers")]  # fmt: skip
    overlaid, _ = apply_overlay(docs(), cover, "cover.yaml", writes)
    result, report = apply_rules(overlaid, docs(), writes)
    assert result["paths"]["/3/movie/{movie_id}/trailers"]["get"]["operationId"] == "movies_videos"
    assert format_report(report) == "coverage: all 5 operations are named and typed by the overlays"


def test_named_and_typed_are_read_from_what_updates_wrote() -> None:
    writes: list[Location] = []
    apply_overlay(docs(), COVER, "cover.yaml", writes)
    assert ("/3/movie/{movie_id}", "get") in named_by_overlays(writes)
    assert ("/3/movie/{movie_id}/trailers", "get") not in named_by_overlays(writes)
    assert ("/3/movie/popular", "get", "200", "application/json") in typed_by_overlays(writes)
    assert not any(key[0] == "/3/movie/{movie_id}/trailers" for key in typed_by_overlays(writes))


def test_a_copy_or_a_remove_names_nothing() -> None:
    writes: list[Location] = []
    moved = {"overlay": "1.1.0", "info": {"title": "t", "version": "1"}, "actions": [
        {"target": "$.paths['/3/movie/popular']", "description": "copy", "copy": "$.paths['/3/movie/{movie_id}']"},
    ]}  # fmt: skip
    apply_overlay(docs(), moved, "move.yaml", writes)
    assert named_by_overlays(writes) == set()


@pytest.mark.parametrize(
    ("path", "tag"),
    [
        ("/3/movie/{movie_id}/videos", ("movies", 3)),  # shares /3/movie/{} with movies
        ("/3/movie/upcoming", ("movies", 2)),  # /3/movie only: the most frequent tag there
        ("/3/tv/{series_id}", ("tv", 2)),  # no neighbour: the first path segment
        ("/4/account/{account_object_id}", ("v4_account", 2)),
    ],
)
def test_rule_tag(path: str, tag: tuple[str, int]) -> None:
    named = {"/3/movie/{movie_id}": ["movies"], "/3/movie/{movie_id}/keywords": ["movies"],
             "/3/movie/popular": ["movie_lists"]}  # fmt: skip
    assert rule_tag(path, named) == tag


def test_snake_case() -> None:
    assert snake("Create Session (from v4 token)") == "create_session_from_v4_token"
    assert snake("TV Series — Lists") == "tv_series_lists"


def test_a_taken_name_falls_back_for_every_operation_that_wanted_it() -> None:
    document = {"paths": {
        "/3/movie/{movie_id}": {"get": op("Details")},
        "/3/movie/{movie_id}/trailers": {"get": op("Keywords")},  # a clone whose summary was not changed
        "/3/movie/{movie_id}/teasers": {"get": op("Keywords")},
    }}  # fmt: skip
    document["paths"]["/3/movie/{movie_id}"]["get"] |= {"operationId": "movies_keywords", "tags": ["movies"]}
    names = name_by_rule(document, {("/3/movie/{movie_id}", "get")})
    assert names == {
        ("/3/movie/{movie_id}/teasers", "get"): "movies_movie_teasers",
        ("/3/movie/{movie_id}/trailers", "get"): "movies_movie_trailers",
    }


def test_no_free_rule_name_asks_for_an_overlay() -> None:
    document = {"paths": {"/3/x/{a}": {"get": op("X")}, "/3/x/{a}/{b}": {"get": op("X")}}}
    with pytest.raises(PipelineError, match=r"GET /3/x/\{a\}: no rule name is free .* name it in an overlay"):
        name_by_rule(document, set())


def test_main_lists_and_strict_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, report = covered()
    write_json(tmp_path / "coverage.json", report)
    main(["--report", str(tmp_path / "coverage.json")])
    assert "GET /3/movie/{movie_id}/trailers  movies_trailers" in capsys.readouterr().out
    with pytest.raises(PipelineError, match=r"strict mode: 1 operation\(s\) not covered by the overlays"):
        main(["--report", str(tmp_path / "coverage.json"), "--strict"])
