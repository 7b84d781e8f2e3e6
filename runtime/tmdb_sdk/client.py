"""The entry points: TMDB (sync) and AsyncTMDB, mirror images over one shared connection pool.

    with TMDB() as tmdb:                       # TMDB_API_KEY / TMDB_ACCESS_TOKEN from the environment
        movie = tmdb.movies.details(550)       # any generated operation: tmdb.<tag>.<action>
        for item in tmdb.movie_lists.popular.items(max_items=50): ...
        tmdb.v4.lists.details(list_id=1)       # v4 operations need a bearer token

Each client owns an httpx.Client whose transport is RetryTransport over one pooled HTTPTransport
(with the optional CacheTransport and RateLimitTransport between them: `cache=`, `rate_limit=`),
whose auth is TMDBAuth, and whose response hook turns HTTP error statuses into APIError before the
generated code parses anything. `with_options()` makes views sharing the pool and the image cache.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx

from . import _defaults, _generated
from ._calls import result_of, translate
from .auth import Credentials, TMDBAuth
from .errors import ConfigurationError, error_from_response
from .flows import AsyncAuthFlows, AuthFlows, Endpoint
from .images import ImageConfig, ImageConfigCache
from .operations import V4, AsyncOperation, Namespace, Operation
from .redact import install_log_filter, register_secrets
from .retry import AsyncRetryTransport, Clock, RetryPolicy, RetryTransport

if TYPE_CHECKING:
    from tmdb_generated.client import AuthenticatedClient

    from .cache import Cache
    from .ratelimit import RateLimit

_LIMITS = httpx.Limits(
    max_connections=_defaults.MAX_CONNECTIONS, max_keepalive_connections=_defaults.MAX_KEEPALIVE_CONNECTIONS
)
_CONFIGURATION: Endpoint = ("configuration_details", "GET", "/3/configuration")


class _Keep:
    """Marks a with_options() argument left as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()
Timeout = float | httpx.Timeout


@dataclass(frozen=True, slots=True)
class Settings:
    credentials: Credentials
    base_url: str = _defaults.BASE_URL
    timeout: Timeout = _defaults.TIMEOUT_SECONDS
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Clock = field(default_factory=Clock, repr=False)
    cache: Cache | None = None
    cache_enabled: bool = True  # False: a with_options(cache=False) view
    rate_limit: RateLimit | None = None


def resolve_settings(
    api_key: str | None,
    access_token: str | None,
    base_url: str | None,
    timeout: Timeout | None,
    retry: RetryPolicy | None,
    clock: Clock | None,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """Arguments first, then TMDB_API_KEY / TMDB_ACCESS_TOKEN / TMDB_BASE_URL, then the defaults."""
    credentials = Credentials(
        api_key=api_key or environ.get(_defaults.ENV_API_KEY) or None,
        access_token=access_token or environ.get(_defaults.ENV_ACCESS_TOKEN) or None,
    )
    register_secrets([credentials.api_key, credentials.access_token])
    return Settings(
        credentials=credentials,
        base_url=(base_url or environ.get(_defaults.ENV_BASE_URL) or _defaults.BASE_URL).rstrip("/"),
        timeout=_defaults.TIMEOUT_SECONDS if timeout is None else timeout,
        retry=RetryPolicy() if retry is None else retry,
        clock=Clock() if clock is None else clock,
    )


def _changed(
    settings: Settings, api_key: Any, access_token: Any, timeout: Any, retry: Any, cache: Any = KEEP,
    rate_limit: Any = KEEP,
) -> Settings:
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
        **_layer_changes(settings, cache, rate_limit),
    )


