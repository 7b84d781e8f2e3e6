"""The candidates of issue 16 that were measured and not kept, as variants of the package's clients.

Each replaces one part of what ships, so its row in the side-by-side table against the package's
own row says what that part is worth:
- TMDB over httpx's own pool (httpx.HTTPTransport: httpcore + h11), instead of `_http11.SyncPool`;
- TMDB decoding with json.loads instead of orjson (`tmdb_sdk._core.loads` swapped during the call);
- AsyncTMDB over httpx-aiohttp (the pool it had before), instead of `_async_pool.AsyncPool`;
- AsyncTMDB over a lean aiohttp transport (`LeanAiohttp` below: one ClientSession.request per call,
  aiohttp's own decompression off, the body read whole), the transport issue 16 suggested.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from tmdb_sdk._defaults import MAX_CONNECTIONS

LIMITS = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS)


class LeanAiohttp(httpx.AsyncBaseTransport):
    """httpx.Request -> aiohttp ClientSession.request -> httpx.Response, with nothing else per call."""

    def __init__(self) -> None:
        self._session: Any = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import aiohttp

        if self._session is None:
            connector = aiohttp.TCPConnector(limit=MAX_CONNECTIONS)
            self._session = aiohttp.ClientSession(
                connector=connector, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar()
            )
        async with self._session.request(
            request.method, str(request.url), headers=[(k, v) for k, v in request.headers.multi_items() if k != "host"], data=await request.aread() or None,
            skip_auto_headers=("Accept-Encoding", "User-Agent", "Content-Type"),
        ) as response:  # fmt: skip
            body = await response.read()
            return httpx.Response(response.status, headers=response.raw_headers, content=body)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def sync_variants(item: Any, base_url: str, token: str, stack: contextlib.ExitStack) -> dict[str, Callable[[], Any]]:
    import tmdb_sdk._core as core
    from tmdb_sdk import TMDB

    httpcore_pool = item.typed(
        stack.enter_context(TMDB(access_token=token, base_url=base_url, transport=httpx.HTTPTransport(limits=LIMITS)))
    )
    stdlib_json = item.typed(stack.enter_context(TMDB(access_token=token, base_url=base_url)))

    def with_json() -> Any:
        fast, core.loads = core.loads, json.loads
        try:
            return stdlib_json(**item.kwargs)
        finally:
            core.loads = fast

    return {
        "candidate: TMDB over httpx's own pool (httpcore)": lambda: httpcore_pool(**item.kwargs),
        "candidate: TMDB decoding with json instead of orjson": with_json,
    }


async def async_variants(
    item: Any, base_url: str, token: str, stack: contextlib.AsyncExitStack
) -> dict[str, Callable[[], Awaitable[Any]]]:
    from httpx_aiohttp import AiohttpTransport
    from tmdb_sdk import AsyncTMDB

    async def client(transport: httpx.AsyncBaseTransport) -> Callable[..., Awaitable[Any]]:
        opened = await stack.enter_async_context(AsyncTMDB(access_token=token, base_url=base_url, transport=transport))
        return item.typed(opened)  # type: ignore[no-any-return]

    former = await client(AiohttpTransport(limits=LIMITS))
    lean = await client(LeanAiohttp())
    return {
        "candidate: AsyncTMDB over httpx-aiohttp (former pool), 50 tasks": lambda: former(**item.kwargs),
        "candidate: AsyncTMDB over a lean aiohttp transport, 50 tasks": lambda: lean(**item.kwargs),
    }
