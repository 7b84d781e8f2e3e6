"""The entry points: TMDB (sync) and AsyncTMDB, one shared base over one connection pool each.

    with TMDB() as tmdb:                       # TMDB_API_KEY / TMDB_ACCESS_TOKEN from the environment
        movie = tmdb.movies.details(550)       # any operation: tmdb.<resource>.<action>
        for item in tmdb.movie_lists.popular.items(max_items=50): ...
        tmdb.v4.lists.details(1)               # v4 operations need a bearer token

Everything but I/O lives in `_Client`: settings, the transport chain (RetryTransport over build_chain's
layers over the pool: the cache and the rate limit of `cache=` and `rate_limit=`), the call path
(`_core.Core`), views and reprs. TMDB and AsyncTMDB add their pool, their I/O (SyncIO, AsyncIO) and their
closing. `with_options()` makes views sharing the pool, the chain below the retry layer (unless the view
changes the cache or the rate limit) and the image cache.
"""
from __future__ import annotations

import ipaddress
import os
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar
from urllib.parse import urlsplit

import httpx
from tmdb_generated._facade import AsyncResources, Resources

from . import _defaults
from ._call_limits import CallLimits
from ._checks import check_arguments
from ._core import Core, Credentials, Settings, Timeout, build_chain
from ._io import ASYNC_IO, IO, SYNC_IO, run_sync
from ._proxies import EnvironmentProxies, ProxyRouter, proxy_transport
from .errors import ConfigurationError
from .logs import configure_from_env
from .observe import CoreObserver, Observer
from .options import QueryDefaults, check_deadline, check_extra_query, check_headers, check_max_body
from .redact import install_log_filter, redact, register_secrets
from .telemetry import Tracing
from .transport.retry import AsyncRetryTransport, Clock, RetryPolicy, RetryTransport

if TYPE_CHECKING:
    from tmdb_generated._facade.raw import AsyncRawResources, RawResources
    from tmdb_generated.types import Unset

    from .cache import Cache
    from .catalogue.bulk import Outcome
    from .catalogue.checkpoint import Checkpoint
    from .catalogue.exports import AsyncExports, Exports
    from .catalogue.progress import ProgressCallback
    from .flows import AsyncAuthFlows, AuthFlows
    from .hooks import Hooks
    from .images import ImageConfig, ImageConfigCache
    from .ratelimit import RateLimit

_LIMITS = httpx.Limits(
    max_connections=_defaults.MAX_CONNECTIONS, max_keepalive_connections=_defaults.MAX_KEEPALIVE_CONNECTIONS
)
_CONFIGURATION = "configuration_details"
_DEFAULT_RETRY = RetryPolicy()
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)
ResultT = TypeVar("ResultT")


class _Keep:
    """Marks a with_options() argument left as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def check_base_url(url: str, allow_insecure_http: bool = False) -> str:
    """The base URL without its trailing slash; ConfigurationError for one that cannot work, or that would
    send the credentials unencrypted (http:// to a host other than this machine's loopback)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            redact(f"base_url {url!r} needs http:// or https:// and a host, e.g. {_defaults.BASE_URL}")
        )
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback(parts.hostname or ""):
        raise ConfigurationError(
            redact(f"base_url {url!r}: http:// would send the credentials unencrypted; use https://, or pass "
                   "allow_insecure_http=True (http:// is taken without it for loopback only: 127.0.0.1, ::1, localhost)")
        )  # fmt: skip
    path = parts.path.rstrip("/")
    if path.endswith(("/3", "/4")):
        raise ConfigurationError(
            redact(f"base_url {url!r} ends with the API version {path[-2:]!r}: every path starts with /3 or /4 "
                   f"already, so drop it (e.g. {_defaults.BASE_URL})")
        )  # fmt: skip
    if parts.query or parts.fragment:
        raise ConfigurationError(redact(f"base_url {url!r} must not have a query or a fragment"))
    return url.strip().rstrip("/")


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: plain http:// never leaves the machine."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_settings(
    api_key: str | None,
    access_token: str | None,
    base_url: str | None,
    timeout: Timeout,
    retry: RetryPolicy | None,
    clock: Clock | None,
    environ: Mapping[str, str] = os.environ,
    allow_insecure_http: bool = False,
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
        base_url=check_base_url(base_url or environ.get(_defaults.ENV_BASE_URL) or _defaults.BASE_URL,
                                allow_insecure_http),
        timeout=timeout,
        retry=RetryPolicy.none() if retry is None else retry,
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
        **_layer_changes(cache, rate_limit),
    )