def _layer_changes(settings: Settings, cache: Any, rate_limit: Any) -> dict[str, Any]:
    """with_options(cache=..., rate_limit=...): False/True turn the client's cache off/on for the view;
    a Cache or RateLimit object replaces it; rate_limit=None turns limiting off."""
    from .cache import Cache
    from .ratelimit import RateLimit

    changes: dict[str, Any] = {}
    if cache is not KEEP:
        if isinstance(cache, bool) or cache is None:
            changes["cache_enabled"] = bool(cache)
        elif isinstance(cache, str):
            raise ConfigurationError("with_options(cache=...) takes a Cache object, True or False")
        else:
            changes["cache"], changes["cache_enabled"] = Cache.coerce(cache)[0], True
    if rate_limit is not KEEP:
        if isinstance(rate_limit, str):
            raise ConfigurationError("with_options(rate_limit=...) takes a RateLimit object or None")
        changes["rate_limit"] = RateLimit.coerce(rate_limit)[0]
    return changes


def _sync_chain(pool: httpx.BaseTransport, settings: Settings) -> httpx.BaseTransport:
    """RetryTransport -> CacheTransport -> RateLimitTransport -> pool (HELPERS.md, shared design 3)."""
    transport = pool
    if settings.rate_limit is not None:
        from .ratelimit import RateLimitTransport

        transport = RateLimitTransport(transport, settings.rate_limit, settings.clock)
    if settings.cache is not None:
        from .cache import CacheTransport

        transport = CacheTransport(transport, settings.cache, enabled=settings.cache_enabled)
    return RetryTransport(transport, settings.retry, settings.clock)


def _async_chain(pool: httpx.AsyncBaseTransport, settings: Settings) -> httpx.AsyncBaseTransport:
    transport = pool
    if settings.rate_limit is not None:
        from .ratelimit import AsyncRateLimitTransport

        transport = AsyncRateLimitTransport(transport, settings.rate_limit, settings.clock)
    if settings.cache is not None:
        from .cache import AsyncCacheTransport

        transport = AsyncCacheTransport(transport, settings.cache, enabled=settings.cache_enabled)
    return AsyncRetryTransport(transport, settings.retry, settings.clock)


def _generated_client(settings: Settings) -> AuthenticatedClient:
    # The token is never used: generated code only reads it when it builds its own httpx client,
    # and ours (with TMDBAuth) is always set first.
    from tmdb_generated.client import AuthenticatedClient  # attrs costs ~10 ms at import

    return AuthenticatedClient(base_url=settings.base_url, token="", prefix="")


def _with_layers(settings: Settings, cache: Any, rate_limit: Any) -> tuple[Settings, tuple[Any, ...]]:
    """Settings with the client's cache and rate limit; the ones it made itself, to close with it."""
    if cache is None and rate_limit is None:  # their modules are imported only when used
        return settings, ()
    from .cache import Cache
    from .ratelimit import RateLimit

    cache_layer, own_cache = Cache.coerce(cache)
    limit_layer, own_limit = RateLimit.coerce(rate_limit)
    owned = tuple(layer for layer, own in ((cache_layer, own_cache), (limit_layer, own_limit)) if own)
    return replace(settings, cache=cache_layer, rate_limit=limit_layer), owned


def _sync_error_hook(clock: Clock) -> Any:
    def raise_for_status(response: httpx.Response) -> None:
        if response.status_code >= 400:
            response.read()
            raise error_from_response(response, clock.wall())

    return raise_for_status


def _async_error_hook(clock: Clock) -> Any:
    async def raise_for_status(response: httpx.Response) -> None:
        if response.status_code >= 400:
            await response.aread()
            raise error_from_response(response, clock.wall())

    return raise_for_status


