"""Fixtures of the tolerance suite (issue 11); its summary line is added up in tests/summary_lines.py."""

from __future__ import annotations

import pytest

from tests.reliability.conftest import client_for  # noqa: F401 - the sync/async TMDB clients on a local server


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)
