"""The entry points: TMDB (sync) and AsyncTMDB, one shared base over one connection pool each.

    with TMDB() as tmdb:                       # TMDB_API_KEY / TMDB_ACCESS_TOKEN from the environment
        movie = tmdb.movies.details(550)       # any operation: tmdb.<resource>.<action>
        for item in tmdb.movie_lists.popular.items(max_items=50): ...
        tmdb.v4.lists.details(1)               # v4 operations need a bearer token

Everything but I/O lives in `_Client`: settings, the transport chain (RetryTransport over build_chain's
layers over the pool), the call path (`_core.Core`), views and reprs. TMDB and AsyncTMDB add their pool,
their I/O (SyncIO, AsyncIO) and their closing. `with_options()` makes views sharing the pool, the chain
below the retry layer and the image cache.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar
from urllib.parse import urlsplit

import httpx
from tmdb_generated._facade import AsyncResources, Resources

from . import _defaults
from ._core import Core, Credentials, Settings, Timeout, build_chain
from ._io import ASYNC_IO, IO, SYNC_IO, run_sync
from .errors import ConfigurationError
from .flows import AsyncAuthFlows, AuthFlows
from .images import ImageConfig, ImageConfigCache
from .redact import install_log_filter, redact, register_secrets
from .retry import AsyncRetryTransport, Clock, RetryPolicy, RetryTransport

if TYPE_CHECKING:
    from tmdb_generated.types import Unset

_LIMITS = httpx.Limits(
    max_connections=_defaults.MAX_CONNECTIONS, max_keepalive_connections=_defaults.MAX_KEEPALIVE_CONNECTIONS
)
_CONFIGURATION = "configuration_details"
_DEFAULT_RETRY = RetryPolicy()
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


class _Keep:
    """Marks a with_options() argument left as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def check_base_url(url: str) -> str:
    """The base URL without its trailing slash; ConfigurationError for one that cannot work."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            redact(f"base_url {url!r} needs http:// or https:// and a host, e.g. {_defaults.BASE_URL}")
        )
    path = parts.path.rstrip("/")
    if path.endswith(("/3", "/4")):
        raise ConfigurationError(
            redact(f"base_url {url!r} ends with the API version {path[-2:]!r}: every path starts with /3 or /4 "
                   f"already, so drop it (e.g. {_defaults.BASE_URL})")
        )  # fmt: skip
    if parts.query or parts.fragment:
        raise ConfigurationError(redact(f"base_url {url!r} must not have a query or a fragment"))
    return url.strip().rstrip("/")


def resolve_settings(
    api_key: str | None,
    access_token: str | None,
    base_url: str | None,
    timeout: Timeout,
    retry: RetryPolicy | None,
    clock: Clock | None,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """Arguments first, then TMDB_API_KEY / TMDB_ACCESS_TOKEN / TMDB_BASE_URL, then the defaults.

    `retry=None` means no retries and `timeout=None` no timeout, here as in with_options().
    """
    credentials = Credentials(
        api_key=api_key or environ.get(_defaults.ENV_API_KEY) or None,
        access_token=access_token or environ.get(_defaults.ENV_ACCESS_TOKEN) or None,
    )
    register_secrets([credentials.api_key, credentials.access_token])
    return Settings(
        credentials=credentials,
        base_url=check_base_url(base_url or environ.get(_defaults.ENV_BASE_URL) or _defaults.BASE_URL),
        timeout=timeout,
        retry=RetryPolicy.none() if retry is None else retry,
        clock=Clock() if clock is None else clock,
    )


def _changed(settings: Settings, api_key: Any, access_token: Any, timeout: Any, retry: Any) -> Settings:
    credentials = settings.credentials
    if api_key is not KEEP or access_token is not KEEP:
        credentials = Credentials(
            api_key=credentials.api_key if api_key is KEEP else api_key,
            access_token=credentials.access_token if access_token is KEEP else access_token,
        )
        register_secrets([credentials.api_key, credentials.access_token])
    return replace(
        settings,
        credentials=credentials,
        timeout=settings.timeout if timeout is KEEP else timeout,
        retry=settings.retry if retry is KEEP else (RetryPolicy.none() if retry is None else retry),
    )


class _Shared:
    """What a client shares with its with_options() views: the pool, the chain above it, the image cache."""

    def __init__(self, pool: Any, settings: Settings) -> None:
        self.pool = pool
        self.chain = build_chain(pool, settings)  # below the retry layer, which is per view
        self.images = ImageConfigCache()
        self.closed = False


@dataclass(frozen=True, slots=True)
class _Flavour:
    """How TMDB and AsyncTMDB differ: their I/O and the classes built on it."""

    io: IO
    retry: type[Any]
    flows: type[Any]
    default_pool: Callable[[str | None], Any]


class _Client(Generic[TransportT]):
    """What TMDB and AsyncTMDB share: everything but the I/O."""

    _FLAVOUR: ClassVar[_Flavour]
    _core: Core

    def __init__(
        self,
        api_key: str | None = None,
        access_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: Timeout = _defaults.TIMEOUT_SECONDS,
        retry: RetryPolicy | None = _DEFAULT_RETRY,
        proxy: str | None = None,
        transport: TransportT | None = None,
        clock: Clock | None = None,
    ) -> None:
        """Credentials from the arguments or TMDB_API_KEY / TMDB_ACCESS_TOKEN, base URL from TMDB_BASE_URL.

        retry=None: no retries; timeout=None: no timeout. transport= replaces the connection pool.
        """
        install_log_filter()
        settings = resolve_settings(api_key, access_token, base_url, timeout, retry, clock)
        pool = transport if transport is not None else self._FLAVOUR.default_pool(proxy)
        self._setup(settings, _Shared(pool, settings), owner=True)

    def _setup(self, settings: Settings, shared: _Shared, owner: bool) -> None:
        self._settings, self._shared, self._pool, self._owner = settings, shared, shared.pool, owner
        flavour = self._FLAVOUR
        self._core = Core(settings, flavour.retry(shared.chain, settings.retry, settings.clock), flavour.io)
        self.auth = flavour.flows(self._core)

    def _view(self, api_key: Any, access_token: Any, timeout: Any, retry: Any) -> Self:
        view = type(self).__new__(type(self))
        view._setup(_changed(self._settings, api_key, access_token, timeout, retry), self._shared, False)
        return view

    @property
    def is_closed(self) -> bool:
        """Whether the client that owns the connection pool has closed it."""
        return self._shared.closed

    def __repr__(self) -> str:
        s = self._settings
        return f"{type(self).__name__}(base_url={s.base_url!r}, credentials={s.credentials!r}, retry={s.retry!r})"


def _sync_pool(proxy: str | None) -> httpx.BaseTransport:
    return httpx.HTTPTransport(limits=_LIMITS, proxy=proxy)


class TMDB(Resources, _Client[httpx.BaseTransport]):
    """Synchronous TMDB client. `tmdb.<resource>.<action>(...)` calls any operation of the spec."""

    _FLAVOUR = _Flavour(SYNC_IO, RetryTransport, AuthFlows, _sync_pool)
    auth: AuthFlows  # sign a user in (v3 sessions, guest sessions, v4 user tokens): the one login surface

    def with_options(
        self, *, api_key: Any = KEEP, access_token: Any = KEEP, timeout: Any = KEEP, retry: Any = KEEP
    ) -> TMDB:
        """A view with other settings (retry=None: no retries), sharing this client's pool.

        Views need no closing; closing the client they came from closes them too.
        """
        return self._view(api_key, access_token, timeout, retry)

    def request(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None,
        operation: str | None = None,
    ) -> Any:
        """Any TMDB endpoint by path, e.g. request("GET", "/3/movie/550"): the decoded JSON body."""
        return run_sync(self._core.call_path(method, path, params, json, operation))

    def image_config(self) -> ImageConfig:
        """The image base URL and sizes from /3/configuration, fetched on first use and kept."""
        return self._shared.images.get(lambda: run_sync(self._core.call_json(_CONFIGURATION, {})))

    def image_url(self, file_path: str | Unset | None, size: str = "original", kind: str | None = None) -> str | None:
        """Full URL of an image path such as a movie's poster_path (None or Unset gives None)."""
        return self.image_config().url(file_path, size, kind)

    def close(self) -> None:
        """Closes the connection pool (a with_options() view leaves it to its parent)."""
        if self._owner:
            self._shared.pool.close()
            self._shared.closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _async_pool(proxy: str | None) -> httpx.AsyncBaseTransport:
    from ._aiohttp_pool import async_pool  # aiohttp is imported only by async clients

    return async_pool(_LIMITS, proxy)


