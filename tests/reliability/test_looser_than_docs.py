"""TMDB's data is looser than its docs: nulls, missing fields, fields and enum values never documented.

Served by pytest-httpserver (well-formed HTTP, the body is the fault). A documented null is parsed;
a missing required field is either tolerated or a typed error naming the operation and the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.reliability import bodies, spec_index
from tests.reliability import runtime_api as rt
from tests.reliability.conftest import bounded

Call = Callable[[Any], Any]
# (what TMDB sent, the call, the body) -- nulls and "" that real responses carry (TMDB-FACTS.md).
LOOSE_VALUES: dict[str, tuple[str, str, Call, dict[str, Any]]] = {
    "movie poster_path null": ("/3/movie/550", "poster_path", rt.movie_details, bodies.movie(poster_path=None)),
    "movie backdrop_path null": ("/3/movie/550", "backdrop_path", rt.movie_details, bodies.movie(backdrop_path=None)),
    "movie belongs_to_collection null": (
        "/3/movie/550",
        "belongs_to_collection",
        rt.movie_details,
        bodies.movie(belongs_to_collection=None),
    ),
    "movie homepage null": ("/3/movie/550", "homepage", rt.movie_details, bodies.movie(homepage=None)),
    "movie imdb_id null": ("/3/movie/550", "imdb_id", rt.movie_details, bodies.movie(imdb_id=None)),
    "movie runtime null": ("/3/movie/550", "runtime", rt.movie_details, bodies.movie(runtime=None)),
    "movie release_date empty": ("/3/movie/550", "release_date", rt.movie_details, bodies.movie(release_date="")),
    "movie vote_average whole": ("/3/movie/550", "vote_average", rt.movie_details, bodies.movie(vote_average=8)),
    "person birthday null": ("/3/person/287", "birthday", rt.person_details, bodies.person(birthday=None)),
    "person profile_path null": ("/3/person/287", "profile_path", rt.person_details, bodies.person(profile_path=None)),
    "person place_of_birth null": (
        "/3/person/287",
        "place_of_birth",
        rt.person_details,
        bodies.person(place_of_birth=None),
    ),
    "company logo_path null": ("/3/company/1", "logo_path", rt.company_details, bodies.company(logo_path=None)),
    "company parent_company null": ("/3/company/1", "parent_company", rt.company_details, bodies.company()),
}


@pytest.mark.parametrize("case", list(LOOSE_VALUES))
def test_looser_value_is_parsed(case, httpserver, client_for):
    path, name, call, body = LOOSE_VALUES[case]
    httpserver.expect_request(path).respond_with_json(body)
    client = client_for(httpserver.url_for("/").rstrip("/"))
    result = bounded(lambda: call(client))
    value = rt.field(result, name)
    sent = body[name]
    if sent is None:
        assert value is None
    elif sent == "":
        assert value in ("", None)
    else:
        assert value == sent


def test_null_nested_list_is_parsed(httpserver, client_for):
    """`genres: null` once raised TypeError deep in from_dict (issue 3)."""
    httpserver.expect_request("/3/movie/550").respond_with_json(bodies.movie(genres=None, production_companies=None))
    client = client_for(httpserver.url_for("/").rstrip("/"))
    result = bounded(lambda: rt.movie_details(client))
    assert rt.field(result, "genres") in (None, [])


def test_wrongly_typed_nullable_list_is_named(httpserver, client_for):
    """A list TMDB may send as null must still reject items of the wrong type, naming the operation."""
    httpserver.expect_request("/3/movie/550").respond_with_json(bodies.movie(genres=[5]))
    client = client_for(httpserver.url_for("/").rstrip("/"))
    with pytest.raises(rt.ResponseError) as caught:
        bounded(lambda: rt.movie_details(client))
    assert any(name in str(caught.value) for name in rt.OPERATION_NAMES), str(caught.value)


def test_unknown_fields_and_enum_values_are_kept(httpserver, client_for):
    body = bodies.movie(status="Reshooting", zz_new_field={"nested": [1, 2]}, zz_flag=True)
    body["belongs_to_collection"]["zz_inner"] = "kept"
    httpserver.expect_request("/3/movie/550").respond_with_json(body)
    client = client_for(httpserver.url_for("/").rstrip("/"))
    result = bounded(lambda: rt.movie_details(client))
    assert rt.field(result, "status") == "Reshooting"
    assert rt.extra_fields(result) == {"zz_new_field": {"nested": [1, 2]}, "zz_flag": True}
    assert rt.extra_fields(rt.field(result, "belongs_to_collection")) == {"zz_inner": "kept"}
    assert result.to_dict() == body  # nothing lost on the way back out


def _required_movie_fields() -> list[str]:
    for op in spec_index.operations():
        if op.key == ("get", "/3/movie/{movie_id}") and op.success_schema is not None:
            schema = spec_index._resolve(spec_index.load_spec(), op.success_schema)
            return sorted(schema.get("required") or [])
    return []


@pytest.mark.parametrize("missing", _required_movie_fields() or ["<none marked required>"])
def test_missing_required_field_is_tolerated_or_named(missing, httpserver, client_for):
    if missing.startswith("<"):
        pytest.skip("the final spec marks no field of movie details required")
    body = bodies.movie()
    del body[missing]
    httpserver.expect_request("/3/movie/550").respond_with_json(body)
    client = client_for(httpserver.url_for("/").rstrip("/"))
    try:
        result = bounded(lambda: rt.movie_details(client))
    except rt.TMDBError as error:
        assert isinstance(error, rt.ResponseError), f"{type(error).__name__}: {error}"
        text = str(error)
        assert any(name in text for name in rt.OPERATION_NAMES) and missing in text, text
    else:
        assert rt.field(result, missing) in (None, rt.UNSET)
