"""Fixtures of the tolerance suite (issue 11), and its summary line at the end of the run."""

from __future__ import annotations

import pytest

from tests.reliability.conftest import client_for  # noqa: F401 - the sync/async TMDB clients on a local server
from tests.tolerance.tally import GENERATED, OPERATIONS, PASSED


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


def pytest_unconfigure(config: pytest.Config) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if not GENERATED or reporter is None:
        return
    cases = ", ".join(f"{name} {PASSED[name]}/{GENERATED[name]}" for name in sorted(GENERATED))
    reporter.write_line(
        f"tolerance: {sum(PASSED.values())} of {sum(GENERATED.values())} generated cases over {len(OPERATIONS)}"
        f" operations parsed and round-tripped (generated function, TMDB, AsyncTMDB): {cases}"
    )
