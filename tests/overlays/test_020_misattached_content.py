"""overlays/020-misattached-content.yaml gives recordings to the operations they belong to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scripts.common import load_yaml
from scripts.overlay import apply_overlay

OVERLAY = Path(__file__).resolve().parents[2] / "overlays" / "020-misattached-content.yaml"
JOBS = [{"department": "Camera", "jobs": ["Grip"]}]
COUNTRIES = [{"english_name": "Andorra", "iso_3166_1": "AD", "native_name": "Andorra"}]


def apply(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = apply_overlay(document, load_yaml(OVERLAY.read_text(encoding="utf-8")), OVERLAY.name)[0]
    return result


def get(description: str, schema: dict[str, Any] | None = None, **examples: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if schema is not None or examples:
        response["content"] = {
            "application/json": {"schema": schema or {}, "examples": {k: {"value": v} for k, v in examples.items()}}
        }
    return {"get": {"responses": {"200": response}}}


def json_content(document: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    content: dict[str, Any] = document["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    return content


def doc() -> dict[str, Any]:
    jobs_schema = {"type": "array", "items": {"type": "object", "properties": {"department": {}, "jobs": {}}}}
    changes_schema = {"type": "object", "properties": {"changes": {"type": "array"}}}
    return {
        "openapi": "3.0.3",
        "paths": {
            "/3/configuration/countries": get("Jobs / Countries", jobs_schema, Countries=COUNTRIES, Jobs=JOBS),
            "/3/configuration/jobs": get(""),
            "/3/search/movie": get("Movies / Multi", {}, Movies={"page": 1}, Multi={"page": 2}),
            "/3/tv/{series_id}": get(
                "Details / Account states", {}, Details={"id": 122}, **{"Account states": {"id": 12}}
            ),
            "/3/tv/{series_id}/season/{season_number}": get("Details", {}, Details={"id": 3820}),
            "/3/tv/season/{season_id}/changes": get("Changes", {"type": "object"}, Changes={"id": 3816}),
            "/3/tv/{series_id}/changes": get("Changes", changes_schema, Changes={"changes": [1]}),
            "/3/movie/latest": get("New Request"),
            "/3/tv/latest": get("New Request"),
            "/3/authentication/token/validate_with_login": {"post": get("Copy")["get"]},
            "/3/authentication/session": {"delete": get("Copy")["get"]},
        },
    }


def test_jobs_recording_and_schema_move_from_countries_to_jobs() -> None:
    result = apply(doc())
    jobs = json_content(result, "/3/configuration/jobs")
    assert jobs["examples"] == {"Jobs": {"value": JOBS}}
    assert set(jobs["schema"]["items"]["properties"]) == {"department", "jobs"}


def test_countries_keeps_its_recording_and_gets_the_country_shape() -> None:
    result = apply(doc())
    countries = json_content(result, "/3/configuration/countries")
    assert countries["examples"] == {"Countries": {"value": COUNTRIES}}
    assert set(countries["schema"]["items"]["properties"]) == set(COUNTRIES[0])
    assert result["paths"]["/3/configuration/countries"]["get"]["responses"]["200"]["description"] == "Countries"


def test_movie_search_multi_recording_is_renamed_and_stays() -> None:
    examples = json_content(apply(doc()), "/3/search/movie")["examples"]
    assert list(examples) == ["Movies", "Movies (second recording)"]
    assert examples["Movies (second recording)"]["value"] == {"page": 2}


def test_tv_details_account_states_recording_is_renamed_and_stays() -> None:
    examples = json_content(apply(doc()), "/3/tv/{series_id}")["examples"]
    assert {name: e["value"] for name, e in examples.items()} == {
        "Details": {"id": 122},
        "Details (series 12)": {"id": 12},
    }


def test_season_details_recording_moves_from_season_changes_to_season_details() -> None:
    result = apply(doc())
    details = json_content(result, "/3/tv/{series_id}/season/{season_number}")["examples"]
    assert details["Details (specials)"] == {"value": {"id": 3816}}
    changes = json_content(result, "/3/tv/season/{season_id}/changes")
    assert changes == {"schema": {"type": "object", "properties": {"changes": {"type": "array"}}}}
    assert json_content(result, "/3/tv/{series_id}/changes")["examples"] == {"Changes": {"value": {"changes": [1]}}}


def test_postman_leftover_descriptions_are_replaced() -> None:
    paths = apply(doc())["paths"]
    assert paths["/3/movie/latest"]["get"]["responses"]["200"]["description"] == "Latest"
    assert paths["/3/tv/latest"]["get"]["responses"]["200"]["description"] == "Latest"
    login = paths["/3/authentication/token/validate_with_login"]["post"]["responses"]["200"]
    assert login["description"] == "Validated request token"
    assert paths["/3/authentication/session"]["delete"]["responses"]["200"]["description"] == "Session deleted"
