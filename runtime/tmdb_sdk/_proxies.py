"""Proxies (issue 21): `proxy=`, or the environment's as httpx reads them, over httpx's own transports.

The lean pools speak only to the origin. A request that goes through a proxy goes through httpx's
HTTPTransport / AsyncHTTPTransport instead, bounded by the call's limits (_call_limits) as far as httpx
lets a wrapper bound it:
- AsyncTMDB: the request and every read of the body run under `asyncio.timeout` until the deadline;
- TMDB: each httpx timeout is at most the time left, and the body is checked between chunks. httpcore
  restarts the read timeout with every byte it receives, so a head dripped through a proxy ends only
  at its own pace; a dripped body ends at the deadline plus at most one read.
The body cap is checked as the bytes arrive, on their decoded size for gzip and deflate (inflated here
only to be counted, never kept: httpx decodes them again when the body is read), on their own size
otherwise.

Which requests: `proxy=` sends them all through that proxy. Otherwise, unless `trust_env=False`, the
environment decides per URL, read once when the client is made, as httpx does: `urllib.request.getproxies()`
(HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY, the lower-case ones first; macOS and Windows add the
system's settings), a value without a scheme taken as http://, NO_PROXY=* (alone or in the list) turning
them all off, and NO_PROXY's hosts, domains and addresses matched by `urllib.request.proxy_bypass_environment`.
URLs no proxy is named for stay on the lean pool.
"""
from __future__ import annotations

import ssl
import time
import urllib.request
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ._backends import safe_url
from ._call_limits import DEADLINE, MAX_BODY, exceeded, remaining
from .errors import ConfigurationError
from .redact import register_secrets

_SCHEMES = ("http", "https", "all")
_MEMO = 1024  # routes remembered per client (a TMDB client talks to a handful of hosts)
_STEP = 1 << 20  # bytes inflated at most at once while measuring a body


def _too_large(request: httpx.Request, cap: int) -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError(f"the response body is larger than max_response_size={cap} bytes", request=request)


class _Meter:
    """A body's decoded size as its chunks arrive, against the cap: gzip and deflate inflated _STEP bytes at
    a time and dropped, stopping one byte past the cap; any other body counted as it came."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap, self.size = cap, 0
        encoding = encoding.strip().lower()
        self.wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self.inflate = zlib.decompressobj(self.wbits) if encoding in ("gzip", "x-gzip", "deflate") else None

    def over(self, chunk: bytes) -> bool:
        """Whether the body, `chunk` included, is larger than the cap."""
        if self.inflate is None:
            self.size += len(chunk)
            return self.size > self.cap
        data = chunk
        while data:
            try:
                out = self.inflate.decompress(data, min(_STEP, self.cap + 1 - self.size))
            except zlib.error:
                if self.size or self.wbits != zlib.MAX_WBITS:
                    self.inflate = None  # not what it says it is: httpx's decoder will refuse it
                    return self.over(chunk)
                self.wbits = -zlib.MAX_WBITS  # "deflate" sent raw, as httpx also accepts
                self.inflate = zlib.decompressobj(self.wbits)
                continue
            self.size += len(out)
            if self.size > self.cap:
                return True
            data = self.inflate.unconsumed_tail
        return False


def _meter(request: httpx.Request, response: httpx.Response) -> _Meter | None:
    cap = request.extensions.get(MAX_BODY)
    return None if cap is None else _Meter(response.headers.get("Content-Encoding", ""), cap)


class _SyncBody(httpx.SyncByteStream):
    """httpx's response stream, stopped at the call's deadline and body cap (checked after each chunk)."""

    def __init__(self, stream: httpx.SyncByteStream, request: httpx.Request, meter: _Meter | None) -> None:
        self.stream, self.request, self.meter = stream, request, meter

    def __iter__(self) -> Iterator[bytes]:
        request, meter = self.request, self.meter
        deadline = request.extensions.get(DEADLINE)
        for chunk in self.stream:
            if meter is not None and meter.over(chunk):
                self.stream.close()  # the connection is dropped, not handed back half-read
                raise _too_large(request, meter.cap)
            if deadline is not None and time.monotonic() >= deadline:
                self.stream.close()
                raise exceeded(request, "the body was still arriving")
            yield chunk

    def close(self) -> None:
        self.stream.close()


class _AsyncBody(httpx.AsyncByteStream):
    """_SyncBody for AsyncTMDB: each read of the body awaited under asyncio.timeout until the deadline."""

    def __init__(self, stream: httpx.AsyncByteStream, request: httpx.Request, meter: _Meter | None) -> None:
        self.stream, self.request, self.meter = stream, request, meter

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import asyncio

        request, meter, chunks = self.request, self.meter, aiter(self.stream)
        while True:
            left = remaining(request)
            try:
                async with asyncio.timeout(None if left is None else max(left, 0.0)) as within:
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                return
            except TimeoutError:
                if not within.expired():
                    raise
                await self.stream.aclose()
                raise exceeded(request, "the body was still arriving") from None
            if meter is not None and meter.over(chunk):
                await self.stream.aclose()
                raise _too_large(request, meter.cap)
            yield chunk

    async def aclose(self) -> None:
        await self.stream.aclose()


def _bounded(response: httpx.Response, request: httpx.Request, body: type[Any]) -> httpx.Response:
    if DEADLINE in request.extensions or MAX_BODY in request.extensions:
        response.stream = body(response.stream, request, _meter(request, response))
    return response


def _within(timeouts: Mapping[str, float | None] | None, left: float) -> dict[str, float | None]:
    """httpx's per-step timeouts, none longer than the time left (a new dict: the client's is shared)."""
    timeouts = timeouts or {}
    return {
        step: left if (limit := timeouts.get(step)) is None else min(limit, left)
        for step in ("connect", "read", "write", "pool")
    }


class DeadlineHTTPTransport(httpx.HTTPTransport):
    """httpx's transport, each timeout cut to the call's time left and the body checked as it arrives."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        left = remaining(request)
        if left is not None:
            if left <= 0:
                raise exceeded(request, "no time left to send the request")
            request.extensions["timeout"] = _within(request.extensions.get("timeout"), left)
        return _bounded(super().handle_request(request), request, _SyncBody)


