"""Golden cases: the four authentication responses of the seeds, read field by field as a user would.

The expected values are the seeds' recorded ones (/work/shared/seeds 000, 001, 003; the guest
session from its docs page); the server answers with the example the final spec holds for the
operation, so these tests also prove the docs, the overlays and the generated models agree on them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dateutil import parser as dateparser
from openapi_core import OpenAPI
from pytest_httpserver import HTTPServer
from tmdb_generated.client import AuthenticatedClient

from .arguments import call_arguments, request_to_replay
from .catalog import ResponseExample, final_spec, operations, response_examples
from .exchange import captured, check_request, check_response, serve
from .naming import endpoint_module

V4_REQUEST_TOKEN = (
    "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIxMzk5ZTI4YjczZjA4M2U0ZTQzMmZmYzUxOTc1YWFmYSIsIm5iZiI6MTc0MDk5MjcyMS4zMDg3Mj"
    "MsImp0aSI6IjY3YzU3MGQxNjQ1ZDZjMmVjNTRhOWFhNiIsInNjb3BlcyI6WyJwZW5kaW5nX3JlcXVlc3RfdG9rZW4iXSwidmVyc2lvbiI6Miwi"
    "ZXhwIjoxNzQwOTkzNjIxLCJyZWRpcmVjdF90byI6Imh0dHBzOi8vd3d3LnRoZW1vdmllZGIub3JnLyJ9."
)
V4_ACCESS_TOKEN = (
    "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIxMzk5ZTI4YjczZjA4M2U0ZTQzMmZmYzUxOTc1YWFmYSIsIm5iZiI6MTc0MDk5MzE2NC45MjI4NzQyLC"
    "JqdGkiOiI2N2M1NzBkMTY0NWQ2YzJlYzU0YTlhYTYiLCJzdWIiOiI2NzZhOTUwYmY2OGRjMTE4Zjc3ZWNjMmEiLCJzY29wZXMiOlsiYXBpX3Jl"
    "YWQiLCJhcGlfd3JpdGUiXSwidmVyc2lvbiI6Mn0.zVFZWfs3wz25844GjtZh41x9J4-8r_-xJRppJr2ehsadQ"
)


def the_example(method: str, path: str) -> ResponseExample:
    matches = [op for op in operations(final_spec()) if (op.method, op.path) == (method, path)]
    assert len(matches) == 1, f"{method.upper()} {path}: {len(matches)} operations in the final spec"
    examples = response_examples(matches[0])
    assert len(examples) == 1, f"{matches[0].label}: {len(examples)} recorded examples, expected the seed's one"
    return examples[0]


def replay(
    method: str, path: str, server: HTTPServer, openapi: OpenAPI, client: AuthenticatedClient
) -> tuple[Any, Any]:
    """Call the operation over HTTP with its recorded request; return (parsed result, request body sent)."""
    example = the_example(method, path)
    operation, recorded = example.operation, request_to_replay(example.operation)
    module = endpoint_module(operation)
    serve(server, operation, recorded, int(example.status), example.value)
    result = module.sync_detailed(client=client, **call_arguments(operation, recorded, module.sync_detailed))
    got, answered = captured(server)
    check_request(openapi, operation, recorded, got)
    check_response(openapi, operation, got, answered)
    assert int(result.status_code) == int(example.status)
    return result.parsed, (got.get_json() if got.get_data() else None)


def utc(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_seed_000_v3_create_request_token(
    httpserver: HTTPServer, contract_openapi: OpenAPI, sync_client: AuthenticatedClient
) -> None:
    token, _ = replay("get", "/3/authentication/token/new", httpserver, contract_openapi, sync_client)
    assert token.success is True
    assert token.request_token == "4f7c18709930e20d192979ef7fd499bd882380a6"
    assert dateparser.parse(token.expires_at) == utc(2024, 12, 26, 14, 43, 54)


def test_seed_v3_create_guest_session(
    httpserver: HTTPServer, contract_openapi: OpenAPI, sync_client: AuthenticatedClient
) -> None:
    session, _ = replay("get", "/3/authentication/guest_session/new", httpserver, contract_openapi, sync_client)
    assert session.success is True
    assert session.guest_session_id == "06c573143fb88ce7e8bf52a05a77109f"
    assert dateparser.parse(session.expires_at) == utc(2024, 12, 27, 13, 40, 52)


def test_seed_001_v4_create_request_token(
    httpserver: HTTPServer, contract_openapi: OpenAPI, sync_client: AuthenticatedClient
) -> None:
    token, sent = replay("post", "/4/auth/request_token", httpserver, contract_openapi, sync_client)
    assert sent == {"redirect_to": "https://www.themoviedb.org/"}
    assert token.success is True
    assert token.status_code == 1 and type(token.status_code) is int
    assert token.status_message == "Success."
    assert token.request_token == V4_REQUEST_TOKEN + "dnITyB2RQO4UbilSqTJzFt9XZ-SYxovjqSVlSDI4DIg"


def test_seed_003_v4_create_access_token(
    httpserver: HTTPServer, contract_openapi: OpenAPI, sync_client: AuthenticatedClient
) -> None:
    access, sent = replay("post", "/4/auth/access_token", httpserver, contract_openapi, sync_client)
    assert sent == {"request_token": V4_REQUEST_TOKEN + "dnITyB2RQO4UbilSqTJzFt9XZ-SYxovjqdjfeyewhFqrf"}
    assert access.success is True
    assert access.status_code == 1 and type(access.status_code) is int
    assert access.status_message == "Success."
    assert access.access_token == V4_ACCESS_TOKEN
    assert access.account_id == "676a950bf68dehye3u9120"
