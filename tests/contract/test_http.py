"""Every recorded response example, replayed over real HTTP through the generated client, sync and async."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_core import OpenAPI
from pytest_httpserver import HTTPServer
from tmdb_generated.client import AuthenticatedClient

from .arguments import call_arguments, request_to_replay
from .catalog import ResponseExample, all_response_examples, final_spec
from .exchange import as_json, captured, check_request, check_response, serve
from .jsoncheck import assert_same_json
from .known_defects import RESPONSE_SCHEMA_DEFECTS, with_known_defects
from .naming import endpoint_module

EXAMPLES = all_response_examples(final_spec())
SYNC_CASES = with_known_defects(EXAMPLES, RESPONSE_SCHEMA_DEFECTS)  # only the sync test validates the response


def check_result(example: ResponseExample, result: Any) -> None:
    assert int(result.status_code) == int(example.status), f"{example.key}: status {result.status_code}"
    assert result.parsed is not None, f"{example.operation.label}: the generated layer parsed nothing"
    assert_same_json(example.value, as_json(result.parsed), f"{example.key}: the parsed result's to_dict()")


@pytest.mark.contract_http
@pytest.mark.parametrize("example", SYNC_CASES)
def test_sync(
    example: ResponseExample, httpserver: HTTPServer, contract_openapi: OpenAPI, sync_client: AuthenticatedClient
) -> None:
    operation, recorded = example.operation, request_to_replay(example.operation)
    module = endpoint_module(operation)
    kwargs = call_arguments(operation, recorded, module.sync_detailed)
    serve(httpserver, operation, recorded, int(example.status), example.value)
    result = module.sync_detailed(client=sync_client, **kwargs)
    got, answered = captured(httpserver)
    check_request(contract_openapi, operation, recorded, got)
    check_response(contract_openapi, operation, got, answered)
    check_result(example, result)


@pytest.mark.contract_http
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.key)
async def test_async(
    example: ResponseExample, httpserver: HTTPServer, contract_openapi: OpenAPI, async_client: AuthenticatedClient
) -> None:
    operation, recorded = example.operation, request_to_replay(example.operation)
    module = endpoint_module(operation)
    kwargs = call_arguments(operation, recorded, module.asyncio_detailed)
    serve(httpserver, operation, recorded, int(example.status), example.value)
    result = await module.asyncio_detailed(client=async_client, **kwargs)
    got, _ = captured(httpserver)
    check_request(contract_openapi, operation, recorded, got)
    check_result(example, result)
