"""What the cache and the rate limiter share about the stores behind them: a URL fit for messages,
a Redis client of either flavour made from a URL, and the outage switch (log once, skip for a while)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ._io import IO
from .redact import redact


def safe_url(url: str) -> str:
    """`url` with a password (redis://:secret@host) masked, for messages and reprs."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if sep and at and ":" in userinfo:
        rest = f"{userinfo.split(':', 1)[0]}:***@{host}"
    return redact(f"{scheme}{sep}{rest}")


def redis_client(url: str, timeout: float, io: IO) -> Any:
    """A redis.Redis (TMDB) or redis.asyncio.Redis (AsyncTMDB) for `url`; ImportError without the redis extra."""
    if io.is_async:
        from redis.asyncio import Redis
    else:
        from redis import Redis  # type: ignore[assignment]
    return Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


class Outage:
    """Whether a store is being skipped after it failed, shared by threads and both client flavours.

    A failure skips the store for `retry_after` seconds (by the caller's monotonic clock); `down` is
    called on the first failure of an outage and `up` once the store works again.
    """

    def __init__(self, retry_after: float, down: Callable[[BaseException | str], None], up: Callable[[], None]) -> None:
        self.retry_after, self._down, self._up = retry_after, down, up
        self.down_until = 0.0  # monotonic seconds; 0: the store is in use
        self._lock = threading.Lock()

    def usable(self, now: float) -> bool:
        down_until = self.down_until
        return down_until == 0.0 or now >= down_until

    def failed(self, error: BaseException | str, now: float) -> None:
        with self._lock:
            first = self.down_until == 0.0
            self.down_until = now + self.retry_after
        if first:
            self._down(error)

    def worked(self) -> None:
        if self.down_until != 0.0:
            with self._lock:
                if self.down_until == 0.0:
                    return
                self.down_until = 0.0
            self._up()