def _with_limits(settings: Settings, deadline: Any, max_response_size: Any) -> Settings:
    """Settings with the call limits (issue 21), checked: a deadline in seconds or None, a body cap in bytes."""
    return replace(settings, deadline=check_deadline(deadline), max_response_size=check_max_body(max_response_size))


def _with_layers(settings: Settings, cache: Any, rate_limit: Any) -> tuple[Settings, tuple[Any, ...]]:
    """Settings with the client's cache and rate limit; those it made itself (from a URL or True), to close."""
    if cache is None and rate_limit is None:  # their modules are imported only when used
        return settings, ()
    from .cache import Cache
    from .ratelimit import RateLimit

    cache_layer, own_cache = Cache.coerce(cache)
    limit_layer, own_limit = RateLimit.coerce(rate_limit)
    owned = tuple(layer for layer, own in ((cache_layer, own_cache), (limit_layer, own_limit)) if own)
    return replace(settings, cache=cache_layer, rate_limit=limit_layer), owned


def _layer_changes(cache: Any, rate_limit: Any) -> dict[str, Any]:
    """with_options(cache=False/True) turns the client's cache off/on for the view, a Cache replaces it;
    rate_limit=None turns limiting off, a RateLimit replaces it."""
    changes: dict[str, Any] = {}
    if cache is not KEEP:
        if isinstance(cache, bool) or cache is None:
            changes["cache_enabled"] = bool(cache)
        elif isinstance(cache, str):
            raise ConfigurationError("with_options(cache=...) takes a Cache object, True or False")
        else:
            from .cache import Cache

            changes["cache"], changes["cache_enabled"] = Cache.coerce(cache)[0], True
    if rate_limit is not KEEP:
        if isinstance(rate_limit, str):
            raise ConfigurationError("with_options(rate_limit=...) takes a RateLimit object or None")
        from .ratelimit import RateLimit

        changes["rate_limit"] = RateLimit.coerce(rate_limit)[0]
    return changes


def _layers(settings: Settings) -> tuple[Any, bool, Any]:
    return settings.cache, settings.cache_enabled, settings.rate_limit


@dataclass(frozen=True, slots=True)
class _Services:
    """A client's (or view's) query defaults, hooks and tracing (issue 15)."""

    defaults: QueryDefaults = field(default_factory=QueryDefaults)
    hooks: Hooks | None = None
    tracing: Tracing | None = None

    def changed(self, defaults: Mapping[str, Any], hooks: Any) -> _Services:
        """with_options(): the query defaults given replaced, the view's hooks after the client's."""
        merged = self.hooks
        if hooks is not KEEP and hooks is not None:
            merged = hooks if merged is None else merged.merged(hooks)
        return replace(self, defaults=self.defaults.replaced(defaults), hooks=merged)


def _with_services(settings: Settings, services: _Services, headers: Any, extra_query: Any) -> Settings:
    """Settings carrying the query defaults, and the view's headers and extra query on top of the parent's."""
    return replace(
        settings,
        query_defaults=services.defaults.as_query(),
        headers=settings.headers if headers is KEEP else {**settings.headers, **check_headers(headers)},
        extra_query=(settings.extra_query if extra_query is KEEP
                     else {**settings.extra_query, **check_extra_query(extra_query)}),
    )


class _Shared:
    """What a client shares with its with_options() views: the pool, the chain above it, the image cache."""

    def __init__(self, pool: Any, settings: Settings, owned: tuple[Any, ...] = ()) -> None:
        self.pool = pool
        self.settings = settings  # what the chain was built from
        self.chain = build_chain(pool, settings)  # below the retry layer, which is per view
        self._images: ImageConfigCache | None = None
        self.closed = False
        self.owned = owned  # the cache and rate limit the client made, closed with the pool
        # (proxy, verify, trust_env) for the streaming transport of export downloads (catalogue/download.py);
        # None when the client was given transport=, which downloads then use too.
        self.stream_options: tuple[str | None, bool | ssl.SSLContext, bool] | None = None

    @property
    def images(self) -> ImageConfigCache:
        """The image configuration cache, made (and its module imported) on the first image_config()."""
        if self._images is None:
            from .images import ImageConfigCache

            self._images = ImageConfigCache()
        return self._images


@dataclass(frozen=True, slots=True)
class _Flavour:
    """How TMDB and AsyncTMDB differ: their I/O and the classes built on it."""

    io: IO
    retry: type[Any]
    default_pool: Callable[[str | None, bool | ssl.SSLContext, bool], Any]
    flows: str  # the name of its login-flows class in flows.py, imported on first use of .auth


