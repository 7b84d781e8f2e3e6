"""scripts/overlay.py: Overlay 1.1 `copy`, the record of what updates wrote, copies that share nothing,
and the messages naming a file and an action (the cases mutation testing found untested, MUTATION.md)."""

from __future__ import annotations

from typing import Any

import pytest

from scripts.common import PipelineError
from scripts.overlay import Location, apply_overlay, check_overlay

NAME = "overlays/015-paths.yaml"


def document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "paths": {
            "/3/movie//{movie_id}": {"get": {"operationId": "details", "tags": ["movies"]}},
            "/3/movie/{movie_id}": {},
            "/3/tv/{series_id}": {},
        },
        "tags": [{"name": "movies"}],
        "lists": {"a": [], "b": []},
    }


def overlay_1_1(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.1.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


def overlay_1_0(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


MOVE = [
    {
        "target": "$.paths['/3/movie/{movie_id}']",
        "description": "right path",
        "copy": "$.paths['/3/movie//{movie_id}']",
    },
    {"target": "$.paths['/3/movie//{movie_id}']", "description": "wrong path", "remove": True},
]


def test_copy_then_remove_moves_a_node() -> None:
    before = document()
    result, touched = apply_overlay(before, overlay_1_1(*MOVE), NAME)
    assert result["paths"] == {
        "/3/movie/{movie_id}": {"get": {"operationId": "details", "tags": ["movies"]}},
        "/3/tv/{series_id}": {},
    }
    assert touched == 2
    assert before == document()  # the input is left alone


def test_a_copy_into_several_targets_shares_nothing_with_the_source_or_between_them() -> None:
    copy_to_both = {
        "target": "$.paths['/3/movie/{movie_id}','/3/tv/{series_id}']",
        "description": "same operation on both",
        "copy": "$.paths['/3/movie//{movie_id}']",
    }
    result, touched = apply_overlay(document(), overlay_1_1(copy_to_both), NAME)
    assert touched == 2
    movie, tv = result["paths"]["/3/movie/{movie_id}"], result["paths"]["/3/tv/{series_id}"]
    movie["get"]["tags"].append("changed")
    assert tv["get"]["tags"] == ["movies"]
    assert result["paths"]["/3/movie//{movie_id}"]["get"]["tags"] == ["movies"]


def test_an_update_appended_to_several_arrays_shares_nothing() -> None:
    update = {"name": "x", "tags": ["a"]}
    result, _ = apply_overlay(
        document(), overlay_1_0({"target": "$.lists.*", "description": "one each", "update": update}), NAME
    )
    result["lists"]["a"][0]["tags"].append("changed")
    assert result["lists"]["b"] == [{"name": "x", "tags": ["a"]}]
    assert update == {"name": "x", "tags": ["a"]}


def test_an_update_merged_into_several_objects_shares_nothing() -> None:
    update = {"x-extra": {"list": [1]}}
    result, _ = apply_overlay(
        document(), overlay_1_0({"target": "$.paths.*", "description": "d", "update": update}), NAME
    )
    result["paths"]["/3/movie/{movie_id}"]["x-extra"]["list"].append(2)
    assert result["paths"]["/3/tv/{series_id}"]["x-extra"] == {"list": [1]}
    assert update == {"x-extra": {"list": [1]}}


@pytest.mark.parametrize(
    ("source", "count"), [("$.paths['/nowhere']", 0), ("$.paths['/3/movie/{movie_id}','/3/tv/{series_id}']", 2)]
)
def test_a_copy_source_must_match_exactly_one_node(source: str, count: int) -> None:
    action = {"target": "$.paths['/3/movie/{movie_id}']", "description": "move", "copy": source}
    with pytest.raises(PipelineError) as caught:
        apply_overlay(document(), overlay_1_1(action), NAME)
    assert str(caught.value) == (
        f"{NAME}: action 1 (move): copy source {source} must match exactly one node, matched {count}"
    )


def test_writes_record_every_location_an_update_wrote_and_nothing_a_copy_did() -> None:
    writes: list[Location] = []
    rename = {
        "target": "$.paths[*].get",
        "description": "names",
        "update": {"operationId": "movies_details", "x-a": {"b": 1}},
    }
    apply_overlay(document(), overlay_1_1(rename, MOVE[0]), NAME, writes)
    assert writes == [
        ("paths", "/3/movie//{movie_id}", "get", "operationId"),
        ("paths", "/3/movie//{movie_id}", "get", "x-a"),
        ("paths", "/3/movie//{movie_id}", "get", "x-a", "b"),
    ]
    twice: list[Location] = []
    apply_overlay(document(), overlay_1_0({"target": "$.paths.*", "description": "d", "update": {"x": 1}}), NAME, twice)
    assert twice == [("paths", p, "x") for p in ("/3/movie//{movie_id}", "/3/movie/{movie_id}", "/3/tv/{series_id}")]


LONG = "d" * 71


@pytest.mark.parametrize(
    ("actions", "message"),
    [
        (
            [{"target": "$.paths", "description": "d", "copy": "paths.x"}],
            "action 1 (d): `copy` must be a JSONPath starting with `$`",
        ),
        (
            [{"target": "$.paths", "description": "d", "copy": 7}],
            "action 1 (d): `copy` must be a JSONPath starting with `$`",
        ),
        (
            [{"target": "$.paths", "description": "d", "copy": "$.paths[?@.x =="}],
            "action 1 (d): copy '$.paths[?@.x ==' is not RFC 9535 JSONPath",
        ),
        ([{"description": "d", "update": {}}], "action 1 (d): `target` must be a JSONPath starting with `$`"),
        ([{"target": "$.paths", "update": {}}], "action 1: every action needs a `description` saying why"),
        (
            [{"target": "$.x", "description": LONG, "copy": "$.y", "remove": True}],
            f"action 1 ({'d' * 70}...): give exactly one of",
        ),
        (
            [{"target": "$.x", "description": "d" * 70, "update": {}, "remove": True}],
            f"action 1 ({'d' * 70}): give exactly one of",
        ),
    ],
)
def test_bad_overlay_1_1_actions_are_named(actions: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(PipelineError) as caught:
        check_overlay(overlay_1_1(*actions), NAME)
    assert str(caught.value).startswith(f"{NAME}: {message}")


def test_a_bad_overlay_is_named_by_its_file_when_applied() -> None:
    with pytest.raises(PipelineError, match=rf"^{NAME}: `actions` must be a non-empty list$"):
        apply_overlay(document(), overlay_1_0(), NAME)
