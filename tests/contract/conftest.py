"""Fixtures of the contract suite, and its one-line summary at the end of the run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from openapi_core import OpenAPI
from pytest_httpserver import HTTPServer
from tmdb_generated.client import AuthenticatedClient

from .arguments import request_to_replay
from .catalog import ResponseExample, final_spec, operations, response_examples
from .exchange import DUMMY_TOKEN
from .validation import local_openapi

HTTP_CASE = "contract_http_case"  # user property: (example key, operation id) of an over-HTTP test


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


# --- the summary line --------------------------------------------------------------------

_checked: dict[str, str] = {}  # example key -> operation id, for every over-HTTP test that ran
_failed: set[str] = set()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    case = dict(report.user_properties).get(HTTP_CASE)
    if not isinstance(case, tuple):
        return
    key, operation_id = case
    if report.when == "call" or report.outcome != "passed":
        _checked[key] = operation_id
    if report.failed or hasattr(report, "wasxfail"):
        _failed.add(key)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _checked:
        return
    try:
        missing = [op.label for op in operations(final_spec()) if not response_examples(op)]
    except RuntimeError:
        missing = []
    terminalreporter.write_line(f"contract: operations without a recorded example ({len(missing)}):")
    for label in missing:
        terminalreporter.write_line(f"  {label}")
    derived = [(op.label, request_to_replay(op).derived) for op in operations(final_spec())]
    derived = [(label, names) for label, names in derived if names]
    if derived:
        terminalreporter.write_line("contract: parameters with no recorded value, sent with a value from their schema:")
        for label, names in derived:
            terminalreporter.write_line(f"  {label}: {', '.join(names)}")


def pytest_unconfigure(config: pytest.Config) -> None:
    """The one-line summary, last: after pytest's own summary, which comes after every summary hook."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if not _checked or reporter is None:
        return
    reporter.write_line(
        f"contract: {len(set(_checked.values()))} operations covered, {len(_checked)} examples checked over HTTP,"
        f" {len(_failed)} failed"
    )
