"""overlays/060-response-schemas.yaml points every success response at a shared component."""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.overlays.schema_support import COMPONENT_FILES, apply, declared_by, load

FILE = "060-response-schemas.yaml"
_TARGET = re.compile(r"^\$\.paths\['([^']+)'\]\.(\w+)\.responses\['(\d+)'\]$")
RECORDED = {"type": "object", "properties": {"page": {"type": "number"}, "results": {"type": "array", "items": {}}}}
ERROR_REF = {"$ref": "#/components/responses/Error"}

# A hand-picked sample of what a TMDB user would expect each operation to return.
EXPECTED = {
    ("get", "/3/movie/{movie_id}"): {"$ref": "#/components/schemas/MovieDetails"},
    ("get", "/3/movie/popular"): {"$ref": "#/components/schemas/MoviePage"},
    ("get", "/3/tv/{series_id}"): {"$ref": "#/components/schemas/TvSeriesDetails"},
    ("get", "/3/tv/{series_id}/season/{season_number}"): {"$ref": "#/components/schemas/Season"},
    ("get", "/3/person/{person_id}/combined_credits"): {"$ref": "#/components/schemas/PersonCombinedCredits"},
    ("get", "/3/search/multi"): {"$ref": "#/components/schemas/MediaPage"},
    ("get", "/3/trending/person/{time_window}"): {"$ref": "#/components/schemas/PersonPage"},
    ("get", "/3/movie/{movie_id}/watch/providers"): {"$ref": "#/components/schemas/WatchProviders"},
    ("get", "/3/certification/tv/list"): {"$ref": "#/components/schemas/CertificationList"},
    ("post", "/3/movie/{movie_id}/rating"): {"$ref": "#/components/schemas/StatusResponse"},
    ("get", "/3/configuration/countries"): {"type": "array", "items": {"$ref": "#/components/schemas/Country"}},
    ("get", "/3/configuration/primary_translations"): {"type": "array", "items": {"type": "string"}},
    ("get", "/3/find/{external_id}"): {"$ref": "#/components/schemas/FindResults"},
    ("get", "/4/list/{list_id}"): {"$ref": "#/components/schemas/V4ListDetails"},
}
# Operations whose recorded response had no body at all.
BODILESS = {("get", "/3/find/{external_id}"), ("get", "/3/credit/{credit_id}"), ("get", "/3/configuration/jobs")}


def targets() -> list[tuple[str, str, str]]:
    found = []
    for action in load(FILE)["actions"][1:]:
        match = _TARGET.match(action["target"])
        assert match, f"not a path + method + status target: {action['target']}"
        found.append((match.group(2), match.group(1), match.group(3)))
    return found


def recorded_response(method: str, path: str) -> dict[str, Any]:
    if (method, path) in BODILESS:
        return {"description": "recorded without a body"}
    media = {"schema": RECORDED, "examples": {"Recorded": {"value": {"page": 1, "results": []}}}}
    return {"description": "recorded", "content": {"application/json": media}}


def tiny_document() -> dict[str, Any]:
    """One operation per target, shaped as the docs record them, plus an error response."""
    paths: dict[str, Any] = {}
    for method, path, status in targets():
        responses = {status: recorded_response(method, path), "401": ERROR_REF}
        paths.setdefault(path, {})[method] = {"operationId": f"{method} {path}", "responses": responses}
    return {"openapi": "3.0.3", "info": {"title": "tiny", "version": "1"}, "paths": paths}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return apply(FILE, tiny_document())


def success_media(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    responses = document["paths"][path][method]["responses"]
    status = next(code for code in responses if code.startswith("2"))
    media = responses[status]["content"]["application/json"]
    assert isinstance(media, dict)
    return media


def test_every_operation_of_the_api_is_covered() -> None:
    assert len({(m, p) for m, p, _ in targets()}) == len(targets()) == 173


@pytest.mark.parametrize(("operation", "schema"), sorted(EXPECTED.items()))
def test_operations_return_the_component_a_user_would_expect(
    result: dict[str, Any], operation: tuple[str, str], schema: dict[str, Any]
) -> None:
    assert success_media(result, *operation)["schema"] == schema


def test_no_recorded_inline_schema_is_left_and_every_reference_is_declared(result: dict[str, Any]) -> None:
    declared = set().union(*(declared_by(name) for name in COMPONENT_FILES))
    for method, path, _ in targets():
        schema = success_media(result, method, path)["schema"]
        ref = schema.get("$ref") or schema.get("items", {}).get("$ref", "#/components/schemas/<plain>")
        assert set(schema) in ({"$ref"}, {"type", "items"}), (method, path, schema)
        name = ref.removeprefix("#/components/schemas/")
        assert name == "<plain>" or name in declared, (method, path, name)


def test_recorded_examples_and_error_responses_stay(result: dict[str, Any]) -> None:
    movie = result["paths"]["/3/movie/{movie_id}"]["get"]["responses"]
    assert movie["200"]["content"]["application/json"]["examples"] == {"Recorded": {"value": {"page": 1, "results": []}}}
    assert movie["401"] == ERROR_REF
    assert movie["200"]["description"] == "recorded"