class AsyncTMDB(AsyncResources, _Client[httpx.AsyncBaseTransport]):
    """Asynchronous TMDB client: the same resources and operations as TMDB, each call awaited."""

    _FLAVOUR = _Flavour(ASYNC_IO, AsyncRetryTransport, AsyncAuthFlows, _async_pool)
    auth: AsyncAuthFlows  # sign a user in (v3 sessions, guest sessions, v4 user tokens): the one login surface

    def with_options(
        self, *, api_key: Any = KEEP, access_token: Any = KEEP, timeout: Any = KEEP, retry: Any = KEEP
    ) -> AsyncTMDB:
        """A view with other settings (retry=None: no retries), sharing this client's pool."""
        return self._view(api_key, access_token, timeout, retry)

    async def request(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None,
        operation: str | None = None,
    ) -> Any:
        """Any TMDB endpoint by path, e.g. await request("GET", "/3/movie/550"): the decoded JSON body."""
        return await self._core.call_path(method, path, params, json, operation)

    async def image_config(self) -> ImageConfig:
        """The image base URL and sizes from /3/configuration, fetched on first use and kept."""
        return await self._shared.images.aget(lambda: self._core.call_json(_CONFIGURATION, {}))

    async def image_url(
        self, file_path: str | Unset | None, size: str = "original", kind: str | None = None
    ) -> str | None:
        """Full URL of an image path such as a movie's poster_path (None or Unset gives None)."""
        return (await self.image_config()).url(file_path, size, kind)

    async def aclose(self) -> None:
        """Closes the connection pool (a with_options() view leaves it to its parent)."""
        if self._owner:
            await self._shared.pool.aclose()
            self._shared.closed = True

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
