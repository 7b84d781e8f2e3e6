"""SyncPool and AsyncPool over real TLS: a local CA (trustme) and a stdlib ssl server on 127.0.0.1.

In production the pools only ever speak TLS to api.themoviedb.org; these check that the certificate
is verified (CA and hostname), SNI is sent, kept-alive TLS connections are reused and replaced when
the server closed them, and bodies (chunked, gzip, large, truncated) read as over plain HTTP.
Every test runs on both pools; every wait is bounded (timeouts of a few seconds at most).
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import tmdb_sdk
import trustme
from tmdb_sdk.transport._async_pool import AsyncPool
from tmdb_sdk.transport._http11 import SyncPool

from tests.transport.loopback import read_request

BODY = b'{"id": 550, "title": "Fight Club"}'
TIMEOUT = {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}
LIMITS = httpx.Limits(max_connections=4, max_keepalive_connections=4)
KINDS = ["sync", "async"]


@dataclass
class Reply:
    """What the server sends for one request: `pieces`, each its own write (and TLS record), `gap`
    seconds apart; then `then`: keep the connection, close it `linger` seconds later (fin: without
    close_notify; close_notify; reset: RST), or hang (answer nothing more)."""

    pieces: list[bytes] = field(default_factory=list)
    gap: float = 0.0
    then: str = "keep"
    linger: float = 0.0  # seconds between the last piece and the close


def answer(body: bytes = BODY, *headers: str, then: str = "keep") -> Reply:
    head = "".join(f"{h}\r\n" for h in (f"Content-Length: {len(body)}", *headers))
    return Reply([f"HTTP/1.1 200 OK\r\n{head}\r\n".encode() + body], then=then)


def chunked(body: bytes, size: int) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


@dataclass
class Seen:
    """One request as the server read it: which connection (1, 2, ...), its place on it (0, 1, ...)."""

    connection: int
    on_connection: int
    head: bytes


Responder = Callable[[Seen], Reply]


class TLSServer:
    """A TLS server on 127.0.0.1 answering each request with `respond(seen)`; `handshake=False`
    accepts TCP connections but never answers the TLS handshake; `deaf=True` completes the handshake,
    then reads nothing (with a small receive buffer, so that a large request fills it)."""

    def __init__(
        self, leaf: trustme.LeafCert, respond: Responder = lambda _: answer(), handshake: bool = True,
        deaf: bool = False,
    ) -> None:  # fmt: skip
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        leaf.configure_cert(self.context)
        self.sni: list[str | None] = []
        self.context.sni_callback = lambda _sslobj, name, _ctx: self.sni.append(name)
        self.respond, self.handshake, self.deaf = respond, handshake, deaf
        self.seen: list[Seen] = []
        self.connections = 0
        self.handshake_errors: list[BaseException] = []
        self.peer_closed = threading.Event()  # a client closed a connection it never used (handshake=False)
        self.closed = threading.Event()  # the server closed a connection
        self.stopping = threading.Event()
        self.sock = socket.socket()
        if deaf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)  # inherited by accepted sockets
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.02)
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def url(self, host: str = "127.0.0.1") -> str:
        return f"https://{host}:{self.port}/3/movie/550"

    def accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.serve, args=(conn, self.connections), daemon=True).start()

    def serve(self, conn: socket.socket, number: int) -> None:
        conn.settimeout(5)
        with conn:
            if not self.handshake:
                self.read_until_closed(conn)
                return
            try:
                tls = self.context.wrap_socket(conn, server_side=True)
            except OSError as exc:
                self.handshake_errors.append(exc)
                return
            with tls:
                if self.deaf:
                    self.stopping.wait(5)
                else:
                    self.converse(tls, number)
            self.closed.set()

    def read_until_closed(self, conn: socket.socket) -> None:
        for _ in range(100):  # the ClientHello, then nothing until the client gives up
            try:
                if not conn.recv(65536):
                    self.peer_closed.set()
                    return
            except OSError:
                return

    def converse(self, tls: ssl.SSLSocket, number: int) -> None:
        buffer = b""
        for on_connection in range(100):
            read = read_request(tls, buffer)
            if read is None:
                return
            head, _, buffer = read
            seen = Seen(number, on_connection, head)
            self.seen.append(seen)
            reply = self.respond(seen)
            try:
                for i, piece in enumerate(reply.pieces):
                    if i and reply.gap:
                        self.stopping.wait(reply.gap)
                    tls.sendall(piece)
            except OSError:
                return
            if reply.then != "keep":
                self.stopping.wait(reply.linger)
                self.end(tls, reply.then)
                return

    def end(self, tls: ssl.SSLSocket, how: str) -> None:
        if how == "hang":
            self.stopping.wait(5)
        elif how == "close_notify":
            tls.settimeout(0.3)
            try:
                tls.unwrap()  # sends close_notify (then waits briefly for the client's)
            except OSError:
                pass
        elif how == "reset":
            tls.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # "fin": the socket is closed by the caller, without close_notify

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def leaf(ca: trustme.CA) -> trustme.LeafCert:
    return ca.issue_cert("127.0.0.1", "localhost")


@pytest.fixture
def trusting(ca: trustme.CA) -> ssl.SSLContext:
    """The production context (httpx's: certifi, hostname checked) that also trusts the local CA."""
    context = httpx.create_ssl_context(trust_env=False)
    ca.configure_trust(context)
    return context


@pytest.fixture
def tls_server(leaf: trustme.LeafCert) -> Iterator[Callable[..., TLSServer]]:
    servers: list[TLSServer] = []

    def start(respond: Responder = lambda _: answer(), **options: bool) -> TLSServer:
        servers.append(TLSServer(leaf, respond, **options))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def request(url: str, method: str = "GET", timeout: dict[str, float] = TIMEOUT, **kw: object) -> httpx.Request:
    return httpx.Request(method, url, extensions={"timeout": timeout}, **kw)  # type: ignore[arg-type]


Outcome = httpx.Response | httpx.TransportError


def exchange(
    kind: str, requests: list[httpx.Request], context: ssl.SSLContext | None, pause: float = 0.0,
    between: Callable[[], object] = lambda: None,
) -> list[Outcome]:  # fmt: skip
    """Each request sent in turn on one pool (one event loop for the async one), `pause` seconds apart
    and after `between()` (called as it is: it blocks the event loop): its response or error."""
    outcomes: list[Outcome] = []
    if kind == "sync":
        pool = SyncPool(LIMITS, ssl_context=context)
        try:
            for i, r in enumerate(requests):
                if i:
                    if pause:
                        time.sleep(pause)
                    between()
                try:
                    outcomes.append(pool.handle_request(r))
                except httpx.TransportError as exc:
                    outcomes.append(exc)
        finally:
            pool.close()
        return outcomes

    async def main() -> None:
        pool = AsyncPool(LIMITS, ssl_context=context)
        try:
            for i, r in enumerate(requests):
                if i:
                    if pause:
                        await asyncio.sleep(pause)
                    between()
                try:
                    async with asyncio.timeout(10):  # not wait_for: no task of its own, no extra loop turns
                        outcomes.append(await pool.handle_async_request(r))
                except httpx.TransportError as exc:
                    outcomes.append(exc)
        finally:
            await pool.aclose()

    asyncio.run(main())
    return outcomes


def one(kind: str, req: httpx.Request, context: ssl.SSLContext | None) -> Outcome:
    return exchange(kind, [req], context)[0]


# -- certificate verification ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_request_over_tls_succeeds_when_the_context_trusts_the_ca(kind, tls_server, trusting):
    server = tls_server()
    response = one(kind, request(server.url()), trusting)
    assert isinstance(response, httpx.Response)
    assert response.status_code == 200 and response.json()["id"] == 550
    assert server.connections == 1 and not server.handshake_errors


@pytest.mark.parametrize("kind", KINDS)
def test_the_default_context_rejects_a_certificate_of_an_unknown_ca(kind, tls_server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)  # httpx's default: certifi's roots, nothing else
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    server = tls_server()
    error = one(kind, request(server.url()), None)
    assert isinstance(error, httpx.ConnectError)
    assert isinstance(error.__cause__, ssl.SSLCertVerificationError)
    assert "self-signed" in str(error) or "unable to get local issuer" in str(error)
    assert not server.seen  # nothing was sent


@pytest.mark.parametrize("kind", KINDS)
def test_a_certificate_for_another_host_is_rejected(kind, ca, trusting):
    server = TLSServer(ca.issue_cert("127.0.0.1"))  # valid for the IP address only, not for "localhost"
    try:
        error = one(kind, request(server.url("localhost")), trusting)
        assert isinstance(error, httpx.ConnectError)
        assert isinstance(error.__cause__, ssl.SSLCertVerificationError)
        assert "localhost" in str(error) and not server.seen
    finally:
        server.stop()


@pytest.mark.parametrize("kind", KINDS)
def test_sni_names_the_host(kind, tls_server, trusting):
    server = tls_server()
    assert isinstance(one(kind, request(server.url("localhost")), trusting), httpx.Response)
    assert server.sni == ["localhost"]


# -- keep-alive over TLS -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_kept_alive_tls_connection_is_reused(kind, tls_server, trusting):
    server = tls_server()
    outcomes = exchange(kind, [request(server.url()) for _ in range(4)], trusting)
    assert [o.content for o in outcomes if isinstance(o, httpx.Response)] == [BODY] * 4
    assert server.connections == 1 and [s.on_connection for s in server.seen] == [0, 1, 2, 3]


@pytest.mark.parametrize("how", ["fin", "close_notify", "reset"])
@pytest.mark.parametrize("kind", KINDS)
def test_an_idle_tls_connection_the_server_closed_is_not_used(kind, how, tls_server, trusting):
    reply = answer(then=how)
    reply.linger = 0.1  # once the client has read the answer (a reset would discard it)
    server = tls_server(lambda _: reply)
    outcomes = exchange(kind, [request(server.url()), request(server.url())], trusting, pause=0.5)
    assert [o.content for o in outcomes if isinstance(o, httpx.Response)] == [BODY] * 2
    assert server.connections == 2 and len(server.seen) == 2  # seen closed before use: nothing resent


@pytest.mark.parametrize("kind", KINDS)
def test_a_post_does_not_reuse_a_connection_whose_close_came_right_behind_the_answer(kind, tls_server, trusting):
    # The close is in the socket before the POST starts, but the event loop has not run since: it
    # has not told the connection yet. Written there, the POST would fail (and not be sent again).
    server = tls_server(lambda _: answer(then="fin"))
    post = request(server.url(), "POST", content=b'{"value": 8.5}')
    outcomes = exchange(kind, [request(server.url()), post], trusting, between=lambda: server.closed.wait(3))
    assert [o.content for o in outcomes if isinstance(o, httpx.Response)] == [BODY] * 2
    assert server.connections == 2 and len(server.seen) == 2


def close_the_first_connection_on_its_second_request(how: str) -> Responder:
    def respond(seen: Seen) -> Reply:
        if seen.connection == 1 and seen.on_connection == 1:
            return Reply(then=how)  # read the request, then close without a byte of answer
        return answer()

    return respond


@pytest.mark.parametrize("how", ["fin", "close_notify", "reset"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_get_on_a_tls_connection_closed_meanwhile_is_sent_again_once(kind, how, tls_server, trusting):
    server = tls_server(close_the_first_connection_on_its_second_request(how))
    outcomes = exchange(kind, [request(server.url()), request(server.url())], trusting)
    assert [o.content for o in outcomes if isinstance(o, httpx.Response)] == [BODY] * 2
    assert server.connections == 2 and len(server.seen) == 3


@pytest.mark.parametrize("how", ["fin", "close_notify", "reset"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_post_on_a_tls_connection_closed_meanwhile_is_not_sent_again(kind, how, tls_server, trusting):
    server = tls_server(close_the_first_connection_on_its_second_request(how))
    post = request(server.url(), "POST", content=b'{"value": 8.5}')
    first, second = exchange(kind, [request(server.url()), post], trusting)
    assert isinstance(first, httpx.Response)
    assert isinstance(second, httpx.ReadError | httpx.RemoteProtocolError)
    assert server.connections == 1 and len(server.seen) == 2


# -- bodies over TLS -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_chunked_body_over_several_tls_records(kind, tls_server, trusting):
    body = b'{"results": [' + b",".join(b'{"id": %d}' % i for i in range(2000)) + b"]}"
    wire = chunked(body, 1000)
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    pieces = [head] + [wire[i : i + 777] for i in range(0, len(wire), 777)]  # records cut inside chunks
    server = tls_server(lambda _: Reply(pieces))
    outcomes = exchange(kind, [request(server.url()), request(server.url())], trusting)
    assert [o.content for o in outcomes if isinstance(o, httpx.Response)] == [body] * 2
    assert server.connections == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_gzip_body_over_tls_is_decoded(kind, tls_server, trusting):
    server = tls_server(lambda _: answer(gzip.compress(BODY), "Content-Encoding: gzip"))
    response = one(kind, request(server.url()), trusting)
    assert isinstance(response, httpx.Response) and response.content == BODY


@pytest.mark.parametrize("framing", ["length", "chunked"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_response_larger_than_one_recv_buffer(kind, framing, tls_server, trusting):
    body = bytes(range(256)) * 6000  # 1.5 MB: many TLS records, several 256 KiB reads
    if framing == "length":
        reply = answer(body)
    else:
        reply = Reply([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunked(body, 300_000)])
    server = tls_server(lambda _: reply)
    outcomes = exchange(kind, [request(server.url()), request(server.url())], trusting)
    assert [o.content for o in outcomes if isinstance(o, httpx.Response)] == [body] * 2
    assert server.connections == 1


TRUNCATED = {
    "length": Reply([b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 500]),
    "chunked": Reply([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + b"x" * 500]),
}


@pytest.mark.parametrize("how", ["fin", "close_notify"])
@pytest.mark.parametrize("framing", ["length", "chunked"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_truncated_body_over_tls_is_a_remote_protocol_error(kind, framing, how, tls_server, trusting):
    # As httpx (h11) says it: the server closed before the body was complete.
    server = tls_server(lambda _: Reply(TRUNCATED[framing].pieces, then=how))
    error = one(kind, request(server.url()), trusting)
    assert isinstance(error, httpx.RemoteProtocolError) and error.request is not None
    assert "complete body" in str(error)


@pytest.mark.parametrize("kind", KINDS)
def test_a_truncated_body_cut_by_a_reset_is_a_read_error(kind, tls_server, trusting):
    server = tls_server(lambda _: Reply(TRUNCATED["length"].pieces, then="reset"))
    error = one(kind, request(server.url()), trusting)
    assert isinstance(error, httpx.ReadError | httpx.RemoteProtocolError)


# -- timeouts over TLS ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_stalled_tls_handshake_is_a_connect_timeout_and_the_socket_is_closed(kind, tls_server, trusting, caplog):
    server = tls_server(handshake=False)
    req = request(server.url(), timeout={**TIMEOUT, "connect": 0.2})
    with caplog.at_level(logging.DEBUG, logger="tmdb_sdk.http"):
        error = one(kind, req, trusting)
    assert [r.getMessage() for r in caplog.records] == [f"connecting to 127.0.0.1:{server.port} timed out"]
    assert isinstance(error, httpx.ConnectTimeout) and error.request is req
    assert isinstance(error.__cause__, TimeoutError)
    if kind == "sync":  # the OS error's own words
        assert str(error) == str(error.__cause__) and str(error).endswith("The handshake operation timed out")
    else:
        assert str(error) == "timed out while connecting"
    assert server.peer_closed.wait(3)


@pytest.mark.parametrize("kind", KINDS)
def test_no_answer_over_tls_is_a_read_timeout(kind, tls_server, trusting):
    server = tls_server(lambda _: Reply(then="hang"))
    req = request(server.url(), timeout={**TIMEOUT, "read": 0.2})
    error = one(kind, req, trusting)
    assert isinstance(error, httpx.ReadTimeout) and error.request is req
    assert str(error) == ("The read operation timed out" if kind == "sync" else "timed out while reading the response")


@pytest.mark.parametrize("kind", KINDS)
def test_a_request_the_server_does_not_read_times_out(kind, tls_server, trusting):
    server = tls_server(deaf=True)
    post = request(server.url(), "POST", {**TIMEOUT, "write": 0.3, "read": 0.3}, content=b"x" * (16 << 20))
    error = one(kind, post, trusting)
    assert isinstance(error, httpx.TimeoutException) and error.request is post
    assert str(error) == ("The write operation timed out" if kind == "sync" else "timed out while reading the response")
    # SyncPool: WriteTimeout, as httpx. AsyncPool hands the bytes to the transport's buffer and has no
    # write timeout: its read timeout, armed when the request is written, fires instead.
    assert isinstance(error, httpx.WriteTimeout if kind == "sync" else httpx.ReadTimeout)


@pytest.mark.parametrize("kind", KINDS)
def test_the_read_timeout_bounds_each_wait_for_data_not_the_whole_body(kind, tls_server, trusting):
    # httpx's read timeout: the longest wait for the next bytes. A body that keeps coming, slower in
    # total than the timeout but never silent for that long, is read whole.
    body = BODY * 40
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
    pieces = [head] + [body[i : i + 140] for i in range(0, len(body), 140)]  # 10 pieces
    server = tls_server(lambda _: Reply(pieces, gap=0.1))
    response = one(kind, request(server.url(), timeout={**TIMEOUT, "read": 0.6}), trusting)
    assert isinstance(response, httpx.Response) and response.content == body


def test_an_async_call_cancelled_during_the_tls_handshake_closes_its_socket_and_frees_its_slot(tls_server, trusting):
    server = tls_server(handshake=False)
    pool = AsyncPool(httpx.Limits(max_connections=1), ssl_context=trusting)

    async def main() -> None:
        call = asyncio.create_task(pool.handle_async_request(request(server.url())))
        for _ in range(100):  # until the server has the connection
            if server.connections:
                break
            await asyncio.sleep(0.02)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        await pool.aclose()

    asyncio.run(main())
    assert pool._busy == 0
    assert server.peer_closed.wait(3)


def call_twice(kind: str, base_url: str, **client: object) -> list[str] | BaseException:
    """Two movies.details calls through TMDB or AsyncTMDB made with `client`; the error if one fails."""
    try:
        if kind == "sync":
            with tmdb_sdk.TMDB(api_key="k", base_url=base_url, retry=None, **client) as tmdb:  # type: ignore[arg-type]
                return [tmdb.movies.details(550).title for _ in range(2)]

        async def main() -> list[str]:
            async with tmdb_sdk.AsyncTMDB(api_key="k", base_url=base_url, retry=None, **client) as tmdb:  # type: ignore[arg-type]
                async with asyncio.timeout(10):
                    return [(await tmdb.movies.details(550)).title for _ in range(2)]

        return asyncio.run(main())
    except tmdb_sdk.TMDBError as error:
        return error


@pytest.mark.parametrize("how", ["verify", "transport"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_clients_call_tmdb_over_tls_through_their_pools(kind, how, tls_server, trusting):
    server = tls_server(
        lambda _: answer(gzip.compress(BODY), "Content-Encoding: gzip", "Content-Type: application/json")
    )
    pool = {"sync": SyncPool, "async": AsyncPool}[kind](LIMITS, ssl_context=trusting)
    client = {"verify": trusting} if how == "verify" else {"transport": pool}
    assert call_twice(kind, f"https://localhost:{server.port}", **client) == ["Fight Club"] * 2
    assert server.connections == 1 and server.sni == ["localhost"]
    assert all(s.head.startswith(b"GET /3/movie/550?api_key=k") for s in server.seen)


@pytest.mark.parametrize("kind", KINDS)
def test_the_clients_verify_certificates_by_default_and_not_with_verify_false(kind, tls_server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    server = tls_server(lambda _: answer(BODY, "Content-Type: application/json"))
    error = call_twice(kind, f"https://localhost:{server.port}")
    assert isinstance(error, tmdb_sdk.ConnectionError)
    assert not server.seen  # the unknown CA stopped the call before a byte of it was sent
    assert call_twice(kind, f"https://localhost:{server.port}", verify=False) == ["Fight Club"] * 2


def test_verify_takes_a_bool_or_an_ssl_context() -> None:
    with pytest.raises(tmdb_sdk.ConfigurationError, match="verify= takes True, False or an ssl.SSLContext, got str"):
        tmdb_sdk.TMDB(api_key="k", verify="/etc/ssl/ca.pem")  # type: ignore[arg-type]
