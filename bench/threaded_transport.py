"""A proposal for the runtime's async client, measured by bench/calls.py: an httpx async transport
that sends each request on a worker thread through httpx's own sync transport.

Why: on this machine httpx's native async stack (anyio streams + httpcore's async pool, whose
bookkeeping is quadratic in the number of connections) costs about twice the CPU per request of
the sync stack, so 50 concurrent async tasks deliver fewer calls/s than one sync loop. The sync
stack on threads releases the GIL while it waits on sockets, and keeps the async API.
Trade-offs: bodies are read whole (no streaming, fine for JSON); a cancelled task lets its request
finish on its thread; asyncio only (anyio.to_thread would add trio).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx


class ThreadedTransport(httpx.AsyncBaseTransport):
    def __init__(self, limits: httpx.Limits) -> None:
        self._sync = httpx.HTTPTransport(limits=limits)
        self._threads = ThreadPoolExecutor(max_workers=limits.max_connections, thread_name_prefix="http")

    def _round_trip(self, request: httpx.Request) -> httpx.Response:
        response = self._sync.handle_request(request)
        try:
            response.read()
        finally:
            response.close()
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()  # the body as bytes, so the worker thread can send it
        loop = asyncio.get_running_loop()
        done = await loop.run_in_executor(self._threads, self._round_trip, request)
        # a fresh response over the bytes: the async client needs an async-readable stream
        return httpx.Response(done.status_code, headers=done.headers, content=done.content, extensions=done.extensions)

    async def aclose(self) -> None:
        self._threads.shutdown(wait=False)
        self._sync.close()
