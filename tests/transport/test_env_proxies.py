"""Proxies from the environment (issue 21, finding 6) and the certificate sources (its SSL note).

HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY (and their lower-case forms) are read as httpx reads
them; `trust_env=False` ignores them and `proxy=` wins over them. Every test here runs a real forwarding
proxy on 127.0.0.1 (tests/transport/proxy_support.py) in front of a real origin, plain or TLS.
"""

from __future__ import annotations

import logging
import ssl
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
from tmdb_sdk import TMDB, AsyncTMDB, Hooks
from tmdb_sdk.errors import ConfigurationError, ConnectionError
from tmdb_sdk.ratelimit import RateLimit

from tests.clock_support import FakeClock
from tests.transport.proxy_support import Answer, ForwardProxy, Origin, movie

API_KEY = "apikey-SECRET-proxies-0123456789"
PROXY_PASSWORD = "proxy-SECRET-pw-0123456789"
VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "request_method")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def origin() -> Iterator[Origin]:
    server = Origin()
    yield server
    server.close()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_origin(ca: trustme.CA) -> Iterator[Origin]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server = Origin(context=context)
    yield server
    server.close()


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def _one_call_sync(**options: Any) -> int:
    with TMDB(api_key=API_KEY, retry=None, timeout=5, **options) as tmdb:
        return tmdb.movies.details(550).id


async def _one_call_async(**options: Any) -> int:
    async with AsyncTMDB(api_key=API_KEY, retry=None, timeout=5, **options) as atmdb:
        return (await atmdb.movies.details(550)).id


# -- which requests go through the proxy ---------------------------------------------------------------


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
async def test_an_http_call_goes_through_the_environment_s_proxy(
    variable: str, proxy: ForwardProxy, origin: Origin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, proxy.url)
    assert _one_call_sync(base_url=origin.url) == 550
    assert await _one_call_async(base_url=origin.url) == 550
    assert [line.split("?")[0] for line in proxy.log] == [f"GET {origin.url}/3/movie/550"] * 2
    assert len(origin.log) == 2


