"""Fixtures the transport tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.transport.proxy_support import ForwardProxy


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    """A forwarding HTTP proxy on 127.0.0.1 (absolute-form requests and CONNECT), closed after the test."""
    server = ForwardProxy()
    yield server
    server.close()
