"""Fixtures of the catalogue tests: the loopback stand-ins of catalogue_support, started per test."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from catalogue_support import ChangesHost, DetailsHost, ExportHost, Loopback


@pytest.fixture
def export_host() -> Iterator[ExportHost]:
    host = ExportHost()
    with host.loopback:
        yield host


@pytest.fixture
def changes_host() -> Iterator[tuple[ChangesHost, Loopback]]:
    host = ChangesHost()
    with Loopback(host.answer) as loopback:
        yield host, loopback


@pytest.fixture
def details_host() -> Iterator[tuple[DetailsHost, Loopback]]:
    host = DetailsHost()
    with Loopback(host.answer) as loopback:
        yield host, loopback
