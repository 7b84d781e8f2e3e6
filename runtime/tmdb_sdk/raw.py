"""Raw responses: `tmdb.with_raw_response.movies.details(550)` returns the HTTP side of a call.

    raw = tmdb.with_raw_response.movies.details(550)
    raw.status_code, raw.headers["x-cache"], raw.elapsed, raw.operation
    movie = raw.parse()          # the typed result, parsed once on first use

`tmdb.with_raw_response` is the generated facade's (tmdb_generated._facade.raw: one class per
operation, subclassing SyncRawOperation or AsyncRawOperation, typed `RawResponse[result]`).

The request URL it shows is safe to log: credentials in the query (`api_key`, session ids) are
masked, and so are path segments that hold a session id; the request's headers (with the bearer
token) are not kept at all.
"""
from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Generic, TypeVar

import httpx

from ._io import run_sync
from .operations import Operation
from .redact import public_url
from .transport.retry import ATTEMPTS

T = TypeVar("T")
_UNPARSED: Any = object()


class RawResponse(Generic[T]):
    """The HTTP response of one call, with `.parse()` for the typed result.

    status_code: the HTTP status (errors raise as for a plain call: this is always a success).
    headers:     every response header (rate-limit, cache and CDN ones included), case-insensitive.
    elapsed:     seconds from the start of the call to the response, retries included.
    attempts:    how many attempts the call made (1 when it was not retried).
    operation, method, path: the operationId, the HTTP method and the path template.
    url:         the request URL, credentials masked.
    content / text / json(): the body.
    """

    __slots__ = (
        "_parse", "_parsed", "attempts", "content", "elapsed", "headers", "method", "operation", "path",
        "status_code", "url",
    )

    def __init__(
        self,
        response: httpx.Response,
        *,
        operation: str,
        path: str,
        elapsed: float,
        parse: Callable[[httpx.Response], T],
        attempts: int = 1,
    ) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = response.content
        self.elapsed = elapsed
        self.attempts = attempts
        self.operation = operation
        self.method = response.request.method
        self.path = path
        self.url = public_url(response.request.url, path)
        # The response stays reachable only through this closure, for parse(): not as an attribute.
        self._parse: Callable[[], T] = lambda: parse(response)
        self._parsed: Any = _UNPARSED

    @property
    def http_status(self) -> int:
        return self.status_code

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        import json

        return json.loads(self.content)

    def parse(self) -> T:
        """The typed result, as the plain call returns it (parsed on the first call, then kept)."""
        if self._parsed is _UNPARSED:
            self._parsed = self._parse()
        return self._parsed  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return (
            f"<RawResponse {self.operation} {self.status_code} {self.method} {self.url.path}"
            f" in {self.elapsed * 1000:.1f} ms>"
        )


class _RawOperation(Operation):
    """An operation of `tmdb.with_raw_response`: the same call, returning its RawResponse."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} tmdb.with_raw_response.{self.info.qualname}{self.info.signature_text()}>"

    async def _raw(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> RawResponse[Any]:
        core, info = self._core, self.info
        name = info.operation_id
        request = core.request_for(info, args, kwargs)
        clock = core.settings.clock
        started = clock.monotonic()
        response = await core.exchange(name, request)
        elapsed = clock.monotonic() - started
        await core.result(name, None, request, response, parsed=False)  # errors raise as for a plain call
        return RawResponse(
            response, operation=name, path=info.path, elapsed=elapsed, attempts=request.extensions.get(ATTEMPTS, 1),
            parse=lambda r: core.outcome(name, info.result_class(), r),
        )


class SyncRawOperation(_RawOperation):
    """An operation of TMDB.with_raw_response: each call blocks and returns its RawResponse."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> RawResponse[Any]:
        return run_sync(self._raw(args, kwargs))


class AsyncRawOperation(_RawOperation):
    """An operation of AsyncTMDB.with_raw_response: each call returns an awaitable of its RawResponse."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Coroutine[Any, Any, RawResponse[Any]]:
        return self._raw(args, kwargs)