class _Client(Generic[TransportT]):
    """What TMDB and AsyncTMDB share: everything but the I/O."""

    _FLAVOUR: ClassVar[_Flavour]
    _core: Core
    _raw: Any  # with_raw_response's resources (typed by TMDB and AsyncTMDB)

    def __init__(
        self,
        api_key: str | None = None,
        access_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: Timeout = _defaults.TIMEOUT_SECONDS,
        retry: RetryPolicy | None = _DEFAULT_RETRY,
        proxy: str | None = None,
        verify: bool | ssl.SSLContext = True,
        transport: TransportT | None = None,
        deadline: float | None = _defaults.DEADLINE_SECONDS,
        max_response_size: int = _defaults.MAX_RESPONSE_BYTES,
        trust_env: bool = True,
        clock: Clock | None = None,
        cache: Cache | str | bool | None = None,
        rate_limit: RateLimit | str | bool | None = None,
        language: str | None = None,
        region: str | None = None,
        watch_region: str | None = None,
        include_image_language: str | None = None,
        headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        hooks: Hooks | None = None,
        tracer_provider: Any = None,
        allow_insecure_http: bool = False,
    ) -> None:
        """Credentials from the arguments or TMDB_API_KEY / TMDB_ACCESS_TOKEN, base URL from TMDB_BASE_URL.

        retry=None: no retries; timeout=None: no timeout. transport= replaces the connection pool.
        deadline=: seconds one call may take in all, retries and waits included (None: no deadline).
        max_response_size=: the largest decoded response body accepted, in bytes.
        proxy=: every request through this proxy; otherwise HTTP_PROXY/HTTPS_PROXY/ALL_PROXY/NO_PROXY are
        read as httpx reads them, unless trust_env=False (which also ignores SSL_CERT_FILE/SSL_CERT_DIR).
        verify=: as httpx's: True (SSL_CERT_FILE or SSL_CERT_DIR when set, else certifi's CAs), an
        ssl.SSLContext (e.g. a company CA), or False (no certificate check: local stand-ins only).
        cache=: a Cache, or a storage URL ("memory", "sqlite:///path", "redis://host/0") for one the client
        owns. rate_limit=: a RateLimit, or a redis:// URL / True for one with the defaults. The client closes
        only the cache and rate limit it made; one given to it is closed by its owner.
        language/region/watch_region/include_image_language: sent on every operation that takes them
        (watch_region follows region, include_image_language is derived from language; see options.py).
        headers/extra_query: added to every request. hooks: Hooks(on_request=..., ...) around each call.
        tracer_provider: OpenTelemetry's (default: the global one, when opentelemetry-api is installed;
        False: no spans). allow_insecure_http=True: a plain http:// base_url to a host other than loopback.
        """
        check_arguments(locals())  # the argument names are the table's keys (_checks.RULES)
        install_log_filter()
        configure_from_env()
        if hooks is not None:
            self._check_hooks(hooks)
        settings = resolve_settings(api_key, access_token, base_url, timeout, retry, clock,
                                    allow_insecure_http=allow_insecure_http)
        settings = _with_limits(settings, deadline, max_response_size)
        settings, owned = _with_layers(settings, cache, rate_limit)
        services = _Services(
            QueryDefaults.of(language, region, watch_region, include_image_language), hooks,
            Tracing.create(tracer_provider),
        )
        settings = _with_services(settings, services, headers or {}, extra_query or {})
        pool = transport if transport is not None else self._FLAVOUR.default_pool(proxy, verify, trust_env)
        shared = _Shared(pool, settings, owned)
        shared.stream_options = (proxy, verify, trust_env) if transport is None else None
        self._setup(settings, shared, owner=True, services=services)

    def _check_hooks(self, hooks: Hooks) -> None:
        from .hooks import Hooks  # imported when a client is given hooks, not with the package

        if not isinstance(hooks, Hooks):
            raise ConfigurationError(f"hooks must be a tmdb_sdk.Hooks(on_request=..., ...), got {type(hooks).__name__}")

    def _setup(self, settings: Settings, shared: _Shared, owner: bool, services: _Services) -> None:
        self._settings, self._shared, self._pool, self._owner = settings, shared, shared.pool, owner
        self._services = services
        flavour = self._FLAVOUR
        chain = shared.chain if _layers(settings) == _layers(shared.settings) else build_chain(shared.pool, settings)
        limits = CallLimits(settings.deadline, settings.max_response_size)
        self._core = Core(settings, flavour.retry(chain, settings.retry, settings.clock, limits), flavour.io)
        self._core.hooks = CoreObserver(Observer(services.hooks, services.tracing, settings.clock.monotonic))
        self._core.shared = shared  # a closed client (and its views) refuses calls
        self._auth: Any = None  # the auth flows, made (and flows.py imported) on first use of .auth
        self._raw = None  # with_raw_response, made on first use

    def _flows(self) -> Any:
        if self._auth is None:
            from . import flows  # the flows and their token classes load on first use

            self._auth = getattr(flows, self._FLAVOUR.flows)(self._core)
        return self._auth

    def with_options(
        self, *, api_key: Any = KEEP, access_token: Any = KEEP, timeout: Any = KEEP, retry: Any = KEEP,
        deadline: Any = KEEP, max_response_size: Any = KEEP, cache: Any = KEEP, rate_limit: Any = KEEP,
        language: Any = KEEP, region: Any = KEEP, watch_region: Any = KEEP, include_image_language: Any = KEEP,
        headers: Any = KEEP, extra_query: Any = KEEP, hooks: Any = KEEP,
    ) -> Self:
        """A view with other settings (retry=None: no retries; deadline=None: no deadline; cache=False skips
        the cache, rate_limit=None the limiter), sharing this client's pool.

        headers/extra_query are added to the client's; hooks run after the client's; language=None etc.
        stops sending that default. Views need no closing; closing the client they came from closes them too.
        """
        check_arguments(locals(), skip=KEEP)
        options = {"language": language, "region": region, "watch_region": watch_region,
                   "include_image_language": include_image_language}
        if hooks is not KEEP and hooks is not None:
            self._check_hooks(hooks)
        # What is left are the query defaults (language, region, ...).
        changed = self._services.changed({k: v for k, v in options.items() if v is not KEEP}, hooks)
        settings = _changed(self._settings, api_key, access_token, timeout, retry, cache, rate_limit)
        settings = _with_limits(
            settings, settings.deadline if deadline is KEEP else deadline,
            settings.max_response_size if max_response_size is KEEP else max_response_size,
        )
        settings = _with_services(settings, changed, headers, extra_query)
        view = type(self).__new__(type(self))
        view._setup(settings, self._shared, False, changed)
        return view

    @property
    def is_closed(self) -> bool:
        """Whether the client that owns the connection pool has closed it."""
        return self._shared.closed

    def __repr__(self) -> str:
        s = self._settings
        return f"{type(self).__name__}(base_url={s.base_url!r}, credentials={s.credentials!r}, retry={s.retry!r})"