async def test_an_https_call_goes_through_a_connect_tunnel(
    proxy: ForwardProxy, tls_origin: Origin, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("https_proxy", proxy.url.removeprefix("http://"))  # no scheme: http:// as httpx reads it
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # for http:// URLs only: never used here
    assert _one_call_sync(base_url=tls_origin.url, verify=trusting(ca)) == 550
    assert await _one_call_async(base_url=tls_origin.url, verify=trusting(ca)) == 550
    assert proxy.log == [f"CONNECT 127.0.0.1:{tls_origin.port}"] * 2
    assert len(tls_origin.log) == 2


async def test_no_proxy_hosts_go_direct(proxy: ForwardProxy, origin: Origin, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.org, 127.0.0.1")
    assert _one_call_sync(base_url=origin.url) == 550  # 127.0.0.1: direct
    assert await _one_call_async(base_url=origin.url) == 550
    assert proxy.log == []
    by_name = f"http://localhost:{origin.port}"  # the same origin by another name: through the proxy
    assert _one_call_sync(base_url=by_name) == 550
    assert await _one_call_async(base_url=by_name) == 550
    assert [line.split("?")[0] for line in proxy.log] == [f"GET {by_name}/3/movie/550"] * 2
    assert len(origin.log) == 4


async def test_trust_env_false_ignores_the_environment(
    proxy: ForwardProxy, origin: Origin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with TMDB(api_key=API_KEY, base_url=origin.url, trust_env=False) as tmdb:
        assert tmdb.movies.details(550).id == 550
        assert type(tmdb._pool).__name__ == "SyncPool"
    async with AsyncTMDB(api_key=API_KEY, base_url=origin.url, trust_env=False) as atmdb:
        assert (await atmdb.movies.details(550)).id == 550
        assert type(atmdb._pool).__name__ == "AsyncPool"
    assert proxy.log == [] and len(origin.log) == 2
    with pytest.raises(ConfigurationError, match="trust_env= takes True or False"):
        TMDB(api_key=API_KEY, trust_env="no")  # type: ignore[arg-type]


def test_proxy_given_wins_over_the_environment(
    proxy: ForwardProxy, origin: Origin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert _one_call_sync(base_url=origin.url, proxy=proxy.url) == 550
    assert len(proxy.log) == 1


def test_without_proxy_variables_the_client_keeps_its_lean_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    with TMDB(api_key=API_KEY) as plain:
        assert type(plain._pool).__name__ == "SyncPool"
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "example.org,*")  # "*" anywhere in the list: no proxy at all, as httpx
    with TMDB(api_key=API_KEY) as starred:
        assert type(starred._pool).__name__ == "SyncPool"


def test_an_unusable_environment_proxy_is_refused_when_the_client_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"ftp://user:{PROXY_PASSWORD}@127.0.0.1:9")
    with pytest.raises(ConfigurationError, match="trust_env=False") as caught:
        TMDB(api_key=API_KEY)
    assert "ftp://user:***@127.0.0.1:9" in str(caught.value) and PROXY_PASSWORD not in str(caught.value)
    with TMDB(api_key=API_KEY, trust_env=False):
        pass


# The routing decided as httpx.Client(trust_env=True) decides it: (environment, URL) pairs.
CASES = [
    ({"HTTP_PROXY": "http://p:1"}, "http://api.themoviedb.org/3/movie/1"),
    ({"HTTP_PROXY": "http://p:1"}, "https://api.themoviedb.org/3/movie/1"),
    ({"HTTPS_PROXY": "p:2"}, "https://api.themoviedb.org/3/movie/1"),
    ({"ALL_PROXY": "http://p:3", "HTTP_PROXY": "http://p:1"}, "https://api.themoviedb.org/"),
    ({"ALL_PROXY": "http://p:3", "HTTP_PROXY": "http://p:1"}, "http://api.themoviedb.org/"),
    ({"HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2"}, "https://api.themoviedb.org/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": "themoviedb.org"}, "https://api.themoviedb.org/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": "themoviedb.org"}, "https://themoviedb.org/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": "themoviedb.org"}, "https://notthemoviedb.org/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": "api.themoviedb.org"}, "https://image.themoviedb.org/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": "localhost,10.0.0.7"}, "https://10.0.0.7:8443/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": "localhost,10.0.0.7"}, "https://localhost/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": "localhost,10.0.0.7"}, "https://10.0.0.8/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": "::1"}, "https://[::1]:8443/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": " , *"}, "https://api.themoviedb.org/"),
    ({"HTTPS_PROXY": "http://p:2", "NO_PROXY": "API.TheMovieDB.org"}, "https://api.themoviedb.org/"),
]
# Where urllib's NO_PROXY matcher and httpx's differ (none of them is TMDB's case), not compared above:
# ".example.org" also matches example.org itself for urllib (not for httpx), and a "scheme://host" entry
# is httpx's alone.


def _httpx_route(url: str) -> str | None:
    """The proxy httpx.Client(trust_env=True) picks for `url` (private attributes: this test only)."""
    with httpx.Client(trust_env=True) as client:
        transport = client._transport_for_url(httpx.URL(url))
        proxy_url = getattr(getattr(transport, "_pool", None), "_proxy_url", None)
        if transport is client._transport or proxy_url is None:
            return None
        return f"{proxy_url.scheme.decode()}://{proxy_url.host.decode()}:{proxy_url.port}"


