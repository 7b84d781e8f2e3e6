"""OpenTelemetry spans of calls, checked with the SDK's InMemorySpanExporter."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from services_support import API_KEY, Ticker, assert_no_secret
from tmdb_sdk import NotFoundError, TransportError
from tmdb_sdk.observe import Observer
from tmdb_sdk.telemetry import Tracing


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.clear()


@pytest.fixture
def observer(exporter: InMemorySpanExporter) -> Observer:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return Observer(None, Tracing.create(provider), Ticker())


def secret_request(path: str = "/3/movie/550") -> httpx.Request:
    return httpx.Request("GET", f"https://api.themoviedb.org{path}?api_key={API_KEY}&language=de-DE")


def test_a_successful_call_is_one_client_span_named_by_operation_id(
    observer: Observer, exporter: InMemorySpanExporter
) -> None:
    call = observer.start("movies_details", "/3/movie/{movie_id}", secret_request())
    assert call is not None
    call.retry(httpx.Response(429), None, 0.0)
    call.succeeded(httpx.Response(200, extensions={"tmdb_cache": "miss"}))
    (span,) = exporter.get_finished_spans()
    assert span.name == "movies_details" and span.kind is SpanKind.CLIENT
    assert dict(span.attributes or {}) == {
        "http.request.method": "GET",
        "url.full": "https://api.themoviedb.org/3/movie/550",
        "url.template": "/3/movie/{movie_id}",
        "server.address": "api.themoviedb.org",
        "server.port": 443,
        "tmdb.operation_id": "movies_details",
        "http.response.status_code": 200,
        "http.request.resend_count": 1,
        "tmdb.cache": "miss",
    }
    assert span.status.status_code is StatusCode.UNSET


def test_an_api_error_sets_error_type_and_tmdb_status_code(observer: Observer, exporter: InMemorySpanExporter) -> None:
    call = observer.start("movies_details", "/3/movie/{movie_id}", secret_request("/3/movie/0"))
    assert call is not None
    call.failed(NotFoundError(404, 34, "The resource you requested could not be found.", operation="movies_details"))
    (span,) = exporter.get_finished_spans()
    attributes = dict(span.attributes or {})
    assert attributes["http.response.status_code"] == 404
    assert attributes["tmdb.status_code"] == 34
    assert attributes["error.type"] == "404"
    assert attributes["http.request.resend_count"] == 0
    assert span.status.status_code is StatusCode.ERROR
    assert "status_code 34" in (span.status.description or "")


def test_a_transport_error_is_named_by_its_class(observer: Observer, exporter: InMemorySpanExporter) -> None:
    call = observer.start("movies_details", "/3/movie/{movie_id}", secret_request())
    assert call is not None
    call.failed(TransportError(f"movies_details: ConnectError at ?api_key={API_KEY}"[:30]))
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes or {})["error.type"] == "TransportError"
    assert "http.response.status_code" not in dict(span.attributes or {})


def test_no_span_carries_a_query_string_or_a_secret(observer: Observer, exporter: InMemorySpanExporter) -> None:
    request = httpx.Request(
        "GET", f"https://api.themoviedb.org/3/guest_session/{API_KEY}/rated/movies?api_key={API_KEY}"
    )
    call = observer.start("guest_sessions_rated_movies", "/3/guest_session/{guest_session_id}/rated/movies", request)
    assert call is not None
    call.failed(RuntimeError(f"a message quoting {API_KEY}"))
    (span,) = exporter.get_finished_spans()
    attributes = dict(span.attributes or {})
    assert attributes["url.full"] == "https://api.themoviedb.org/3/guest_session/***/rated/movies"
    text = repr(attributes) + repr(span.status.description) + repr([e.attributes for e in span.events])
    assert "?" not in attributes["url.full"]
    assert_no_secret(text)


def test_the_span_is_current_while_the_call_runs(observer: Observer, exporter: InMemorySpanExporter) -> None:
    from opentelemetry import trace

    call = observer.start("movies_details", "/3/movie/{movie_id}", secret_request())
    assert call is not None
    assert trace.get_current_span().get_span_context().is_valid
    call.succeeded(httpx.Response(200))
    assert not trace.get_current_span().get_span_context().is_valid


def test_without_a_tracer_provider_nothing_is_recorded() -> None:
    from opentelemetry.trace import NoOpTracerProvider

    observer = Observer(None, Tracing.create(NoOpTracerProvider()), Ticker())
    assert observer.tracing is not None
    call = observer.start("movies_details", "/3/movie/{movie_id}", secret_request(), always=True)
    assert call is not None and call._span is None
    assert Tracing.create(False) is None


def test_the_global_provider_is_used_once_the_application_sets_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """In a fresh process: the global provider is a process-wide setting."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        "import httpx\n"
        "from opentelemetry import trace\n"
        "from opentelemetry.sdk.trace import TracerProvider\n"
        "from opentelemetry.sdk.trace.export import SimpleSpanProcessor\n"
        "from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter\n"
        "from tmdb_sdk import TMDB\n"
        "handler = lambda r: httpx.Response(200, json={'id': 1, 'name': 'x', 'parts': []})\n"
        "tmdb = TMDB(access_token='t', transport=httpx.MockTransport(handler))\n"
        "tmdb.collections.details(1)  # no provider yet: nothing recorded\n"
        "exporter = InMemorySpanExporter()\n"
        "provider = TracerProvider()\n"
        "provider.add_span_processor(SimpleSpanProcessor(exporter))\n"
        "trace.set_tracer_provider(provider)\n"
        "tmdb.collections.details(1)\n"
        "print([s.name for s in exporter.get_finished_spans()])\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(root / p) for p in ("generated", "runtime"))}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['collections_details']"


