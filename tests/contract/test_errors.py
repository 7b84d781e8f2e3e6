"""TMDB's error bodies, as TMDB sends them, reach the user as the shared `Error` model.

TMDB answers errors with {"success": false, "status_code": N, "status_message": "..."}; the final
spec declares that body (components/schemas/Error) on every operation, so the generated layer
must parse it, with `status_code` an integer, for every operation.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from openapi_core import OpenAPI
from pytest_httpserver import HTTPServer
from tmdb_generated.client import AuthenticatedClient

from .arguments import call_arguments, request_to_replay, resolve
from .catalog import Operation, final_spec, operations
from .exchange import captured, check_response, serve
from .naming import endpoint_module

ERROR_SCHEMA = "#/components/schemas/Error"
# (HTTP status, TMDB status_code, status_message, extra headers) as TMDB sends them (see TMDB-FACTS.md).
TMDB_ERRORS = [
    (401, 7, "Invalid API key: You must be granted a valid key.", {}),
    (404, 34, "The resource you requested could not be found.", {}),
    (429, 25, "Your request count (#) is over the allowed limit of (40).", {"Retry-After": "10"}),
]
OPERATIONS = operations(final_spec())


def error_schema_ref(spec: dict[str, Any], operation: Operation, status: int) -> str | None:
    """The $ref of the JSON schema the operation declares for `status`, if any."""
    responses = operation.spec.get("responses") or {}
    declared = responses.get(str(status), responses.get("default"))
    if declared is None:
        return None
    media = (resolve(spec, declared).get("content") or {}).get("application/json") or {}
    ref = (media.get("schema") or {}).get("$ref")
    return ref if isinstance(ref, str) else None


def error_model() -> Any:
    try:
        return importlib.import_module("tmdb_generated.models").Error
    except AttributeError as exc:
        raise AssertionError("the generated package has no `Error` model (components/schemas/Error)") from exc


@pytest.mark.parametrize("status", [status for status, *_ in TMDB_ERRORS])
def test_error_response_declared_on_every_operation(status: int) -> None:
    spec = final_spec()
    undeclared = [op.label for op in OPERATIONS if error_schema_ref(spec, op, status) != ERROR_SCHEMA]
    assert not undeclared, f"{len(undeclared)} operations do not declare HTTP {status} as {ERROR_SCHEMA}: {undeclared}"


@pytest.mark.parametrize(("status", "code", "message", "headers"), TMDB_ERRORS, ids=[str(e[0]) for e in TMDB_ERRORS])
def test_error_body_parsed_for_every_operation(
    status: int,
    code: int,
    message: str,
    headers: dict[str, str],
    spec: dict[str, Any],
    httpserver: HTTPServer,
    contract_openapi: OpenAPI,
    sync_client: AuthenticatedClient,
) -> None:
    body = {"success": False, "status_code": code, "status_message": message}
    model = error_model()
    failures = []
    for operation in OPERATIONS:
        httpserver.clear()
        try:
            recorded = request_to_replay(operation)
            module = endpoint_module(operation)
            serve(httpserver, operation, recorded, status, body, headers)
            result = module.sync_detailed(
                client=sync_client, **call_arguments(operation, recorded, module.sync_detailed)
            )
            got, answered = captured(httpserver)
            check_response(contract_openapi, operation, got, answered)
            error = result.parsed
            assert isinstance(error, model), f"parsed as {type(error).__name__}, not Error"
            assert error.success is False and error.status_message == message
            assert error.status_code == code and type(error.status_code) is int, f"status_code {error.status_code!r}"
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure into one report
            failures.append(f"{operation.label}: {str(exc).splitlines()[0][:200]}")
    assert not failures, (
        f"HTTP {status} (TMDB code {code}) not parsed into Error by {len(failures)} operations:\n" + "\n".join(failures)
    )
