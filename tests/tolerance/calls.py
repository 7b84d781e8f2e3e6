"""One response body through the three ways a caller gets it: the generated function, TMDB and AsyncTMDB,
each against a local server (127.0.0.1) that answers every request with that body."""

from __future__ import annotations

import asyncio
import json
import re
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pytest_httpserver import HTTPServer
from tmdb_generated.client import AuthenticatedClient
from werkzeug import Response

from tests.reliability import runtime_api as rt
from tests.reliability import spec_index
from tests.reliability.conftest import HANG_LIMIT, bounded


def as_json(parsed: Any) -> Any:
    """A parsed response back to plain JSON data (models through their to_dict)."""
    if hasattr(parsed, "to_dict"):
        return parsed.to_dict()
    if isinstance(parsed, list):
        return [as_json(item) for item in parsed]
    if isinstance(parsed, dict):
        return {key: as_json(value) for key, value in parsed.items()}
    return parsed


def call_arguments(op: spec_index.Operation) -> dict[str, Any]:
    """Values for the path parameters and required query parameters of `op`."""
    samples = {"integer": 1, "number": 1, "boolean": False}
    args = {}
    for param in op.parameters:
        if param.get("in") == "path" or (param.get("in") == "query" and param.get("required")):
            schema = param.get("schema") or {}
            args[param["name"]] = (schema.get("enum") or [samples.get(schema.get("type"), "x")])[0]
    return args


def _body_model(op: spec_index.Operation) -> Any:
    """The model class the generated function takes as `body` (None when it takes none)."""
    hints = typing.get_type_hints(spec_index.module_for(op).sync_detailed)
    hint = hints.get("body")
    if hint is None:
        return None
    candidates = [hint, *typing.get_args(hint)]
    return next(c for c in candidates if hasattr(c, "from_dict"))


@dataclass
class Callers:
    """The three callers, on one local server; `serve(op, body)` sets what the server answers next."""

    state: dict[str, Any]
    generated: AuthenticatedClient
    sync: Any
    asynchronous: Any
    loop: asyncio.AbstractEventLoop

    def serve(self, op: spec_index.Operation, body: Any) -> None:
        self.state.update(status=int(op.success_status), body=json.dumps(body).encode())

    def via_generated(self, op: spec_index.Operation, request: dict[str, Any]) -> Any:
        module = spec_index.module_for(op)
        kwargs = dict(call_arguments(op))
        if "body" in request:
            kwargs["body"] = _body_model(op).from_dict(request["body"])
        response = bounded(lambda: module.sync_detailed(client=self.generated, **kwargs))
        assert response.status_code == int(op.success_status), response
        return response.parsed

    def via_tmdb(self, op: spec_index.Operation, request: dict[str, Any]) -> Any:
        method = rt.bound_operation(self.sync, op.tag, op.operation_id)
        return bounded(lambda: method(**call_arguments(op), **request))

    def via_async_tmdb(self, op: spec_index.Operation, request: dict[str, Any]) -> Any:
        method = rt.bound_operation(self.asynchronous, op.tag, op.operation_id)
        return self.loop.run_until_complete(asyncio.wait_for(method(**call_arguments(op), **request), HANG_LIMIT))

    def all_three(self, op: spec_index.Operation, body: Any, request: dict[str, Any]) -> list[Any]:
        """What each caller returns for `body`: the generated function's parse, TMDB's and AsyncTMDB's."""
        self.serve(op, body)
        return [self.via_generated(op, request), self.via_tmdb(op, request), self.via_async_tmdb(op, request)]


@contextmanager
def callers() -> Iterator[Callers]:
    """A local server (127.0.0.1) answering every request with the served body, and the three callers on it."""
    state: dict[str, Any] = {"status": 200, "body": b"{}"}
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request(re.compile(".*")).respond_with_handler(
        lambda request: Response(state["body"], status=state["status"], content_type="application/json")
    )
    server.start()
    base_url = server.url_for("/").rstrip("/")
    loop = asyncio.new_event_loop()
    sync = rt.make_client(base_url)
    asynchronous = rt.make_client(base_url, asynchronous=True)
    generated = AuthenticatedClient(base_url=base_url, token=rt.ACCESS_TOKEN)
    try:
        with generated:
            yield Callers(state, generated, sync, asynchronous, loop)
    finally:
        sync.close()
        loop.run_until_complete(asynchronous.aclose())
        loop.close()
        server.stop()


def minimal_body(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> Any:
    """A request body with only its required fields, each its documented example (or a plain value)."""
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "example" in schema:
        return schema["example"]
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {name: minimal_body(spec, properties[name]) for name in schema.get("required") or ()}
    return {"integer": 1, "number": 8.5, "boolean": True, "array": [], "string": "x"}.get(schema.get("type"), "x")