def test_a_failure_after_a_response_keeps_its_status_and_cache_verdict(
    observer: Observer, exporter: InMemorySpanExporter
) -> None:
    from tmdb_sdk import ResponseParseError

    call = observer.start("movies_details", "/3/movie/{movie_id}", secret_request())
    assert call is not None
    call.failed(
        ResponseParseError("movies_details", "body is not JSON"), httpx.Response(200, extensions={"tmdb_cache": "hit"})
    )
    (span,) = exporter.get_finished_spans()
    attributes = dict(span.attributes or {})
    assert (attributes["http.response.status_code"], attributes["tmdb.cache"]) == (200, "hit")
    assert attributes["error.type"] == "ResponseParseError"
    assert span.status.description == "movies_details: response could not be parsed: body is not JSON"


def test_a_foreign_errors_message_is_replaced_by_its_class_name(
    observer: Observer, exporter: InMemorySpanExporter
) -> None:
    call = observer.start("movies_details", "/3/movie/{movie_id}", secret_request())
    assert call is not None
    call.failed(RuntimeError("a message that may quote anything"))
    (span,) = exporter.get_finished_spans()
    assert span.status.description == "RuntimeError"
    assert "tmdb.cache" not in dict(span.attributes or {})


def test_spans_name_the_sdk_as_their_instrumentation_scope(observer: Observer, exporter: InMemorySpanExporter) -> None:
    from tmdb_generated._build_info import __version__

    call = observer.start("movies_details", "/3/movie/{movie_id}", secret_request())
    assert call is not None
    call.succeeded(httpx.Response(200))
    (span,) = exporter.get_finished_spans()
    assert span.instrumentation_scope is not None
    assert (span.instrumentation_scope.name, span.instrumentation_scope.version) == ("tmdb_sdk", __version__)


@pytest.mark.parametrize(
    ("url", "port"),
    [
        ("http://127.0.0.1/3/movie/550", 80),
        ("https://127.0.0.1/3/movie/550", 443),
        ("http://127.0.0.1:8080/3/movie/550", 8080),
    ],
)
def test_the_server_port_is_the_urls_or_its_schemes_default(
    observer: Observer, exporter: InMemorySpanExporter, url: str, port: int
) -> None:
    call = observer.start("movies_details", "/3/movie/{movie_id}", httpx.Request("GET", url))
    assert call is not None
    call.succeeded(httpx.Response(200))
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes or {})["server.port"] == port


def test_the_span_url_masks_a_session_segment_by_the_template(
    observer: Observer, exporter: InMemorySpanExporter
) -> None:
    guest = "guest-span-5c1d8e2a7b"  # never given to a client: only the template can mask it
    request = httpx.Request("GET", f"https://api.themoviedb.org/3/guest_session/{guest}/rated/tv")
    call = observer.start("guest_sessions_rated_tv", "/3/guest_session/{guest_session_id}/rated/tv", request)
    assert call is not None
    call.succeeded(httpx.Response(200))
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes or {})["url.full"] == "https://api.themoviedb.org/3/guest_session/***/rated/tv"


def test_without_opentelemetry_installed_there_is_no_tracing(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from tmdb_sdk import telemetry

    monkeypatch.setitem(sys.modules, "opentelemetry.trace", None)  # an import of it would fail
    assert not telemetry.available()
    assert Tracing.create() is None and Tracing.create(TracerProvider()) is None
    monkeypatch.delitem(sys.modules, "opentelemetry.trace")
    monkeypatch.setitem(sys.modules, "opentelemetry", None)  # the package itself is missing
    assert not telemetry.available()


def test_the_global_provider_is_read_at_each_call(
    monkeypatch: pytest.MonkeyPatch, exporter: InMemorySpanExporter
) -> None:
    from opentelemetry import trace

    monkeypatch.setattr(trace, "_TRACER_PROVIDER", None)
    tracing = Tracing.create()
    assert tracing is not None
    assert tracing.start("movies_details", secret_request(), "/3/movie/{movie_id}") is None  # none set yet
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", provider)  # as trace.set_tracer_provider() does
    span = tracing.start("movies_details", secret_request(), "/3/movie/{movie_id}")
    assert span is not None
    span.success(200, 0, None)
    assert [s.name for s in exporter.get_finished_spans()] == ["movies_details"]


def test_a_tracing_made_from_a_tracer_records_without_a_global_provider(
    monkeypatch: pytest.MonkeyPatch, exporter: InMemorySpanExporter
) -> None:
    from opentelemetry import trace

    monkeypatch.setattr(trace, "_TRACER_PROVIDER", None)
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    span = Tracing(provider.get_tracer("app")).start("movies_details", secret_request(), "/3/movie/{movie_id}")
    assert span is not None
    span.success(200, 0, None)
    assert len(exporter.get_finished_spans()) == 1