def _default_pool(
    proxy: str | None, verify: bool | ssl.SSLContext, trust_env: bool = True, *, asynchronous: bool
) -> Any:
    """The lean HTTP/1.1 pool (_http11 for TMDB, _async_pool on asyncio for AsyncTMDB); httpx's own for the
    requests that go through a proxy: all of them with `proxy=`, else those the environment names a proxy
    for (unless trust_env=False; _proxies). Each lean pool is imported only by the clients that use it."""
    if not isinstance(verify, (bool, ssl.SSLContext)):
        raise ConfigurationError(f"verify= takes True, False or an ssl.SSLContext, got {type(verify).__name__}")
    make = partial(proxy_transport, verify=verify, trust_env=trust_env, limits=_LIMITS, asynchronous=asynchronous)
    if proxy:
        return make(proxy)
    # True keeps the pools' own default (httpx's context, built on the first TLS connection).
    context = None if verify is True and trust_env else httpx.create_ssl_context(verify=verify, trust_env=trust_env)
    pool: Any
    if asynchronous:
        from .transport._async_pool import AsyncPool

        pool = AsyncPool(_LIMITS, ssl_context=context)
    else:
        from .transport._http11 import SyncPool

        pool = SyncPool(_LIMITS, ssl_context=context)
    proxies = EnvironmentProxies.read() if trust_env else None
    return pool if proxies is None else ProxyRouter(pool, proxies, make)


