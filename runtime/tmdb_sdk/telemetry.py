"""OpenTelemetry: one CLIENT span per call, when `opentelemetry-api` is installed (`pip install
tmdb-sdk-internal[otel]`) and the application has set a tracer provider.

The span is named by the operationId (`movies_details`) and carries the HTTP semantic-convention
attributes of a client span (`http.request.method`, `url.full` *without* its query string,
`url.template`, `server.address`, `server.port`, `http.response.status_code`, `error.type`), the
retry count as `http.request.resend_count`, and on a TMDB error the body's `tmdb.status_code`.
Secrets never reach it: the query string (where v3 sends `api_key` and session ids) is dropped,
and path segments that hold a session id are kept as their template placeholder.

Without a tracer provider OpenTelemetry's API hands out non-recording spans: the call then pays
one `start_span` and nothing else. `TMDB(tracer_provider=...)` picks a provider other than the
global one (tests use the SDK's InMemorySpanExporter this way).
"""
from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

import httpx

from .redact import public_url

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer

INSTRUMENTATION = "tmdb_sdk"


def available() -> bool:
    """Is opentelemetry-api installed? (found without importing it: the import costs ~20 ms)"""
    try:
        return importlib.util.find_spec("opentelemetry.trace") is not None
    except ModuleNotFoundError:
        return False


class Tracing:
    """The tracer of a client, and the spans of its calls."""

    __slots__ = ("_attach", "_client", "_global", "_in_context", "_trace", "_tracer")

    def __init__(self, tracer: Tracer, global_provider: bool = False) -> None:
        from opentelemetry import context, trace

        self._tracer = tracer
        # Through the global provider, nothing records until the application sets one: the call then
        # skips even start_span. `_TRACER_PROVIDER` is the API's own global (the one its proxy tracer
        # reads); should it be renamed, every call starts a (non-recording) span as before.
        self._global, self._trace = global_provider, trace
        # Looked up once: an import statement or module attribute per call costs as much as the span.
        self._client = trace.SpanKind.CLIENT
        self._in_context = trace.set_span_in_context
        self._attach = context.attach

    @classmethod
    def create(cls, tracer_provider: Any = None) -> Tracing | None:
        """Tracing through `tracer_provider` (default: the global one); None without opentelemetry-api,
        or when `tracer_provider` is False (spans turned off for this client)."""
        if tracer_provider is False or not available():
            return None
        from opentelemetry import trace
        from tmdb_generated._build_info import __version__

        provider = tracer_provider if tracer_provider is not None else trace.get_tracer_provider()
        return cls(provider.get_tracer(INSTRUMENTATION, __version__), global_provider=tracer_provider is None)

    def start(self, operation: str, request: httpx.Request, path_template: str) -> CallSpan | None:
        """The span of one call, made current; None when nobody records it (no tracer provider)."""
        if self._global and getattr(self._trace, "_TRACER_PROVIDER", self) is None:
            return None
        span = self._tracer.start_span(operation, kind=self._client)
        if not span.is_recording():
            return None
        url = request.url
        span.set_attributes({
            "http.request.method": request.method,
            "url.full": str(public_url(url, path_template).copy_with(query=None)),
            "url.template": path_template,
            "server.address": url.host,
            "server.port": url.port or (443 if url.scheme == "https" else 80),
            "tmdb.operation_id": operation,
        })
        return CallSpan(span, self._attach(self._in_context(span)))


class CallSpan:
    """One call's span: ended exactly once, by `success` or `failure`."""

    __slots__ = ("_span", "_token")

    def __init__(self, span: Span, token: object) -> None:
        self._span, self._token = span, token

    def success(self, status: int, retries: int, cache: str | None) -> None:
        span = self._span
        span.set_attribute("http.response.status_code", status)
        span.set_attribute("http.request.resend_count", retries)
        if cache is not None:
            span.set_attribute("tmdb.cache", cache)
        self._end()

    def failure(self, error: BaseException, status: int | None, retries: int, cache: str | None) -> None:
        from opentelemetry.trace import Status, StatusCode

        span = self._span
        span.set_attribute("http.request.resend_count", retries)
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        tmdb_code = getattr(error, "status_code", None)
        if isinstance(tmdb_code, int):
            span.set_attribute("tmdb.status_code", tmdb_code)
        if cache is not None:
            span.set_attribute("tmdb.cache", cache)
        http_status = getattr(error, "http_status", None)
        error_type = str(http_status) if isinstance(http_status, int) else type(error).__qualname__
        span.set_attribute("error.type", error_type)
        # The runtime's messages are redacted already; str() of anything else is not shown.
        message = str(error) if error.__class__.__module__.startswith("tmdb_sdk") else type(error).__qualname__
        span.set_status(Status(StatusCode.ERROR, message))
        self._end()

    def _end(self) -> None:
        from opentelemetry import context

        self._span.end()
        try:
            context.detach(self._token)  # type: ignore[arg-type]
        except ValueError:  # ended in another context (e.g. an async generator closed elsewhere)
            pass
