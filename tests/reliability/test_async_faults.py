"""The async twin meets the same faults: the same typed errors, bounds and redaction as the sync client."""

from __future__ import annotations

import asyncio
import traceback

import pytest

from tests.reliability import runtime_api as rt
from tests.reliability.conftest import HANG_LIMIT
from tests.reliability.fault_catalogue import MORE_ERROR_PATHS, TRANSPORT_FAULTS
from tests.reliability.fault_server import Fault, refused_url

RATE_LIMITED_AN_HOUR = MORE_ERROR_PATHS["429 Retry-After an hour"]


async def outcome(base_url: str, call=rt.movie_details):
    """The error an async call ends in (the test fails on a hang or on success)."""
    client = rt.make_client(base_url, asynchronous=True)
    try:
        with pytest.raises(rt.TMDBError) as caught:
            await asyncio.wait_for(call(client), HANG_LIMIT)
        return caught.value
    finally:
        await client.aclose()


def assert_clean(error: BaseException) -> None:
    text = str(error) + repr(error) + "".join(traceback.format_exception(error))
    assert not [secret for secret in rt.SECRETS if secret in text], text


@pytest.mark.parametrize("name", list(TRANSPORT_FAULTS))
async def test_fault_ends_in_typed_error(name, serve):
    case = TRANSPORT_FAULTS[name]
    server = serve(*case.script)
    error = await outcome(server.base_url)
    assert isinstance(error, case.error), f"{name}: {type(error).__name__}: {error}"
    assert any(op in str(error) for op in rt.OPERATION_NAMES), str(error)
    assert 1 <= server.hits <= case.max_hits
    assert_clean(error)


async def test_connection_refused(serve):
    error = await outcome(refused_url())
    assert isinstance(error, rt.ConnectionError)


async def test_retry_after_an_hour_is_handed_to_the_caller(serve):
    server = serve(*RATE_LIMITED_AN_HOUR, Fault())
    error = await outcome(server.base_url)
    assert isinstance(error, rt.RateLimitError) and error.retry_after == 3600
    assert server.hits == 1


async def test_session_call_error_shows_no_secret(serve):
    server = serve(Fault(status=401, body=b'{"status_code": 3, "status_message": "Authentication failed"}'))
    error = await outcome(server.base_url, rt.account_details)
    assert isinstance(error, rt.AuthenticationError)
    assert_clean(error)
