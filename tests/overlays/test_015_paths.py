"""overlays/015-paths.yaml moves wrongly recorded paths to TMDB's real ones, content included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scripts.common import PipelineError, load_yaml
from scripts.overlay import apply_overlay

OVERLAY = Path(__file__).resolve().parents[2] / "overlays" / "015-paths.yaml"

MOVED = {
    "/3/certification//movie/list": "/3/certification/movie/list",
    "/3/certification//tv/list": "/3/certification/tv/list",
    "/3/trending//all/{time_window}": "/3/trending/all/{time_window}",
    "/3/trending//movie/{time_window}": "/3/trending/movie/{time_window}",
    "/3/trending//person/{time_window}": "/3/trending/person/{time_window}",
    "/3/trending//tv/{time_window}": "/3/trending/tv/{time_window}",
    "/3/tv/{series_id}/season/changes": "/3/tv/season/{season_id}/changes",
}


def apply(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = apply_overlay(document, load_yaml(OVERLAY.read_text(encoding="utf-8")), OVERLAY.name)[0]
    return result


def operation(path: str) -> dict[str, Any]:
    params = [{"name": "series_id", "in": "path", "required": True, "schema": {"type": "string"}}]
    return {
        "operationId": f"op {path}",
        "parameters": params if "{series_id}" in path else [],
        "responses": {
            "200": {"description": "", "content": {"application/json": {"examples": {"x": {"value": path}}}}}
        },
    }


def doc() -> dict[str, Any]:
    paths = {old: {"get": operation(old)} for old in MOVED}
    paths["/3/movie/{movie_id}"] = {"get": operation("/3/movie/{movie_id}")}
    return {"openapi": "3.0.3", "paths": paths}


def test_each_wrong_path_is_replaced_by_the_real_one() -> None:
    result = apply(doc())
    assert set(result["paths"]) == set(MOVED.values()) | {"/3/movie/{movie_id}"}


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_the_recorded_operation_moves_with_its_examples(old: str, new: str) -> None:
    moved = apply(doc())["paths"][new]["get"]
    assert moved["operationId"] == f"op {old}"
    assert moved["responses"]["200"]["content"]["application/json"]["examples"] == {"x": {"value": old}}


def test_season_changes_path_variable_is_the_season_id() -> None:
    params = apply(doc())["paths"]["/3/tv/season/{season_id}/changes"]["get"]["parameters"]
    assert [(p["name"], p["in"]) for p in params] == [("season_id", "path")]
    assert "season" in params[0]["description"]


def test_an_untouched_path_stays_as_it_was() -> None:
    assert apply(doc())["paths"]["/3/movie/{movie_id}"] == doc()["paths"]["/3/movie/{movie_id}"]


def test_copy_needs_an_overlay_1_1_document() -> None:
    overlay = load_yaml(OVERLAY.read_text(encoding="utf-8"))
    overlay["overlay"] = "1.0.0"
    with pytest.raises(PipelineError, match=r"unknown fields \['copy'\]"):
        apply_overlay(doc(), overlay, OVERLAY.name)


def test_a_copy_source_must_be_one_node() -> None:
    overlay = {
        "overlay": "1.1.0",
        "info": {"title": "t", "version": "1"},
        "actions": [{"target": "$.paths['/3/movie/{movie_id}']", "description": "d", "copy": "$.paths.*"}],
    }
    with pytest.raises(PipelineError, match="exactly one node, matched 8"):
        apply_overlay(doc(), overlay, "inline")
