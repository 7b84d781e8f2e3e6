"""overlays/030-names.yaml: snake_case resource tags and unique `<tag>_<action>` operationIds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scripts.common import load_yaml
from scripts.overlay import apply_overlay

OVERLAY = Path(__file__).resolve().parents[2] / "overlays" / "030-names.yaml"
# The naming convention every helper relies on (notes/preamble.md).
RESOURCE_TAGS = {
    "account", "authentication", "certifications", "changes", "collections", "companies", "configuration",
    "credits", "discover", "find", "genres", "guest_sessions", "keywords", "lists", "movie_lists", "movies",
    "networks", "people", "people_lists", "reviews", "search", "trending", "tv_series_lists", "tv_series",
    "tv_seasons", "tv_episodes", "tv_episode_groups", "watch_providers", "v4_account", "v4_auth", "v4_lists",
}  # fmt: skip
_OPERATION_TARGET = re.compile(r"\$\.paths\['(?P<path>[^']+)'\]\.(?P<method>get|post|put|delete)")


def overlay() -> dict[str, Any]:
    loaded: dict[str, Any] = load_yaml(OVERLAY.read_text(encoding="utf-8"))
    return loaded


def doc() -> dict[str, Any]:
    """Every operation the overlay names, as the docs recorded it: a Postman name and a shouting tag."""
    paths: dict[str, Any] = {}
    for number, action in enumerate(overlay()["actions"]):
        if match := _OPERATION_TARGET.fullmatch(action["target"]):
            operation = {"operationId": f"details{number}", "tags": ["TV SERIES LIST"], "summary": "Details"}
            paths.setdefault(match["path"], {})[match["method"]] = operation
    return {"openapi": "3.0.3", "tags": [{"name": "TV SERIES LIST"}, {"name": "V4 LISTS"}], "paths": paths}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    applied: dict[str, Any] = apply_overlay(doc(), overlay(), OVERLAY.name)[0]
    return applied


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{m.upper()} {p}": op for p, item in document["paths"].items() for m, op in item.items()}


def test_all_173_operations_are_named() -> None:
    assert len(operations(doc())) == 173


def test_top_level_tags_are_exactly_the_resource_tags(result: dict[str, Any]) -> None:
    names = [tag["name"] for tag in result["tags"]]
    assert sorted(names) == sorted(RESOURCE_TAGS)
    assert all(tag.get("description") for tag in result["tags"])


def test_every_operation_is_tagged_with_one_resource_and_named_after_it(result: dict[str, Any]) -> None:
    for where, op in operations(result).items():
        (tag,) = op["tags"]
        assert tag in RESOURCE_TAGS, where
        assert re.fullmatch(rf"{tag}_[a-z0-9]+(_[a-z0-9]+)*", op["operationId"]), where
        assert op["tags"] == [tag] and op["summary"].strip(), where


def test_operation_ids_are_unique(result: dict[str, Any]) -> None:
    ids = [op["operationId"] for op in operations(result).values()]
    assert len(set(ids)) == len(ids) == 173


def test_v3_and_v4_operations_live_in_separate_resources(result: dict[str, Any]) -> None:
    for where, op in operations(result).items():
        assert op["tags"][0].startswith("v4_") == where.split()[1].startswith("/4/"), where


@pytest.mark.parametrize(
    ("operation", "name"),
    [
        ("GET /3/movie/{movie_id}", "movies_details"),
        ("GET /3/tv/{series_id}", "tv_series_details"),
        ("GET /3/movie/popular", "movie_lists_popular"),
        ("GET /4/list/{list_id}/clear", "v4_lists_clear"),
        ("POST /4/list", "v4_lists_create"),
        ("POST /3/list", "lists_create"),
        ("GET /3/authentication/token/new", "authentication_create_request_token"),
        ("GET /3/credit/{credit_id}", "credits_details"),
        ("GET /3/tv/season/{season_id}/changes", "tv_seasons_changes"),
        ("GET /3/trending/movie/{time_window}", "trending_movies"),
    ],
)
def test_names_a_user_would_guess(result: dict[str, Any], operation: str, name: str) -> None:
    assert operations(result)[operation]["operationId"] == name


def test_postman_item_names_are_replaced_by_titles_and_good_ones_kept(result: dict[str, Any]) -> None:
    ops = operations(result)
    assert ops["GET /3/account/{account_id}/favorite/movies"]["summary"] == "Favorite Movies"
    assert ops["GET /3/search/multi"]["summary"] == "Search Movies, TV and People"
    assert ops["GET /3/movie/{movie_id}"]["summary"] == "Details"
