"""Fixtures of the contract suite; each over-HTTP test is marked for the summary line (tests/summary_lines.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from openapi_core import OpenAPI
from pytest_httpserver import HTTPServer
from tmdb_generated.client import AuthenticatedClient

from tests.summary_lines import HTTP_CASE  # the root conftest's summary counts the tests carrying it

from .catalog import ResponseExample, final_spec
from .exchange import DUMMY_TOKEN
from .validation import local_openapi


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "contract_http: replays the `example` parameter over HTTP (counted in the summary)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("contract_http") and isinstance(item, pytest.Function):
            example = item.callspec.params["example"]
            assert isinstance(example, ResponseExample), f"{item.nodeid}: `example` is not a ResponseExample"
            item.user_properties.append((HTTP_CASE, (example.key, example.operation.operation_id)))


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return final_spec()


@pytest.fixture(scope="session")
def contract_openapi(make_httpserver: HTTPServer, spec: dict[str, Any]) -> OpenAPI:
    return local_openapi(spec, make_httpserver.url_for("/"))


@pytest.fixture(scope="session")
def sync_client(make_httpserver: HTTPServer) -> Iterator[AuthenticatedClient]:
    """One client for the session, as a user keeps one (and its keep-alive connection)."""
    client = AuthenticatedClient(base_url=make_httpserver.url_for("/").rstrip("/"), token=DUMMY_TOKEN)
    with client:
        yield client


@pytest.fixture
async def async_client(make_httpserver: HTTPServer) -> AsyncIterator[AuthenticatedClient]:
    """A client per test: an httpx.AsyncClient belongs to the event loop it was opened in."""
    client = AuthenticatedClient(base_url=make_httpserver.url_for("/").rstrip("/"), token=DUMMY_TOKEN)
    async with client:
        yield client