class TMDB(Resources, _Client[httpx.BaseTransport]):
    """Synchronous TMDB client. `tmdb.<resource>.<action>(...)` calls any operation of the spec."""

    _FLAVOUR = _Flavour(SYNC_IO, RetryTransport, partial(_default_pool, asynchronous=False), "AuthFlows")
    _raw: RawResources | None

    @property
    def auth(self) -> AuthFlows:
        """Sign a user in (v3 sessions, guest sessions, v4 user tokens): the one login surface."""
        return self._flows()  # type: ignore[no-any-return]

    def _check_hooks(self, hooks: Hooks) -> None:
        super()._check_hooks(hooks)
        hooks.check_sync("TMDB")

    @property
    def with_raw_response(self) -> RawResources:
        """The same operations, typed the same, each returning a RawResponse[result] (status, headers,
        elapsed, `.parse()`): `tmdb.with_raw_response.movies.details(550).parse()` is a MovieDetails."""
        if self._raw is None:
            from tmdb_generated._facade.raw import RawResources  # the raw facade loads on first use

            self._raw = RawResources(self._core)
        return self._raw

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

    @property
    def exports(self) -> Exports:
        """The daily ID exports: `tmdb.exports.ids("movie")` streams today's (or yesterday's) file as rows."""
        from .catalogue.exports import Exports

        return Exports(self)

    def bulk(
        self, operation: Callable[..., ResultT], ids: Iterable[int], *, append: Sequence[str] | None = None,
        concurrency: int = _defaults.BULK_CONCURRENCY, checkpoint: Checkpoint | str | Path | None = None,
        shard: tuple[int, int] | None = None, progress: ProgressCallback | None = None, bar: bool | None = None,
        **params: Any,
    ) -> Iterator[Outcome[ResultT]]:
        """`operation` (e.g. tmdb.movies.details) for each id, `concurrency` at a time: each id's outcome
        (Fetched, Gone, Failed) as its call finishes. checkpoint=: a file (or RedisCheckpoint) of finished
        ids, skipped on a rerun; shard=(i, n): this replica's share; progress=: a callback; bar: a progress
        bar (default: on a terminal, with rich installed). See tmdb_sdk.catalogue.bulk."""
        from .catalogue.bulk import bulk_sync

        return bulk_sync(operation, ids, append=append, concurrency=concurrency, checkpoint=checkpoint,
                         shard=shard, progress=progress, bar=bar, **params)  # fmt: skip

    def close(self) -> None:
        """Closes the connection pool (a with_options() view leaves it to its parent), and the cache and
        rate limit the client made from a URL."""
        if self._owner:
            self._shared.pool.close()
            self._shared.closed = True
            for layer in self._shared.owned:
                layer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncTMDB(AsyncResources, _Client[httpx.AsyncBaseTransport]):
    """Asynchronous TMDB client: the same resources and operations as TMDB, each call awaited."""

    _FLAVOUR = _Flavour(ASYNC_IO, AsyncRetryTransport, partial(_default_pool, asynchronous=True), "AsyncAuthFlows")
    _raw: AsyncRawResources | None

    @property
    def auth(self) -> AsyncAuthFlows:
        """Sign a user in (v3 sessions, guest sessions, v4 user tokens): the one login surface."""
        return self._flows()  # type: ignore[no-any-return]

    @property
    def with_raw_response(self) -> AsyncRawResources:
        """The same operations, typed the same, each returning an awaitable RawResponse[result]:
        `(await tmdb.with_raw_response.movies.details(550)).parse()` is a MovieDetails."""
        if self._raw is None:
            from tmdb_generated._facade.raw import AsyncRawResources  # the raw facade loads on first use

            self._raw = AsyncRawResources(self._core)
        return self._raw

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

    @property
    def exports(self) -> AsyncExports:
        """The daily ID exports: `async for row in tmdb.exports.ids("movie")` (see TMDB.exports)."""
        from .catalogue.exports import AsyncExports

        return AsyncExports(self)

    def bulk(
        self, operation: Callable[..., Awaitable[ResultT]], ids: Iterable[int], *, append: Sequence[str] | None = None,
        concurrency: int = _defaults.BULK_CONCURRENCY, checkpoint: Checkpoint | str | Path | None = None,
        shard: tuple[int, int] | None = None, progress: ProgressCallback | None = None, bar: bool | None = None,
        **params: Any,
    ) -> AsyncIterator[Outcome[ResultT]]:
        """`operation` for each id, at most `concurrency` tasks at a time; `async for` the outcomes
        (see TMDB.bulk)."""
        from .catalogue.bulk import bulk_async

        return bulk_async(operation, ids, append=append, concurrency=concurrency, checkpoint=checkpoint,
                          shard=shard, progress=progress, bar=bar, **params)  # fmt: skip

    async def aclose(self) -> None:
        """Closes the connection pool (a with_options() view leaves it to its parent), and the cache and
        rate limit the client made from a URL."""
        if self._owner:
            await self._shared.pool.aclose()
            self._shared.closed = True
            for layer in self._shared.owned:
                await layer.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
