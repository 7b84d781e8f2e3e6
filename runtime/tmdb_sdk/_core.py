"""The call path shared by TMDB and AsyncTMDB: arguments -> httpx.Request -> transport chain -> result.

    arguments --bind (index entry)--> httpx.Request (auth, defaults, extensions["tmdb_operation"])
      --> RetryTransport -> [cache] -> [rate limit] -> pool      (build_chain; one chain per client)
      --> status >= 400: APIError; else the body decoded once and parsed by the result model's from_dict

`Core` holds all of it; the only I/O is `exchange`, written once as a coroutine and run through SyncIO
(TMDB, via run_sync) or AsyncIO (AsyncTMDB, awaited): see _io.py. httpx.Client is not used: its auth
flow, cookies, event hooks and redirects cost time on every call and the core does its own auth,
retries and error mapping.

Extension points, each one place:
- `build_chain`: the transports between the retry layer and the pool (cache, rate limit);
- `Settings.query_defaults`: client-level values for query parameters (language, region, ...), sent
  only to the operations that take the parameter, never over an explicit argument;
- `Core.hooks`: an object whose `before`/`after`/`error` coroutines the core awaits around each call;
- `Core.exchange` + `Core.outcome`: the raw response, and its parsing on demand.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

import httpx
from tmdb_generated.errors import ParseError

from . import _defaults
from ._io import IO
from ._json import loads
from ._urls import UrlMaker
from .errors import (
    APIError,
    ArgumentError,
    ClientClosedError,
    ConfigurationError,
    ResponseParseError,
    error_from_response,
    transport_error,
)
from .redact import mask
from .transport.retry import Clock, RetryPolicy

if TYPE_CHECKING:
    from ._index import OperationInfo

_LOG = logging.getLogger("tmdb_sdk")
OPERATION = "tmdb_operation"  # request.extensions key of the operation's index entry
Timeout = float | httpx.Timeout | None


@dataclass(frozen=True, slots=True)
class Credentials:
    api_key: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.api_key and not self.access_token:
            raise ConfigurationError(
                f"no TMDB credentials: pass api_key= or access_token=, or set {_defaults.ENV_API_KEY} "
                f"or {_defaults.ENV_ACCESS_TOKEN}"
            )

    def __repr__(self) -> str:
        return f"Credentials(api_key={mask(self.api_key)!r}, access_token={mask(self.access_token)!r})"


@dataclass(frozen=True, slots=True)
class Settings:
    credentials: Credentials
    base_url: str = _defaults.BASE_URL
    timeout: Timeout = _defaults.TIMEOUT_SECONDS
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # The call limits (issue 21, _call_limits): seconds for a whole call (None: none), decoded body bytes.
    deadline: float | None = _defaults.DEADLINE_SECONDS
    max_response_size: int = _defaults.MAX_RESPONSE_BYTES
    clock: Clock = field(default_factory=Clock, repr=False)
    # Python parameter name -> value, sent to every operation that takes the parameter (issue 15).
    query_defaults: Mapping[str, Any] = field(default_factory=dict)
    # The layers build_chain puts under the retry layer (issue 14): a tmdb_sdk.cache.Cache (with
    # cache_enabled=False in a with_options(cache=False) view) and a tmdb_sdk.ratelimit.RateLimit.
    cache: Any = None
    cache_enabled: bool = True
    rate_limit: Any = None
    # with_options(headers=..., extra_query=...): added to every request (an argument of the call wins).
    headers: Mapping[str, str] = field(default_factory=dict)
    extra_query: Mapping[str, str] = field(default_factory=dict)


class Hooks(Protocol):
    """What the core awaits around each call when `Core.hooks` is set (sync clients: never suspending):
    `before` the first attempt, then `after` the result is made or `error` with what the call raises
    (observe.CoreObserver: hooks, the log line and the span)."""

    async def before(self, info: OperationInfo | None, request: httpx.Request) -> None: ...
    async def after(self, info: OperationInfo | None, request: httpx.Request, response: httpx.Response) -> None: ...
    async def error(
        self, info: OperationInfo | None, request: httpx.Request, error: BaseException,
        response: httpx.Response | None = None,
    ) -> None: ...
    def abandon(self, request: httpx.Request, error: BaseException) -> None:
        """The call ended by something other than a request error (cancelled, interrupted): no hook runs."""


def build_chain(pool: Any, settings: Settings) -> Any:
    """What sits between the retry layer and the pool, shared by a client and its with_options() views.

    The cache (a hit never spends rate budget) and the rate limiter (it sees every real request and every
    429) wrap it here: RetryTransport -> CacheLayer -> RateLimitLayer -> pool. Both layers serve a sync and
    an async pool alike, and are imported only when a client has them.
    """
    if settings.rate_limit is not None:
        from .ratelimit import RateLimitLayer

        pool = RateLimitLayer(pool, settings.rate_limit, settings.clock)
    if settings.cache is not None:
        from .cache import CacheLayer

        pool = CacheLayer(pool, settings.cache, enabled=settings.cache_enabled)
    return pool


def _user_agent() -> str:
    from tmdb_generated._build_info import __version__ as version

    return f"tmdb-sdk-internal/{version} python-httpx/{httpx.__version__}"


def _is_unset(value: Any) -> bool:
    """The generated models' Unset (absent field), without importing the generated types (attrs)."""
    cls = type(value)
    return cls.__name__ == "Unset" and cls.__module__ == "tmdb_generated.types"