class TMDB:
    """Synchronous TMDB client. `tmdb.<tag>.<action>(...)` calls any generated operation."""

    _http: httpx.Client
    _owned: tuple[Cache | RateLimit, ...]

    def __init__(
        self,
        api_key: str | None = None,
        access_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: Timeout | None = None,
        retry: RetryPolicy | None = None,
        proxy: str | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        cache: Cache | str | bool | None = None,
        rate_limit: RateLimit | str | bool | None = None,
    ) -> None:
        install_log_filter()
        settings = resolve_settings(api_key, access_token, base_url, timeout, retry, clock)
        settings, self._owned = _with_layers(settings, cache, rate_limit)
        pool = transport if transport is not None else httpx.HTTPTransport(limits=_LIMITS, proxy=proxy)
        self._setup(settings, pool, ImageConfigCache(), owner=True)

    def _setup(self, settings: Settings, pool: httpx.BaseTransport, images: ImageConfigCache, owner: bool) -> None:
        self._settings, self._pool, self._images, self._owner = settings, pool, images, owner
        auth = TMDBAuth(settings.credentials)
        self._http = httpx.Client(
            base_url=settings.base_url,
            auth=auth,
            params=auth.query_params,
            timeout=settings.timeout,
            transport=_sync_chain(pool, settings),
            event_hooks={"response": [_sync_error_hook(settings.clock)]},
            trust_env=False,
        )
        self._generated = _generated_client(settings).set_httpx_client(self._http)
        self.v4 = V4(self._generated, Operation)
        self.auth = AuthFlows(self._send)

    def __getattr__(self, tag: str) -> Namespace:
        if tag.startswith(("_", _generated.V4_PREFIX)) or tag not in _generated.tags():
            v3 = sorted(t for t in _generated.tags() if not t.startswith(_generated.V4_PREFIX))
            raise AttributeError(f"TMDB has no resource {tag!r}; resources: {', '.join(v3)}, v4")
        namespace = Namespace(tag, self._generated, Operation)
        setattr(self, tag, namespace)
        return namespace

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *(t for t in _generated.tags() if not t.startswith("v4_"))})

    def __repr__(self) -> str:
        s = self._settings
        return f"TMDB(base_url={s.base_url!r}, credentials={s.credentials!r}, retry={s.retry!r})"

    def with_options(
        self, *, api_key: Any = KEEP, access_token: Any = KEEP, timeout: Any = KEEP, retry: Any = KEEP,
        cache: Any = KEEP, rate_limit: Any = KEEP,
    ) -> TMDB:
        """A view with other settings (retry=None turns retries off, cache=False skips the cache,
        rate_limit=None the limiter), sharing this client's pool.

        Views need no closing; closing the client they came from closes them too.
        """
        view = TMDB.__new__(TMDB)
        view._owned = ()
        settings = _changed(self._settings, api_key, access_token, timeout, retry, cache, rate_limit)
        view._setup(settings, self._pool, self._images, False)
        return view

    def request(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None,
        operation: str | None = None,
    ) -> Any:
        """Any TMDB endpoint by path, e.g. request("GET", "/3/movie/550"): the decoded JSON body."""
        name = operation or f"{method} {path}"
        try:
            response = self._http.request(method, path, params=params, json=json)
        except Exception as exc:
            error = translate(exc, name)
            if error is exc:
                raise
            raise error from None
        return result_of(name, None, response.content)

    def _send(self, endpoint: Endpoint, body: Mapping[str, Any] | None) -> Any:
        name, method, path = endpoint
        return self.request(method, path, json=body, operation=name)

    def image_config(self) -> ImageConfig:
        """The image base URL and sizes from /3/configuration, fetched on first use and kept."""
        return self._images.get(lambda: self._send(_CONFIGURATION, None))

    def image_url(self, file_path: str | None, size: str = "original", kind: str | None = None) -> str | None:
        """Full URL of an image path such as a movie's poster_path (None stays None)."""
        return self.image_config().url(file_path, size, kind)

    def close(self) -> None:
        """Closes the connection pool (a with_options() view leaves it to its parent), and the cache
        and rate limit the client made from `cache=`/`rate_limit=` strings or True."""
        if self._owner:
            self._http.close()
            for layer in self._owned:
                layer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _async_pool(proxy: str | None) -> httpx.AsyncBaseTransport:
    from ._aiohttp_pool import async_pool  # aiohttp is imported only by async clients

    return async_pool(_LIMITS, proxy)


