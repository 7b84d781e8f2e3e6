"""Properties: response bodies generated from the final spec's schemas, strict and loose.

- A body exactly as documented parses, and serialising the result gives the same body back.
- A body as loose as TMDB's real ones (nulls in optional fields, undocumented fields and enum
  values) either parses and round-trips through the model, or -- called through the client --
  raises the client's own parse error naming the operation; never a bare error from a model.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tmdb_generated.client import Client
from werkzeug import Response

from tests.reliability import runtime_api as rt
from tests.reliability import spec_index
from tests.reliability.schema_strategies import LOOSE, STRICT, SchemaStrategies

PARSED_OPERATIONS = [op for op in spec_index.operations() if op.success_schema is not None]
PROPERTY_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
OFFLINE = Client(base_url="http://127.0.0.1:9")  # _parse_response only reads its settings


def as_json(parsed: Any) -> Any:
    """A parsed response back to plain JSON data (models through their to_dict)."""
    if hasattr(parsed, "to_dict"):
        return parsed.to_dict()
    if isinstance(parsed, list):
        return [as_json(item) for item in parsed]
    if isinstance(parsed, dict):
        return {key: as_json(value) for key, value in parsed.items()}
    return parsed


def reparse(parsed: Any) -> Any:
    if hasattr(parsed, "to_dict"):
        return type(parsed).from_dict(parsed.to_dict())
    if isinstance(parsed, list):
        return [reparse(item) for item in parsed]
    return parsed


def parse_with_model(op: spec_index.Operation, body: Any) -> Any:
    response = httpx.Response(int(op.success_status), json=body)
    return spec_index.module_for(op)._parse_response(client=OFFLINE, response=response)


def bodies_for(op: spec_index.Operation, looseness) -> st.SearchStrategy[Any]:
    return SchemaStrategies(spec_index.load_spec(), looseness).for_schema(op.success_schema, op.operation_id)


def request_bodies_for(op: spec_index.Operation) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments carrying a documented request body (none when the operation takes none)."""
    if op.body_schema is None:
        return st.just({})
    where = f"{op.operation_id} request body"
    return SchemaStrategies(spec_index.load_spec(), STRICT).for_schema(op.body_schema, where).map(lambda b: {"body": b})


@pytest.mark.parametrize("op", PARSED_OPERATIONS, ids=lambda op: op.operation_id)
def test_documented_body_parses_and_round_trips(op):
    @PROPERTY_SETTINGS
    @given(body=bodies_for(op, STRICT))
    def check(body: Any) -> None:
        assert as_json(parse_with_model(op, body)) == body

    check()


def expected_error(body: Any) -> type[Exception]:
    """A body the model refuses: TMDB's error-with-HTTP-200 (`success: false` and a status_code, as for
    codes 21 and 40) is an APIError; anything else a parse error."""
    if isinstance(body, dict) and body.get("success") is False and type(body.get("status_code")) is int:
        return rt.APIError
    return rt.ResponseError


def call_arguments(op: spec_index.Operation) -> dict[str, Any]:
    """Values for the path parameters and required query parameters of `op`."""
    samples = {"integer": 1, "number": 1, "boolean": False}
    args = {}
    for param in op.parameters:
        if param.get("in") == "path" or (param.get("in") == "query" and param.get("required")):
            schema = param.get("schema") or {}
            args[param["name"]] = (schema.get("enum") or [samples.get(schema.get("type"), "x")])[0]
    return args


@pytest.mark.parametrize("op", PARSED_OPERATIONS, ids=lambda op: op.operation_id)
def test_loose_body_parses_or_raises_the_clients_error(op, httpserver, client_for):
    """Every operation, each method: POST/PUT/DELETE ones send a documented request body too."""
    served: dict[str, bytes] = {}
    httpserver.expect_request(re.compile(".*")).respond_with_handler(
        lambda request: Response(served["body"], status=int(op.success_status), content_type="application/json")
    )
    client = client_for(httpserver.url_for("/").rstrip("/"))
    method = rt.bound_operation(client, op.tag, op.operation_id)
    args = call_arguments(op)

    @PROPERTY_SETTINGS
    @given(body=bodies_for(op, LOOSE), request=request_bodies_for(op))
    def check(body: Any, request: dict[str, Any]) -> None:
        served["body"] = json.dumps(body).encode()
        try:
            parsed = parse_with_model(op, body)
        except Exception:  # noqa: BLE001 - the model refuses it: the client must say so in its own words
            with pytest.raises(expected_error(body)) as caught:
                method(**args, **request)
            assert any(name in str(caught.value) for name in rt.operation_names(op)), str(caught.value)
        else:
            assert reparse(parsed) == parsed
            assert as_json(method(**args, **request)) == as_json(parsed)

    check()