def _closest(name: str, choices: list[str]) -> str:
    import difflib  # only on the error path

    match = difflib.get_close_matches(name, choices, n=1)
    return f"; did you mean {match[0]!r}?" if match else ""


def _argument_error(info: OperationInfo, problem: str) -> ArgumentError:
    return ArgumentError(f"tmdb.{info.qualname}{info.signature_text()}: {problem}")


def _check_path_value(info: OperationInfo, name: str, kind: str, value: Any) -> str:
    """A path parameter as it goes into the URL; ArgumentError for a value TMDB would answer with a 404."""
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        hint = f" (int({value!r}) if it is one)" if isinstance(value, str) and value.strip().isdigit() else ""
        raise _argument_error(info, f"{name} must be an int, got {type(value).__name__} {value!r}{hint}")
    if isinstance(value, str) and value.strip():
        return quote(value, safe="")
    raise _argument_error(info, f"{name} must be a non-empty str, got {type(value).__name__} {value!r}")


@dataclass(slots=True)
class Bound:
    """One call's arguments, checked: the path filled in, the query by wire name, the JSON body."""

    path: str
    query: dict[str, Any]
    body: Any = None


def bind(info: OperationInfo, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Bound:
    """Checks a call's arguments against the operation's parameters; ArgumentError names what is wrong."""
    path_params = info.path_params
    if len(args) > len(path_params):
        takes = f"takes {len(path_params)} positional argument{'s' * (len(path_params) != 1)}"
        hint = f" ({', '.join(p.name for p in path_params)})" if path_params else ""
        raise _argument_error(info, f"{takes}{hint} but {len(args)} were given; pass the others by keyword")
    values = {p.name: value for p, value in zip(path_params, args, strict=False)}
    query: dict[str, Any] = {}
    body: Any = None
    params = info.params
    for name, value in kwargs.items():
        param = params.get(name)
        if param is None:
            if name == "body" and info.body is not None:
                body = value
                continue
            choices = [*params, *(["body"] if info.body is not None else [])]
            raise _argument_error(info, f"unexpected argument {name!r}{_closest(name, choices)}")
        if name in info.path_names:
            if name in values:
                raise _argument_error(info, f"{name} given twice")
            values[name] = value
        elif value is not None and not (not value and _is_unset(value)):
            if isinstance(value, (list, tuple)) and param.kind != "list":
                value = ",".join(str(item) for item in value)
            query[param.wire] = value
    missing = [p.name for p in path_params if p.name not in values]
    missing += [p.name for p in info.query_params if p.required and p.wire not in query]
    if info.body is not None and info.body[2] and body is None:
        missing.append("body")
    if missing:
        raise _argument_error(info, f"missing required argument{'s' * (len(missing) > 1)}: {', '.join(missing)}")
    path = info.path
    if values:
        path = path.format_map({p.name: _check_path_value(info, p.name, p.kind, values[p.name]) for p in path_params})
    return Bound(path, query, _body_json(info, body) if body is not None else None)


def _body_json(info: OperationInfo, body: Any) -> Any:
    """The JSON of a body given as its generated model or as a plain mapping (checked by the model)."""
    model = info.body_class()
    if model is None:
        return body
    if isinstance(body, Mapping):
        try:
            body = model.from_dict(body)
        except ParseError as failure:
            raise ArgumentError(f"{info.operation_id}: body does not fit {model.__name__}: {failure}") from None
    elif not isinstance(body, model):
        raise _argument_error(info, f"body must be a {model.__name__} or a dict, got {type(body).__name__}")
    return body.to_dict()


def _error_with_http_200(data: Any, status: int, name: str) -> APIError | None:
    """TMDB sends some errors (status_code 21, 40) with a 2xx status and `success: false`."""
    if isinstance(data, dict) and data.get("success") is False and type(data.get("status_code")) is int:
        message = data.get("status_message")
        return APIError(status, data["status_code"], message if isinstance(message, str) else None, operation=name)
    return None


def decode(name: str, content: bytes) -> Any:
    """The JSON of a body (decoded once per call, by orjson: _json); ResponseParseError when it is not JSON."""
    try:
        return loads(content)
    except ValueError as exc:
        where = f" ({exc.msg} at position {exc.pos})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ResponseParseError(name, f"body is not JSON{where}") from None


def parse(name: str, model: type[Any] | None, data: Any, status: int = 200) -> Any:
    """`data` parsed by `model.from_dict`; ResponseParseError naming the model and field where it failed.

    The generated parsing code raises tmdb_generated.errors.ParseError (generator/edits/080-parse-errors.yaml)
    with the innermost model, the field and the path to it; TMDB's errors sent with a success status
    (`success: false`) become an APIError instead.
    """
    if model is None:
        return data
    try:
        return model.from_dict(data)
    except ParseError as failure:
        error = _error_with_http_200(data, status, name) or ResponseParseError(
            name, str(failure), model=failure.model, field=failure.field, path=tuple(failure.path)
        )
    raise error


_NO_BODY = httpx.ByteStream(b"")  # immutable: one serves every bodiless request


def _get_request(url: httpx.URL, headers: httpx.Headers, extensions: dict[str, Any]) -> httpx.Request:
    """The httpx.Request that `httpx.Request("GET", url, headers=...)` builds, without re-encoding the
    headers and re-checking them for Host and Content-Length on every call (~8 us of a cache hit's 35).
    httpx is pinned below 0.29; tests/runtime compares the two field by field."""
    request = httpx.Request.__new__(httpx.Request)
    request.method = "GET"
    request.url = url
    request.headers = headers.copy()
    request.extensions = extensions
    request.stream = _NO_BODY
    request._content = b""
    return request


class Core:
    """One client's call path: its settings, transport chain and I/O (see the module docstring)."""

    __slots__ = (
        "_bearer", "_get_headers", "_headers", "_key_query", "_timeout", "_urls", "hooks", "io", "settings", "shared",
        "transport",
    )

    def __init__(self, settings: Settings, transport: Any, io: IO) -> None:
        self.settings, self.transport, self.io = settings, transport, io
        self.hooks: Hooks | None = None
        self.shared: Any = None  # the client's state shared with its views: once `.closed`, calls are refused
        credentials = settings.credentials
        self._urls = UrlMaker(settings.base_url)  # the base URL parsed once, not per call
        self._bearer = f"Bearer {credentials.access_token}" if credentials.access_token else None
        headers = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate", "User-Agent": _user_agent()}
        headers.update(settings.headers)
        if self._bearer is not None:
            headers["Authorization"] = self._bearer
        self._headers = httpx.Headers(headers)  # copied by each request without re-normalising
        # A GET's headers as httpx.Request would make them: Host (every URL has the base URL's) first.
        self._get_headers = httpx.Headers([(b"Host", self._urls("/").netloc), *self._headers.raw])
        # v3 takes the key as a query parameter; a bearer token (preferred) keeps it out of URLs.
        self._key_query = {"api_key": credentials.api_key} if self._bearer is None and credentials.api_key else {}
        if settings.extra_query:
            self._key_query = {**settings.extra_query, **self._key_query}
        self._timeout = httpx.Timeout(settings.timeout).as_dict()

    def new_request(
        self, method: str, path: str, query: Mapping[str, Any], body: Any, info: OperationInfo | None, name: str
    ) -> httpx.Request:
        """The request, with auth applied and the index entry on extensions["tmdb_operation"]."""
        if self._bearer is None and path.startswith("/4/"):
            raise ConfigurationError(
                f"{name}: TMDB v4 accepts only a bearer token; pass access_token= (your API Read Access Token) "
                f"or set {_defaults.ENV_ACCESS_TOKEN}"
            )
        params = {**self._key_query, **query} if self._key_query else query
        if method == "GET" and body is None:
            return _get_request(self._urls(path, params), self._get_headers, {"timeout": self._timeout, OPERATION: info})
        return httpx.Request(
            method, self._urls(path, params), json=body, headers=self._headers,
            extensions={"timeout": self._timeout, OPERATION: info},
        )  # fmt: skip

    def request_for(self, info: OperationInfo, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> httpx.Request:
        bound = bind(info, args, kwargs)
        defaults = self.settings.query_defaults
        if defaults:
            for name, value in defaults.items():
                param = info.params.get(name)
                if param is not None and name not in info.path_names and param.wire not in bound.query:
                    bound.query[param.wire] = value
        return self.new_request(info.method, bound.path, bound.query, bound.body, info, info.operation_id)

    async def exchange(self, name: str, request: httpx.Request) -> httpx.Response:
        """Sends `request` through the chain and reads the body: the call's only I/O."""
        if self.shared is not None and self.shared.closed:
            raise ClientClosedError(f"{name}: the client was closed (close(), or the end of its with block); "
                                    "make a new one")
        info = request.extensions.get(OPERATION)
        hooks = self.hooks
        try:
            if hooks is not None:
                await hooks.before(info, request)
            response = await self.io.send(self.transport, request)
            response.request = request
            await self.io.read(response)
        except httpx.RequestError as exc:
            error = transport_error(exc, request, name)
            if hooks is not None:
                await hooks.error(info, request, error)
            raise error from None
        except BaseException as exc:
            if hooks is not None:
                hooks.abandon(request, exc)
            raise
        if _LOG.isEnabledFor(logging.DEBUG):
            _LOG.debug('HTTP Request: %s %s "%s %d %s"', request.method, request.url, response.http_version,
                       response.status_code, response.reason_phrase)  # fmt: skip
        return response

    async def result(
        self, name: str, model: type[Any] | None, request: httpx.Request, response: httpx.Response, parsed: bool = True
    ) -> Any:
        """`outcome`, with the hooks told how the call ended (`parsed=False`: raw responses, whose
        success bodies are parsed later, on demand)."""
        hooks = self.hooks
        if hooks is None:
            return self.outcome(name, model, response) if parsed or response.status_code >= 400 else None
        info = request.extensions.get(OPERATION)
        try:
            value = self.outcome(name, model, response) if parsed or response.status_code >= 400 else None
        except Exception as error:
            await hooks.error(info, request, error, response)
            raise
        await hooks.after(info, request, response)
        return value

    def outcome(self, name: str, model: type[Any] | None, response: httpx.Response) -> Any:
        """The call's result from its response: APIError for >= 400, else the parsed body (None if empty)."""
        status = response.status_code
        if status >= 400:
            raise error_from_response(response, self.settings.clock.wall(), name)
        content = response.content
        if not content:
            if model is None:
                return None
            raise ResponseParseError(name, f"{model.__name__}: the body is empty, not JSON")
        return parse(name, model, decode(name, content), status)

    async def call(self, info: OperationInfo, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Any:
        """One operation: bind, send, parse."""
        request = self.request_for(info, args, kwargs)
        response = await self.exchange(info.operation_id, request)
        return await self.result(info.operation_id, info.result_class(), request, response)

    async def call_json(self, operation_id: str, kwargs: Mapping[str, Any]) -> Any:
        """An operation by operationId, its body returned as decoded JSON (user flows, image configuration)."""
        from ._index import operation  # the index module loads on the first call, not at import

        info = operation(operation_id)
        request = self.request_for(info, (), kwargs)
        response = await self.exchange(operation_id, request)
        return await self.result(operation_id, None, request, response)

    async def call_path(
        self, method: str, path: str, params: Mapping[str, Any] | None, body: Any, name: str | None
    ) -> Any:
        """Any endpoint by path: the decoded JSON body (None when empty)."""
        name = name or f"{method} {path}"
        request = self.new_request(method, path, params or {}, body, None, name)
        return await self.result(name, None, request, await self.exchange(name, request))

