"""overlays/053-components-account-lists-auth.yaml declares account, authentication and list components."""
from __future__ import annotations

from typing import Any

import pytest

from tests.overlays.schema_support import COMPONENT_FILES, all_components, declared_by, errors, refs

FILE = "053-components-account-lists-auth.yaml"


@pytest.fixture(scope="module")
def components() -> dict[str, Any]:
    return all_components()


def test_it_declares_the_user_data_components() -> None:
    assert {"StatusResponse", "AccountDetails", "AccountStates", "RequestToken", "GuestSession", "Session",
            "ListDetails", "V4ListDetails", "V4AccessToken"} <= declared_by(FILE)


def test_no_component_file_redeclares_another_ones_component() -> None:
    seen: dict[str, str] = {}
    for name in COMPONENT_FILES:
        for component in declared_by(name):
            assert component not in seen, f"{component} declared by {seen.get(component)} and {name}"
            seen[component] = name


def test_every_reference_between_the_component_files_resolves(components: dict[str, Any]) -> None:
    targets = {ref.removeprefix("#/components/schemas/") for ref in refs(components)}
    assert targets, "the components reference each other"
    assert targets <= set(components["schemas"]), targets - set(components["schemas"])


def test_a_write_operation_status_has_an_integer_tmdb_code(components: dict[str, Any]) -> None:
    status = {"success": True, "status_code": 12, "status_message": "The item/record was updated successfully."}
    assert errors(components, "StatusResponse", status) == []
    assert errors(components, "StatusResponse", {**status, "status_code": 12.0})


@pytest.mark.parametrize("rated", [False, {"value": 8.5}, {"value": 7}])
def test_account_states_rated_is_false_or_the_rating(components: dict[str, Any], rated: Any) -> None:
    assert errors(components, "AccountStates", {"id": 550, "favorite": False, "watchlist": True, "rated": rated}) == []


def test_account_states_rated_is_never_a_bare_number(components: dict[str, Any]) -> None:
    assert errors(components, "AccountStates", {"id": 550, "rated": 8.5})


def test_v4_list_comments_and_object_ids_are_maps_keyed_by_media(components: dict[str, Any]) -> None:
    details = {"id": 1, "comments": {"movie:550": None, "tv:1399": "great"}, "object_ids": {"movie:550": "4bc8"},
               "results": [{"id": 550, "title": "Fight Club"}, {"id": 1399, "name": "GoT"}], "public": True}
    assert errors(components, "V4ListDetails", details) == []
    assert errors(components, "V4ListDetails", {**details, "comments": {"movie:550": 3}})
    assert "properties" not in components["schemas"]["ListComments"]


def test_v4_list_summaries_take_tmdb_flags_as_0_or_1_and_runtime_as_text(components: dict[str, Any]) -> None:
    summary = {"id": 1, "public": 1, "adult": 0, "runtime": "0", "average_rating": 7.5, "poster_path": None}
    assert errors(components, "V4ListSummary", summary) == []
    assert errors(components, "V4ListSummary", {**summary, "public": True})


def test_a_write_operation_status_always_has_all_three_fields(components: dict[str, Any]) -> None:
    assert errors(components, "StatusResponse", {"success": True, "status_code": 1})