class AsyncTMDB:
    """Asynchronous TMDB client: the mirror image of TMDB; every call is awaited."""

    _http: httpx.AsyncClient
    _owned: tuple[Cache | RateLimit, ...]

    def __init__(
        self,
        api_key: str | None = None,
        access_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: Timeout | None = None,
        retry: RetryPolicy | None = None,
        proxy: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock | None = None,
        cache: Cache | str | bool | None = None,
        rate_limit: RateLimit | str | bool | None = None,
    ) -> None:
        install_log_filter()
        settings = resolve_settings(api_key, access_token, base_url, timeout, retry, clock)
        settings, self._owned = _with_layers(settings, cache, rate_limit)
        pool = transport if transport is not None else _async_pool(proxy)
        self._setup(settings, pool, ImageConfigCache(), owner=True)

    def _setup(
        self, settings: Settings, pool: httpx.AsyncBaseTransport, images: ImageConfigCache, owner: bool
    ) -> None:
        self._settings, self._pool, self._images, self._owner = settings, pool, images, owner
        auth = TMDBAuth(settings.credentials)
        self._http = httpx.AsyncClient(
            base_url=settings.base_url,
            auth=auth,
            params=auth.query_params,
            timeout=settings.timeout,
            transport=_async_chain(pool, settings),
            event_hooks={"response": [_async_error_hook(settings.clock)]},
            trust_env=False,
        )
        self._generated = _generated_client(settings).set_async_httpx_client(self._http)
        self.v4 = V4(self._generated, AsyncOperation)
        self.auth = AsyncAuthFlows(self._send)

    def __getattr__(self, tag: str) -> Namespace:
        if tag.startswith(("_", _generated.V4_PREFIX)) or tag not in _generated.tags():
            v3 = sorted(t for t in _generated.tags() if not t.startswith(_generated.V4_PREFIX))
            raise AttributeError(f"TMDB has no resource {tag!r}; resources: {', '.join(v3)}, v4")
        namespace = Namespace(tag, self._generated, AsyncOperation)
        setattr(self, tag, namespace)
        return namespace

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *(t for t in _generated.tags() if not t.startswith("v4_"))})

    def __repr__(self) -> str:
        s = self._settings
        return f"AsyncTMDB(base_url={s.base_url!r}, credentials={s.credentials!r}, retry={s.retry!r})"

    def with_options(
        self, *, api_key: Any = KEEP, access_token: Any = KEEP, timeout: Any = KEEP, retry: Any = KEEP,
        cache: Any = KEEP, rate_limit: Any = KEEP,
    ) -> AsyncTMDB:
        """A view with other settings (as TMDB.with_options), sharing this client's pool."""
        view = AsyncTMDB.__new__(AsyncTMDB)
        view._owned = ()
        settings = _changed(self._settings, api_key, access_token, timeout, retry, cache, rate_limit)
        view._setup(settings, self._pool, self._images, False)
        return view

    async def request(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None,
        operation: str | None = None,
    ) -> Any:
        """Any TMDB endpoint by path, e.g. await request("GET", "/3/movie/550"): the decoded JSON body."""
        name = operation or f"{method} {path}"
        try:
            response = await self._http.request(method, path, params=params, json=json)
        except Exception as exc:
            error = translate(exc, name)
            if error is exc:
                raise
            raise error from None
        return result_of(name, None, response.content)

    async def _send(self, endpoint: Endpoint, body: Mapping[str, Any] | None) -> Any:
        name, method, path = endpoint
        return await self.request(method, path, json=body, operation=name)

    async def image_config(self) -> ImageConfig:
        """The image base URL and sizes from /3/configuration, fetched on first use and kept."""
        return await self._images.aget(lambda: self._send(_CONFIGURATION, None))

    async def image_url(self, file_path: str | None, size: str = "original", kind: str | None = None) -> str | None:
        """Full URL of an image path such as a movie's poster_path (None stays None)."""
        return (await self.image_config()).url(file_path, size, kind)

    async def aclose(self) -> None:
        """Closes the connection pool (a with_options() view leaves it to its parent), and the cache
        and rate limit the client made from `cache=`/`rate_limit=` strings or True."""
        if self._owner:
            await self._http.aclose()
            for layer in self._owned:
                await layer.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
