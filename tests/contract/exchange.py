"""One recorded exchange replayed over HTTP: the local server answers, the generated function calls.

The server (pytest-httpserver on 127.0.0.1) expects exactly the recorded method and path, answers
with the recorded status and body, and keeps the request it got, which is then held to the
recorded request and to the final spec.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from openapi_core import OpenAPI
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from .arguments import RecordedRequest, json_text
from .catalog import Operation
from .jsoncheck import assert_same_json
from .validation import request_errors, response_errors

DUMMY_TOKEN = "contract-test-token"


def request_path(operation: Operation, request: RecordedRequest) -> str:
    """The path the server must see (decoded, as werkzeug reports it)."""
    path = operation.path
    for name, value in request.path.items():
        path = path.replace("{" + name + "}", json_text(value))
    return path


def serve(
    server: HTTPServer,
    operation: Operation,
    request: RecordedRequest,
    status: int,
    body: Any,
    headers: Mapping[str, str] | None = None,
) -> None:
    server.expect_oneshot_request(request_path(operation, request), method=operation.method.upper()).respond_with_data(
        json.dumps(body), status=status, headers=dict(headers or {}), content_type="application/json"
    )


def captured(server: HTTPServer) -> tuple[Request, Response]:
    server.check_assertions()  # the server saw no request it did not expect
    assert len(server.log) == 1, f"the server got {len(server.log)} requests, expected 1"
    return server.log[0]


def check_request(openapi: OpenAPI, operation: Operation, recorded: RecordedRequest, got: Request) -> None:
    """The request that reached the server is the recorded one, and valid for the final spec."""
    errors = request_errors(openapi, got)
    assert not errors, f"{operation.label}: the request the client sent breaks the final spec:\n" + "\n".join(errors)
    sent_query = {name: ",".join(got.args.getlist(name)) for name in got.args}
    recorded_query = {name: _query_text(value) for name, value in recorded.expected_query.items()}
    assert sent_query == recorded_query, f"{operation.label}: query sent {sent_query}, recorded {recorded_query}"
    assert got.headers.get("Authorization") == f"Bearer {DUMMY_TOKEN}", f"{operation.label}: no bearer token sent"
    if recorded.has_body:
        assert_same_json(recorded.body, json.loads(got.get_data()), f"{operation.label}: the request body sent")
    else:
        assert not got.get_data(), f"{operation.label}: a body was sent, none recorded"


def check_response(openapi: OpenAPI, operation: Operation, got: Request, answered: Response) -> None:
    errors = response_errors(openapi, got, answered)
    assert not errors, f"{operation.label}: the recorded response breaks the final spec:\n" + "\n".join(errors)


def _query_text(value: Any) -> str:
    return ",".join(json_text(v) for v in value) if isinstance(value, list) else json_text(value)


def as_json(parsed: Any) -> Any:
    """A parsed result back as JSON: models through their to_dict(), lists item by item."""
    if isinstance(parsed, list):
        return [as_json(item) for item in parsed]
    if hasattr(parsed, "to_dict"):
        return parsed.to_dict()
    return parsed