@pytest.mark.parametrize(("environment", "url"), CASES)
def test_the_route_is_httpx_s(environment: dict[str, str], url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tmdb_sdk._proxies import EnvironmentProxies  # here: the other tests also run against older runtimes

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    proxies = EnvironmentProxies.read()
    ours = None if proxies is None else proxies.proxy_for(httpx.URL(url))
    if ours is not None:
        parsed = httpx.URL(ours)
        ours = f"{parsed.scheme}://{parsed.host}:{parsed.port}"
    assert ours == _httpx_route(url)


# -- the client's layers keep working over the proxy ---------------------------------------------------


def _flaky() -> tuple[Origin, list[str]]:
    """An origin whose first answer for movie 550 is a 503; its answers may be cached for a minute."""
    seen: list[str] = []

    def respond(line: str) -> Answer:
        seen.append(line)
        if "/3/movie/550" in line and sum("/3/movie/550" in s for s in seen) == 1:
            return 503, {"Content-Type": "application/json"}, b'{"status_code": 11, "status_message": "busy"}'
        return movie(551 if "/551" in line else 550, **{"Cache-Control": "public, max-age=60"})

    return Origin(respond), seen


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_retries_cache_rate_limit_and_hooks_work_over_the_proxy(
    flavour: str, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    origin, _ = _flaky()
    monkeypatch.setenv("HTTP_PROXY", proxy.url.replace("http://", f"http://user:{PROXY_PASSWORD}@"))
    clock, events = FakeClock(), []
    options: dict[str, Any] = {
        "api_key": API_KEY, "base_url": origin.url, "clock": clock.clock(), "cache": "memory",
        "rate_limit": RateLimit(rate=1, per=5.0, burst=1, key=f"proxied-{uuid.uuid4().hex}"),
        "hooks": Hooks(on_retry=events.append, on_response=events.append),
    }
    caplog.set_level(logging.DEBUG)
    try:
        if flavour == "sync":
            with TMDB(**options) as tmdb:
                ids = [tmdb.movies.details(550).id, tmdb.movies.details(550).id, tmdb.movies.details(551).id]
        else:
            async with AsyncTMDB(**options) as atmdb:
                ids = [(await atmdb.movies.details(m)).id for m in (550, 550, 551)]
    finally:
        origin.close()
    assert ids == [550, 550, 551]
    # Retried once (503), the repeat served by the cache, 551 fetched: three requests, all through the proxy.
    assert [line.split("?")[0] for line in proxy.log] == [
        f"GET {origin.url}/3/movie/550", f"GET {origin.url}/3/movie/550", f"GET {origin.url}/3/movie/551"
    ]
    assert len(origin.log) == 3 and len(proxy.authorizations) == 3
    assert [(e.stage, e.status, e.cache) for e in events] == [
        ("retry", 503, "miss"), ("response", 200, "miss"), ("response", 200, "hit"), ("response", 200, "miss")
    ]
    # The retry's backoff, then the rate limit (1 per 5 s) holding the third request back.
    assert clock.sleeps[0] == 0.375 and sum(clock.sleeps[1:]) >= 4
    # Our logs carry neither the API key nor the proxy's password (the proxy itself saw the request).
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert API_KEY not in logged and PROXY_PASSWORD not in logged


def test_a_proxy_that_fails_names_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:{PROXY_PASSWORD}@127.0.0.1:9")  # nothing listens there
    with TMDB(api_key=API_KEY, retry=None) as tmdb, pytest.raises(ConnectionError) as caught:
        tmdb.movies.details(550)
    assert PROXY_PASSWORD not in str(caught.value) and API_KEY not in str(caught.value)


# -- certificates: SSL_CERT_FILE / SSL_CERT_DIR, as httpx reads them -------------------------------------


def _ca_files(ca: trustme.CA, tmp_path: Path) -> tuple[Path, Path]:
    """The CA as a file, and as a directory OpenSSL can look it up in (named by its subject hash)."""
    import subprocess

    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    digest = subprocess.run(
        ["openssl", "x509", "-hash", "-noout", "-in", str(pem)], capture_output=True, text=True, check=True, timeout=10
    ).stdout.strip()
    folder = tmp_path / "certs"
    folder.mkdir()
    ca.cert_pem.write_to_path(str(folder / f"{digest}.0"))
    return pem, folder


async def test_ssl_cert_file_and_dir_are_the_default_trust_unless_trust_env_is_false(
    tls_origin: Origin, ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pem, folder = _ca_files(ca, tmp_path)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", str(pem))
    assert _one_call_sync(base_url=tls_origin.url) == 550
    assert await _one_call_async(base_url=tls_origin.url) == 550
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", str(folder))
    assert _one_call_sync(base_url=tls_origin.url) == 550
    assert await _one_call_async(base_url=tls_origin.url) == 550
    # trust_env=False: certifi's CAs only, as httpx.Client(trust_env=False).
    for variable, value in (("SSL_CERT_DIR", folder), ("SSL_CERT_FILE", pem)):
        monkeypatch.setenv(variable, str(value))
        with pytest.raises(ConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            _one_call_sync(base_url=tls_origin.url, trust_env=False)
        with pytest.raises(ConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            await _one_call_async(base_url=tls_origin.url, trust_env=False)
