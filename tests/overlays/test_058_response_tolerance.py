"""overlays/058-response-tolerance.yaml applies the tolerance policy to the components of 050-056: what the
docs' shapes refused and now validates, what stays refused, and that nothing else changes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.overlays.schema_support import COMPONENT_FILES, apply, errors, tiny_document

FILE = "058-response-tolerance.yaml"
BEFORE_FILES = ("049-response-tolerance-policy.yaml", *COMPONENT_FILES, "055-append-to-response.yaml",
                "056-nullable-lists.yaml")  # fmt: skip
STATUS_13 = {"status_code": 13, "status_message": "The item/record was deleted successfully."}
COLLECTION = {"id": 10, "media_type": "collection", "name": "Star Wars Collection", "backdrop_path": None}
MOVIE = {"id": 550, "title": "Fight Club", "media_type": "movie"}
PERSON = {"id": 287, "name": "Brad Pitt", "media_type": "person", "gender": 2, "known_for": [MOVIE]}


@pytest.fixture(scope="module")
def before() -> dict[str, Any]:
    document = tiny_document()
    for name in BEFORE_FILES:
        document = apply(name, document)
    return document


@pytest.fixture(scope="module")
def after(before: dict[str, Any]) -> dict[str, Any]:
    return apply(FILE, before)


def page(*items: Any) -> dict[str, Any]:
    return {"page": 1, "results": list(items), "total_pages": 1, "total_results": len(items)}


@pytest.mark.parametrize(
    ("schema", "body"),
    [
        pytest.param("StatusResponse", STATUS_13, id="status body without success"),
        pytest.param("SuccessResponse", {}, id="bare success body"),
        pytest.param("MovieSummary", {**MOVIE, "media_type": "tv_episode"}, id="unknown media_type"),
        pytest.param("CastMember", {"id": 1, "gender": 4}, id="unknown gender code"),
        pytest.param("ReleaseDate", {"type": 7, "release_date": "2024-01-01"}, id="unknown release type"),
        pytest.param("EpisodeGroup", {"id": "5acf", "type": 8}, id="unknown episode group type"),
        pytest.param("PersonSummary", {"id": 287, "name": "Brad Pitt"}, id="person without gender"),
        pytest.param("MediaPage", page(MOVIE, COLLECTION, PERSON), id="multi search with a collection"),
        pytest.param("PersonSummary", {**PERSON, "known_for": [COLLECTION]}, id="known_for of another kind"),
        pytest.param(
            "TaggedImage",
            {"file_path": "/a.jpg", "media_type": "tv_episode", "media": {"id": 1, "media_type": "tv_episode"}},
            id="tagged image of an episode",
        ),
    ],
)
def test_what_tmdb_sends_was_refused_and_now_validates(
    before: dict[str, Any], after: dict[str, Any], schema: str, body: Any
) -> None:
    assert errors(before["components"], schema, body)
    assert errors(after["components"], schema, body) == []


@pytest.mark.parametrize(
    ("schema", "body"),
    [
        pytest.param("CastMember", {"id": 1, "gender": "female"}, id="gender of the wrong type"),
        pytest.param("MovieSummary", {**MOVIE, "media_type": 3}, id="media_type of the wrong type"),
        pytest.param("MovieSummary", {"title": "no id"}, id="movie without id"),
        pytest.param("MediaPage", {"page": 1, "results": []}, id="page without its totals"),
        pytest.param("StatusResponse", {"status_code": "13"}, id="status code of the wrong type"),
    ],
)
def test_types_and_the_policys_required_fields_still_hold(after: dict[str, Any], schema: str, body: Any) -> None:
    assert errors(after["components"], schema, body)


def _changed(before: Any, after: Any, where: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        keys = sorted(set(before) | set(after))
        return [c for key in keys for c in _changed(before.get(key), after.get(key), f"{where}/{key}")]
    return [] if before == after else [where]


def test_it_changes_only_what_the_policy_names(before: dict[str, Any], after: dict[str, Any]) -> None:
    changed = _changed(before["components"]["schemas"], after["components"]["schemas"])
    kinds = [c for c in changed if c.endswith("/x-tmdb-media-type")]
    opened = [c for c in changed if c.endswith(("/$ref", "/anyOf", "/description")) and "/properties/" in c
              and not c.endswith("items/anyOf") and "/media/" not in c]  # fmt: skip
    unions = [c for c in changed if c.endswith("/anyOf") and ("items/anyOf" in c or "/media/" in c)]
    required = [c for c in changed if c.endswith("/required")]
    assert len(kinds) == 7  # movie, tv and person members
    assert len(opened) == 3 * 21  # 21 enum uses: $ref gone, anyOf and description added
    assert len(unions) == 8
    assert sorted(required) == ["/PersonSummary/required", "/StatusResponse/required", "/SuccessResponse/required"]
    assert len(changed) == len(kinds) + len(opened) + len(unions) + len(required)
