"""The tolerance policy (overlays/049, applied by 058 and 090) holds for every response schema of the
final spec, and the check behind it fails on each way of breaking it (shown on a tiny document)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.overlays.response_policy import Report, check
from tests.overlays.schema_support import load

FINAL_SPEC = Path(__file__).resolve().parents[2] / "build" / "spec" / "openapi.json"


@pytest.fixture(scope="module")
def final() -> Report:
    return check(json.loads(FINAL_SPEC.read_text(encoding="utf-8")))


def test_the_final_spec_keeps_the_policy(final: Report) -> None:
    assert final.violations == []


def test_it_covers_every_response_schema(final: Report) -> None:
    print(
        f"policy: {len(final.response_schemas)} response schemas, {len(final.open_enums)} open enum uses,"
        f" {sum(map(len, final.required.values()))} required fields in {len(final.required)} schemas,"
        f" {len(final.mixed_unions)} mixed-kind unions with a fallback, {len(final.status_bodies)} status bodies"
    )
    assert len(final.response_schemas) >= 130  # every component but the request bodies and their enums
    assert {"MovieDetails", "MediaPage", "StatusResponse", "Error", "OtherMedia", "MediaType"} <= final.response_schemas


def test_the_response_enums_are_open_where_they_are_used(final: Report) -> None:
    assert {"MovieSummary.media_type", "PersonSummary.gender", "ReleaseDate.type", "EpisodeGroup.type"} <= (
        final.open_enums
    )
    assert len(final.open_enums) == 21


def test_status_bodies_require_nothing(final: Report) -> None:
    assert {"StatusResponse", "SuccessResponse", "Error", "V4ListItemsResult"} <= final.status_bodies
    assert not set(final.required) & final.status_bodies


def test_required_fields_are_ids_page_envelopes_and_names(final: Report) -> None:
    fields = {name for names in final.required.values() for name in names}
    assert fields == {"id", "provider_id", "page", "results", "total_pages", "total_results", "title", "name"}
    assert final.required["PersonSummary"] == ["id", "name"]  # gender no longer tells people from series


def test_every_mixed_kind_list_ends_with_the_fallback(final: Report) -> None:
    assert final.mixed_unions == {
        "MediaPage.results[]|anyOf",
        "PersonSummary.known_for[]|anyOf",
        "PersonCombinedCredits.cast[]|anyOf",
        "PersonCombinedCredits.crew[]|anyOf",
        "TaggedImage.media|anyOf",
        "CreditDetails.media|anyOf",
        "ListDetails.items[]|anyOf",
        "V4ListDetails.results[]|anyOf",
    }


def test_the_policy_overlay_records_its_list_in_the_spec() -> None:
    actions = load("049-response-tolerance-policy.yaml")["actions"]
    policy = actions[0]["update"]["x-tmdb-response-policy"]
    assert all(rule["reason"].strip() and rule["fields"] and rule["schemas"] for rule in policy["required"])
    assert policy["fallback"] == "OtherMedia"


# -- the check fails on each way of breaking the policy ------------------------------------------------

POLICY = {
    "required": [
        {"fields": ["id"], "reason": "identity", "schemas": ["Movie", "Person"]},
        {"fields": ["page", "results"], "reason": "page envelope", "schemas": ["Page"]},
    ],
    "fallback": "Other",
}


def tiny() -> dict[str, Any]:
    """A document that keeps the policy: a page of movies and people (open gender, a fallback), a status
    body, and a request with a closed enum."""

    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    return {
        "openapi": "3.0.3",
        "info": {"title": "tiny", "version": "1", "x-tmdb-response-policy": copy.deepcopy(POLICY)},
        "paths": {
            "/page": {
                "get": {
                    "parameters": [{"name": "sort", "in": "query", "schema": ref("Sort")}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": ref("Page")}}}
                    },
                }
            },
            "/rating": {
                "delete": {
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": ref("Status")}}}
                    }
                }
            },
        },
        "components": {
            "schemas": {
                "Gender": {"type": "integer", "enum": [0, 1, 2, 3]},
                "Sort": {"type": "string", "enum": ["asc", "desc"]},
                "Movie": {
                    "type": "object",
                    "x-tmdb-media-type": "movie",
                    "required": ["id"],
                    "properties": {"id": {"type": "integer"}, "title": {"type": "string"}},
                },
                "Person": {
                    "type": "object",
                    "x-tmdb-media-type": "person",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "integer"},
                        "gender": {"anyOf": [ref("Gender"), {"type": "integer"}]},
                    },
                },
                "Other": {"type": "object", "properties": {"media_type": {"type": "string"}}},
                "Page": {
                    "type": "object",
                    "required": ["page", "results"],
                    "properties": {
                        "page": {"type": "integer"},
                        "results": {"type": "array", "items": {"anyOf": [ref("Movie"), ref("Person"), ref("Other")]}},
                    },
                },
                "Status": {
                    "type": "object",
                    "properties": {"success": {"type": "boolean"}, "status_code": {"type": "integer"}},
                },
            }
        },
    }


def violations_after(change: Any) -> list[str]:
    document = tiny()
    change(document)
    return check(document).violations


def test_the_tiny_document_keeps_the_policy() -> None:
    report = check(tiny())
    assert report.violations == []
    assert report.open_enums == {"Person.gender"} and report.mixed_unions == {"Page.results[]|anyOf"}


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda d: _schemas(d)["Person"]["properties"].update(gender={"$ref": "#/components/schemas/Gender"}),
            "Person.gender: closed enum Gender reachable from a response",
            id="a closed response enum",
        ),
        pytest.param(
            lambda d: _schemas(d)["Movie"]["properties"].update(kind={"type": "string", "enum": ["a", "b"]}),
            "Movie.kind: closed enum ['a', 'b'] reachable from a response",
            id="a closed inline response enum",
        ),
        pytest.param(
            lambda d: _schemas(d)["Movie"]["required"].append("title"),
            "Movie.title: required in a response without a reason in the policy's list",
            id="a new required field without a reason",
        ),
        pytest.param(
            lambda d: d["info"]["x-tmdb-response-policy"]["required"][0].update(reason=" "),
            "policy rule 1 ['id']: no reason",
            id="a policy rule without a reason",
        ),
        pytest.param(
            lambda d: _schemas(d)["Status"].update(required=["success"]),
            "Status: a status body requires ['success']",
            id="a status body with a required field",
        ),
        pytest.param(
            lambda d: _schemas(d)["Page"]["properties"]["results"]["items"]["anyOf"].pop(),
            "Page.results[]|anyOf: mixed-kind union does not end with the policy's fallback Other",
            id="a mixed-kind list without the fallback",
        ),
        pytest.param(
            lambda d: _schemas(d)["Person"].pop("x-tmdb-media-type"),
            "Page.results[]|anyOf: mixed-kind union a member before the fallback declares no x-tmdb-media-type",
            id="a mixed-kind member without its kind",
        ),
        pytest.param(
            lambda d: _schemas(d)["Other"].update(additionalProperties=False),
            "Other: additionalProperties false drops unknown fields",
            id="a fallback that drops fields",
        ),
        pytest.param(
            lambda d: d["paths"]["/page"]["get"]["parameters"][0].update(
                schema={"anyOf": [{"$ref": "#/components/schemas/Sort"}, {"type": "string"}]}
            ),
            "GET /page parameter sort: a request enum is open (a caller's typo would be sent)",
            id="an opened request enum",
        ),
        pytest.param(
            lambda d: d["info"]["x-tmdb-response-policy"]["required"][0]["schemas"].append("Status"),
            "policy lists Status.id as required, but no response schema requires it (stale)",
            id="a stale policy entry",
        ),
    ],
)
def test_the_check_fails_when_the_policy_is_broken(change: Any, expected: str) -> None:
    assert expected in violations_after(change)


def test_a_document_without_the_policy_fails() -> None:
    assert "info.x-tmdb-response-policy: missing (the policy's list of required fields)" in violations_after(
        lambda d: d["info"].pop("x-tmdb-response-policy")
    )