class AsyncDeadlineHTTPTransport(httpx.AsyncHTTPTransport):
    """httpx's async transport, the request awaited under asyncio.timeout until the call's deadline."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        left = remaining(request)
        if left is None:
            return _bounded(await super().handle_async_request(request), request, _AsyncBody)
        import asyncio  # only AsyncTMDB gets here: sync users never import asyncio

        try:
            async with asyncio.timeout(max(left, 0.0)) as within:
                response = await super().handle_async_request(request)
        except TimeoutError:
            if not within.expired():
                raise
            raise exceeded(request, "the response did not start in time") from None
        return _bounded(response, request, _AsyncBody)


def proxy_transport(
    proxy: str, verify: bool | ssl.SSLContext, trust_env: bool, limits: httpx.Limits, *, asynchronous: bool
) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
    """httpx's transport through `proxy` (its password masked in every message from now on)."""
    register_secrets([httpx.URL(proxy).password])
    cls: type[Any] = AsyncDeadlineHTTPTransport if asynchronous else DeadlineHTTPTransport
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport = cls(
        limits=limits, proxy=proxy, verify=verify, trust_env=trust_env
    )
    return transport


@dataclass(frozen=True, slots=True)
class EnvironmentProxies:
    """The environment's proxies: scheme ("http", "https", "all") -> proxy URL, and NO_PROXY as given."""

    by_scheme: Mapping[str, str]
    no_proxy: str = ""

    @classmethod
    def read(cls) -> EnvironmentProxies | None:
        """What httpx.Client(trust_env=True) would read now; None when no proxy is named."""
        found = urllib.request.getproxies()
        by_scheme = {scheme: url if "://" in url else f"http://{url}" for scheme in _SCHEMES if (url := found.get(scheme))}
        no_proxy = found.get("no", "")
        if not by_scheme or "*" in (name.strip() for name in no_proxy.split(",")):
            return None
        return cls(by_scheme, no_proxy)

    def proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy for `url`: its scheme's, else ALL_PROXY's, unless NO_PROXY names its host."""
        proxy = self.by_scheme.get(url.scheme) or self.by_scheme.get("all")
        if proxy is None or not self.no_proxy:
            return proxy
        # host:port lets "host:8080" entries match too; an IPv6 address is matched without its port.
        host = url.host if url.port is None or ":" in url.host else f"{url.host}:{url.port}"
        # The stdlib's NO_PROXY matcher (urllib's own proxy handler uses it; typeshed leaves it out).
        bypass = urllib.request.proxy_bypass_environment(host, {"no": self.no_proxy})  # type: ignore[attr-defined]
        return None if bypass else proxy


class ProxyRouter(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Sends each request through the proxy the environment names for its URL, the others to `direct`."""

    def __init__(self, direct: Any, proxies: EnvironmentProxies, make: Callable[[str], Any]) -> None:
        self.direct, self.proxies = direct, proxies
        # Made now, as httpx makes its mounts: an unusable proxy variable fails when the client is made.
        self.through: dict[str, Any] = {}
        for url in dict.fromkeys(proxies.by_scheme.values()):
            try:
                self.through[url] = make(url)
            except (ValueError, ImportError, httpx.InvalidURL) as exc:
                raise ConfigurationError(
                    f"the environment's proxy {safe_url(url)} cannot be used ({exc}); fix HTTP_PROXY/HTTPS_PROXY/"
                    "ALL_PROXY, or pass trust_env=False to ignore them"
                ) from None
        self._routes: dict[tuple[str, str, int | None], Any] = {}

    def route(self, url: httpx.URL) -> Any:
        """The transport for `url` (remembered per scheme, host and port)."""
        key = (url.scheme, url.host, url.port)
        transport = self._routes.get(key)
        if transport is None:
            proxy = self.proxies.proxy_for(url)
            transport = self.direct if proxy is None else self.through[proxy]
            if len(self._routes) < _MEMO:
                self._routes[key] = transport
        return transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = self.route(request.url).handle_request(request)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = await self.route(request.url).handle_async_request(request)
        return response

    def close(self) -> None:
        for transport in (self.direct, *self.through.values()):
            transport.close()

    async def aclose(self) -> None:
        for transport in (self.direct, *self.through.values()):
            await transport.aclose()
