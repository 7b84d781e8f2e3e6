"""The bytes of an export file, streamed: retried and resumed (HTTP Range) as the client retries calls.

The files' host takes no credentials, so the request is built here, not by the core: no api_key, no
Authorization, none of the client's extra headers or query. It goes to the client's own transport when
one was given (transport=), else to an httpx transport with the client's proxy and TLS settings: the
lean pools read a body whole, and an export must be streamed. It skips the cache (a file of hundreds of
MB is no HTTP cache entry) and the rate limit (TMDB's API limit; the files come from a CDN). The client's
RetryPolicy decides each retry, and its hooks see the download as one call (request, retries, response
or error), named after the file.

A connection that breaks mid-body is resumed from the byte reached, with `Range` and `If-Range` (the first
response's ETag or Last-Modified): a 206 continues where the stream stopped, a 200 (the server ignores
Range, or the file changed) starts over and the bytes already seen are skipped when the file is the same,
else the download fails: rows already yielded cannot be taken back.
"""
from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import httpx

from .._core import Hooks
from .._io import IO
from ..errors import ExportError, ExportNotFoundError, error_from_response, parse_retry_after, transport_error
from ..transport.retry import CALL, RETRY_STATUSES, Clock, RetryPolicy

_NOT_PUBLISHED = frozenset({403, 404})


@dataclass(slots=True)
class Source:
    """Where one export file is, and how the client fetches things."""

    url: str
    name: str  # the file name, for errors and hooks
    io: IO
    transport: Any  # a streaming httpx transport of the io's flavour
    policy: RetryPolicy
    clock: Clock
    timeout: dict[str, float | None]
    user_agent: str
    hooks: Hooks | None = None


def _request(source: Source, position: int, validator: str | None) -> httpx.Request:
    headers = {"User-Agent": source.user_agent, "Accept-Encoding": "identity"}
    if position:
        headers["Range"] = f"bytes={position}-"
        if validator:
            headers["If-Range"] = validator
    return httpx.Request("GET", source.url, headers=headers, extensions={"timeout": source.timeout})


def _validator(response: httpx.Response) -> str | None:
    etag = response.headers.get("ETag")
    if etag and not etag.startswith("W/"):  # If-Range takes a strong validator only
        return str(etag)
    modified = response.headers.get("Last-Modified")
    return str(modified) if modified else None


def _range_start(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Range", "")  # "bytes 100-999/1000"
    unit, _, spec = value.partition(" ")
    first = spec.split("-", 1)[0]
    return int(first) if unit == "bytes" and first.isdigit() else None


async def body(source: Source, position: int = 0) -> AsyncGenerator[bytes, None]:
    """The file's bytes from `position` on, as they arrive, until the end of the file.

    ExportNotFoundError for a 404/403, APIError for another error status, TransportError when the
    policy gives up on a broken connection; ExportError when a resume gets another file.
    """
    io, policy, clock, hooks = source.io, source.policy, source.clock, source.hooks
    first = _request(source, position, None)
    if hooks is not None:
        await hooks.before(None, first)
    call = first.extensions.get(CALL)
    validator: str | None = None
    started, attempt, request = clock.monotonic(), 1, first
    response: httpx.Response | None = None
    try:
        while True:
            if call is not None:
                request.extensions[CALL] = call
            delay: float | None = None
            failure: Exception | None = None
            response = None
            try:
                response = await io.send(source.transport, request)
                response.request = request
                status = response.status_code
                if status in _NOT_PUBLISHED:
                    await io.close(response)
                    raise ExportNotFoundError(f"not published (HTTP {status})", file=source.name)
                if status in RETRY_STATUSES:
                    await io.read(response)
                    retry_after = parse_retry_after(response.headers.get("Retry-After"), clock.wall())
                    delay = policy.delay_for_status("GET", status, retry_after, attempt, clock.monotonic() - started,
                                                    clock.random())  # fmt: skip
                    if delay is None:
                        raise error_from_response(response, clock.wall(), f"GET {source.name}")
                elif status == 416 and position:  # nothing after `position`: the file was complete
                    await io.close(response)
                    break
                elif status >= 400:
                    await io.read(response)
                    raise error_from_response(response, clock.wall(), f"GET {source.name}")
                else:
                    skip = 0
                    if status == 206:
                        if _range_start(response) != position:
                            raise ExportError(f"asked for bytes from {position}, got {response.headers.get('Content-Range')!r}",
                                              file=source.name)  # fmt: skip
                    elif position:  # a 200 to a Range request: the whole file again
                        if validator is None or _validator(response) != validator:
                            raise ExportError("the file changed while it was being read; read it again",
                                              file=source.name)  # fmt: skip
                        skip = position
                    validator = validator or _validator(response)
                    async for chunk in io.chunks(response.stream):
                        if skip:
                            if len(chunk) <= skip:
                                skip -= len(chunk)
                                continue
                            chunk, skip = chunk[skip:], 0
                        position += len(chunk)
                        attempt = 1  # progress was made: a later break starts its own count
                        yield chunk
                    await io.close(response)
                    break
            except httpx.TransportError as exc:  # also a body cut short
                if response is not None:
                    await io.close(response)
                delay = policy.delay_for_error("GET", exc, attempt, clock.monotonic() - started, clock.random())
                if delay is None:
                    raise transport_error(exc, request, f"GET {source.name}") from None
                failure = exc
            if call is not None:
                await call.aretry(response if failure is None else None, failure, delay)
            await io.sleep(clock, delay)
            attempt += 1
            request = _request(source, position, validator)
    except BaseException as error:
        if response is not None:
            await io.close(response)
        if hooks is not None:
            if isinstance(error, Exception):
                await hooks.error(None, first, error, response)
            else:
                hooks.abandon(first, error)
        raise
    if hooks is not None and response is not None:
        await hooks.after(None, first, response)
