"""Storms of 429: retries stay within their bounds and the caller gets the wait, promptly."""

from __future__ import annotations

import json
import time
from email.utils import formatdate

import pytest

from tests.reliability import bodies
from tests.reliability import runtime_api as rt
from tests.reliability.conftest import bounded
from tests.reliability.fault_server import Fault

LIMITED = bodies.error(25, "Your request count (41) is over the allowed limit of 40.")
MOVIE = json.dumps(bodies.movie()).encode()


def too_many(retry_after: str | None) -> Fault:
    headers = [("Content-Type", "application/json;charset=utf-8")]
    if retry_after is not None:
        headers.append(("Retry-After", retry_after))
    return Fault(status=429, headers=tuple(headers), body=LIMITED)


def hour_from_now() -> str:
    return formatdate(time.time() + 3600, usegmt=True)


class Waits:
    """The retry layer's clock seam: records each wait instead of sleeping; the jitter is fixed at 0.5."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def clock(self) -> rt.Clock:
        return rt.Clock(
            monotonic=lambda: self.now,
            wall=lambda: time.time() + self.now,
            sleep=self.sleep,
            async_sleep=self.async_sleep,
            random=lambda: 0.5,
        )


# rt.RETRY's backoff (base 0.02 s, cap 0.1 s) before attempts 2 and 3 with random() = 0.5: 3/4 of 0.02, of 0.04.
BACKOFF = [0.015, 0.03]


@pytest.mark.parametrize(
    "retry_after", [None, "0", "1", "soon"], ids=["no Retry-After", "Retry-After 0", "Retry-After 1", "unparsable"]
)
def test_endless_429_ends_in_rate_limit_error(retry_after, serve, client_for):
    server = serve(too_many(retry_after))
    waits = Waits()
    client = client_for(server.base_url, clock=waits.clock())
    with pytest.raises(rt.RateLimitError) as caught:
        bounded(lambda: rt.movie_details(client))
    error = caught.value
    assert server.hits == rt.MAX_ATTEMPTS  # every attempt the policy allows, and not one more
    if retry_after in ("0", "1"):
        assert waits.sleeps == [float(retry_after)] * (rt.MAX_ATTEMPTS - 1)  # TMDB's wait, not the backoff
    else:  # no usable Retry-After: the policy's own backoff
        assert waits.sleeps == pytest.approx(BACKOFF)
    assert error.status_code == 25  # TMDB's code, kept from the body
    if retry_after in ("0", "1"):
        assert error.retry_after == float(retry_after)
    text = str(error)
    assert any(name in text for name in rt.OPERATION_NAMES) and "429" in text, text


@pytest.mark.parametrize("retry_after", ["3600", "http-date"], ids=["seconds", "HTTP date"])
def test_retry_after_an_hour_is_handed_to_the_caller_not_waited(retry_after, serve, client_for):
    value = hour_from_now() if retry_after == "http-date" else retry_after
    server = serve(too_many(value), Fault(body=MOVIE))
    client = client_for(server.base_url)
    with pytest.raises(rt.RateLimitError) as caught:
        bounded(lambda: rt.movie_details(client), limit=5.0)  # an hour's wait would be a hang
    assert server.hits == 1, "a wait beyond the cap is not retried"
    assert 3590 <= caught.value.retry_after <= 3600


def test_429_then_success_is_one_call(serve, client_for):
    server = serve(too_many("0"), too_many(None), Fault(body=MOVIE))
    waits = Waits()
    client = client_for(server.base_url, clock=waits.clock())
    result = bounded(lambda: rt.movie_details(client))
    assert rt.field(result, "id") == 550
    assert server.hits == 3
    assert waits.sleeps == pytest.approx([0.0, BACKOFF[1]])  # Retry-After 0, then the second backoff


def test_storm_over_many_calls_stays_bounded(serve, client_for):
    """Twenty callers in a row during a storm: each gets its error; total attempts stay bounded."""
    server = serve(too_many("0"))
    waits = Waits()
    client = client_for(server.base_url, clock=waits.clock())
    for _ in range(20):
        with pytest.raises(rt.RateLimitError):
            bounded(lambda: rt.movie_details(client))
    assert server.hits == 20 * rt.MAX_ATTEMPTS
    assert waits.sleeps == [0.0] * (20 * (rt.MAX_ATTEMPTS - 1))
