"""The limits of one call (issue 21): a deadline for the whole call and a cap on the body's size.

httpx's timeouts bound each step (connect, each read, each write) and restart with every byte, so a
server that drips one byte at a time holds a call forever; `RetryPolicy.max_total` only stops new
attempts. The deadline bounds everything a call does: its attempts, the body, backoff sleeps, the
Retry-After and rate-limit waits. The retry layer puts it on each request it sends, as an absolute
`time.monotonic()` (`request.extensions["tmdb_deadline"]`); the lean pools bound every blocking step by
it, httpx's own transports are bounded by `_proxies`, the rate limit does not start a wait that would
pass it, and the retry layer starts no attempt or sleep past it. The body cap travels the same way
(`request.extensions["tmdb_max_body"]`, decoded bytes); the pools stop reading there.

When the deadline is reached the call raises the runtime's TimeoutError (errors.transport_error),
whose message gives the deadline and the time spent.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

# request.extensions keys: the deadline as an absolute time.monotonic(), the seconds it was set to
# (for the error message), the decoded-body cap in bytes.
DEADLINE = "tmdb_deadline"
DEADLINE_SECONDS = "tmdb_deadline_seconds"
MAX_BODY = "tmdb_max_body"
# A timeout raised this close before the deadline was the deadline's (timers may fire a hair early).
_SLACK = 0.005


class DeadlineExceeded(httpx.TimeoutException):
    """The call's deadline is reached, or a wait would pass it: no retry, no further step."""


@dataclass(frozen=True, slots=True)
class CallLimits:
    """What the retry layer puts on each request: the deadline (seconds from the call's start) and the cap."""

    deadline: float | None = None
    max_body: int | None = None

    def apply(self, request: httpx.Request) -> None:
        extensions = request.extensions
        if self.deadline is not None:
            extensions[DEADLINE] = time.monotonic() + self.deadline
            extensions[DEADLINE_SECONDS] = self.deadline
        if self.max_body is not None:
            extensions[MAX_BODY] = self.max_body


NO_LIMITS = CallLimits()  # a RetryTransport made directly: no deadline, the pools' own cap


def remaining(request: httpx.Request) -> float | None:
    """Seconds left before the request's deadline (negative once passed), None when it has none."""
    deadline = request.extensions.get(DEADLINE)
    return None if deadline is None else deadline - time.monotonic()


def exceeded(request: httpx.Request, what: str) -> DeadlineExceeded:
    """The error for a step that cannot start (or go on) within the deadline; `what` says which."""
    return DeadlineExceeded(what, request=request)


def deadline_message(exc: Exception, request: httpx.Request) -> str | None:
    """'deadline of 1s for the whole call reached after 1.02s' (or 'would be passed' for a wait not
    started), when `exc` is the deadline's doing; None for anything else."""
    deadline = request.extensions.get(DEADLINE)
    if deadline is None or not isinstance(exc, httpx.TimeoutException):
        return None
    now = time.monotonic()
    if not isinstance(exc, DeadlineExceeded) and now < deadline - _SLACK:
        return None  # a step's own timeout, before the deadline
    seconds = request.extensions.get(DEADLINE_SECONDS, 0.0)
    spent = now - (deadline - seconds)
    if now < deadline:  # a wait that would end past it was not started
        return f"deadline of {seconds:g}s for the whole call would be passed ({spent:.2f}s spent)"
    return f"deadline of {seconds:g}s for the whole call reached after {spent:.2f}s"
