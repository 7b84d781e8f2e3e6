"""One cacheable GET answered through hishel's RFC 9111 state machine, its I/O written once (tmdb_sdk._io).

hishel's states decide (fresh, stale, storable, what a response invalidates); this module does the I/O
between them over the guarded storage, so that:
- every storage fault is a miss: the lookup, the update after a 304 and the removals answer "nothing"
  when the storage fails (guard.Guarded), a stored body is read to the end before it is served and, when
  that read fails, the request goes to the network as a miss; a response is read from the network before
  it is stored, so a failing store costs nothing but the entry;
- a 304 always completes the call from a stored entry (revalidate.completed_entry), never a second request.
"""
from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx

from .._io import IO
from .guard import Guarded
from .revalidate import completed_entry

if TYPE_CHECKING:
    import hishel

# Sends the caller's request to the network with these validators (If-None-Match, ...) added.
Send = Callable[[list[tuple[bytes, bytes]]], Awaitable[httpx.Response]]
_VALIDATORS = ("if-none-match", "if-modified-since")


def internal_headers(headers: httpx.Headers) -> hishel.Headers:
    """httpx headers as hishel's, without Transfer-Encoding (a body is stored without it)."""
    import hishel

    grouped: dict[str, list[str]] = {}
    for name, value in headers.multi_items():
        grouped.setdefault(name, []).append(value)
    grouped.pop("transfer-encoding", None)
    return hishel.Headers(grouped)


def _httpx_headers(headers: hishel.Headers) -> list[tuple[bytes, bytes]]:
    return [(name.encode(), value.encode()) for name in headers for value in headers.get_list(name) or []]


def _status(from_cache: bool, revalidated: bool, stored: bool) -> dict[str, bool]:
    """hishel's CacheStatus, as its transports put it on response.extensions["caching"] (stats.outcome)."""
    return {"from_cache": from_cache, "revalidated": revalidated, "stored": stored}


def _served(response: hishel.Response, body: bytes, revalidated: bool) -> httpx.Response:
    return httpx.Response(response.status_code, headers=_httpx_headers(response.headers),
                          stream=httpx.ByteStream(body), extensions={"caching": _status(True, revalidated, False)})


async def _one(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body


def _seen_headers(response: httpx.Response) -> hishel.Headers:
    """A network response's headers as they will be stored: a body read below us is decoded already."""
    headers = internal_headers(response.headers)
    if response.is_stream_consumed:
        headers.pop("content-encoding", None)
        headers.pop("content-length", None)
        headers["content-length"] = str(len(response.content))
    return headers


async def _body(io: IO, response: httpx.Response) -> bytes:
    """A network response's body as it will be stored (as sent, still encoded), read to the end."""
    if response.is_stream_consumed:
        return response.content
    try:
        return await io.read_raw(response)
    finally:
        await io.close(response)


async def answer(io: IO, storage: Guarded, request: hishel.Request, key: str, send: Send) -> httpx.Response:
    """The response to `request` (what hishel sees of the caller's GET), from the storage or the network,
    with hishel's CacheStatus on extensions["caching"]."""
    import hishel

    options = hishel.CacheOptions(shared=True, supported_methods=["GET"])
    state = hishel.IdleClient(options=options).next(request, await storage.get_entries(io, key))
    if isinstance(state, hishel.FromCache):
        body = await storage.read_body(io, state.entry)
        if body is not None:
            return _served(state.entry.response, body, revalidated=False)
    elif isinstance(state, hishel.NeedRevalidation):
        validators = [(name.encode(), value.encode()) for name in _VALIDATORS
                      if (value := state.request.headers.get(name)) is not None]
        response = await send(validators)
        if response.status_code != 304:
            return await _settle(io, storage, request, key, response, state, revalidated=True)
        return await _not_modified(io, storage, request, key, send, state, response)
    # A miss, or a stored body that could not be read: the request goes to the network as a miss.
    return await _settle(io, storage, request, key, await send([]), hishel.CacheMiss(request=request, options=options))


async def _not_modified(
    io: IO, storage: Guarded, request: hishel.Request, key: str, send: Send, state: hishel.NeedRevalidation,
    response: httpx.Response,
) -> httpx.Response:
    """A 304: the call is completed from the stored entry it validates, its headers refreshed."""
    import hishel
    from hishel._core._spec import refresh_response_headers

    headers = _seen_headers(response)
    await _body(io, response)
    entry = completed_entry(state.revalidating_entries, headers)
    refreshed = refresh_response_headers(entry.response, hishel.Response(304, headers=headers), True)
    await storage.update_headers(io, entry.id, refreshed.headers)
    body = await storage.read_body(io, entry)
    if body is not None:
        return _served(refreshed, body, revalidated=True)
    # The stored body is unreadable now: fetched again from the origin, as a miss.
    miss = hishel.CacheMiss(request=request, options=state.options)
    return await _settle(io, storage, request, key, await send([]), miss)


async def _settle(
    io: IO, storage: Guarded, request: hishel.Request, key: str, response: httpx.Response,
    state: hishel.CacheMiss | hishel.NeedRevalidation, *, revalidated: bool = False,
) -> httpx.Response:
    """A full response from the network: the entries it outdates removed, stored when hishel allows."""
    import hishel

    seen = hishel.Response(response.status_code, headers=_seen_headers(response))
    following: Any = state.next(seen)
    while isinstance(following, hishel.InvalidateEntries):
        for id_ in following.entry_ids:
            await storage.remove_entry(io, id_)
        following = following.next()
    if not isinstance(following, hishel.StoreAndUse):
        response.extensions["caching"] = _status(False, revalidated, False)
        return response
    body = await _body(io, response)
    kept = replace(following.response, stream=io.stream(_one(body)))
    stored = await storage.store(io, request, kept, key)
    return httpx.Response(kept.status_code, headers=_httpx_headers(kept.headers), stream=httpx.ByteStream(body),
                          extensions={**response.extensions, "caching": _status(False, revalidated, stored)})
