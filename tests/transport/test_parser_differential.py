"""The lean pools' response reader against h11 (httpcore's parser), on generated responses (issue 21).

Responses are built from parts that are right or subtly wrong: status lines (versions, codes, separators,
reason phrases with control bytes), header lines from an alphabet of the bytes that matter (NUL, CR, LF,
HTAB, DEL, obs-text, separators), line ends (CRLF, bare LF, bare CR) and framings (Content-Length right,
wrong or repeated, chunked right or broken, read until close, interim responses first). Each goes to the
reader the pools use (`reader_for`, then `feed`/`eof` as a closed connection would) and to an h11 client
connection that sent a GET.

The reader must never accept a response h11 refuses; where both accept, status, headers and body agree.
The reader is stricter than h11 in places, on purpose (llhttp's strict mode and the issue's rules): obsolete
line folding, a repeated Content-Length of the same value, Content-Length with chunked, whitespace after a
chunk size, control characters in header values or the reason phrase, status codes outside 100..599,
HTTP/0.9 and HTTP/2.0 status lines, a Content-Length beyond 64 bits. Deliberate leniency (the reader
accepts, h11 refuses): none found; `LENIENT` would list it with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import h11
import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tmdb_sdk.transport._reader import reader_for

# (predicate on the raw response, why the pools may accept it although h11 refuses it)
LENIENT: list[tuple[str, str]] = []

VERSIONS = [b"HTTP/1.1", b"HTTP/1.0", b"HTTP/1.1x", b"HTTP/2.0", b"HTTP/0.9", b"HTTP/1.2", b"http/1.1", b"HTTP/1"]
STATUSES = [b"200", b"204", b"304", b"404", b"500", b"100", b"101", b"103", b"0", b"000", b"099", b"600",
            b"999", b"20", b"1000", b"2x0", b"+20", b"2" * 50]  # fmt: skip
SEPARATORS = [b" ", b" ", b" ", b"  ", b"\t"]
ENDS = [b"\r\n"] * 30 + [b"\n", b"\r", b"\r\r\n"]
INTERESTING = b"aZ09-_.!#$%&'*+^`|~ \t:;,=\"()/@[]{}?\\\x00\x01\x0b\x1f\x7f\x80\xe9\xff\r\n"
NAMES = [b"X-A", b"x-b", b"Server", b"Connection", b"Content-Type", b"Cache-Control", b"X_Y", b"!#$%&'*+-.^_`|~09az"]
BAD_NAMES = [b"X A", b"X@A", b"X-A ", b" X-A", b"", b"X\x00A", b"X\rA", b"X:A", b"X\"A", b"\xe9"]
VALUES = [b"1", b"keep-alive", b"close", b"text/plain", b" padded ", b"", b"a, b;q=0.5", b"caf\xe9", b"a\tb"]


@dataclass
class Generated:
    raw: bytes


def texts(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[bytes]:
    alphabet = INTERESTING.decode("latin-1")
    return st.text(alphabet, min_size=min_size, max_size=max_size).map(lambda text: text.encode("latin-1"))


@st.composite
def status_lines(draw: st.DrawFn, interim: bool = False) -> bytes:
    version = mostly(draw, st.sampled_from(VERSIONS[:2]), st.sampled_from(VERSIONS))
    good_statuses = [b"100", b"102", b"103"] if interim else [b"200", b"204", b"304", b"404", b"500", b"599"]
    status = mostly(draw, st.sampled_from(good_statuses), st.sampled_from(STATUSES))
    reason = mostly(draw, st.sampled_from([b"OK", b"Not Found", b"", b"A b  c", b"caf\xe9", b"a\tb"]), texts())
    separator = mostly(draw, st.just(b" "), st.sampled_from(SEPARATORS))
    reason_part = b"" if draw(st.integers(0, 5)) == 0 else b" " + reason
    return version + separator + status + reason_part + draw(st.sampled_from(ENDS))


def mostly(draw: st.DrawFn, good: st.SearchStrategy[bytes], bad: st.SearchStrategy[bytes]) -> bytes:
    """Nine draws in ten well-formed, so that many whole responses are, and many differ in one part only."""
    return draw(bad if draw(st.integers(0, 9)) == 4 else good)  # not 0 nor 9: hypothesis favours the bounds


@st.composite
def header_lines(draw: st.DrawFn) -> bytes:
    name = mostly(draw, st.sampled_from(NAMES), st.sampled_from(BAD_NAMES) | texts(1, 6))
    value = mostly(draw, st.sampled_from(VALUES), texts())
    colon = mostly(draw, st.sampled_from([b": ", b":", b":\t", b":  "]), st.sampled_from([b" : ", b"\t:", b""]))
    return name + colon + value + draw(st.sampled_from(ENDS))


def chunked(body: bytes, pieces: int) -> bytes:
    out, size = [], max(1, len(body) // max(1, pieces))
    for i in range(0, len(body), size):
        part = body[i : i + size]
        out.append(b"%x\r\n%s\r\n" % (len(part), part))
    return b"".join(out) + b"0\r\n\r\n"


@st.composite
def responses(draw: st.DrawFn) -> Generated:
    head = b""
    if draw(st.integers(0, 6)) == 0:  # an interim response first
        head += draw(status_lines(interim=True)) + b"".join(draw(st.lists(header_lines(), max_size=2))) + b"\r\n"
        if draw(st.integers(0, 4)) == 0:
            head += b"\r\n"  # a blank line between the interim and the final response
    head += draw(status_lines())
    head += b"".join(draw(st.lists(header_lines(), max_size=4)))
    body = draw(st.binary(max_size=40))
    framing = draw(st.sampled_from(["length", "chunked", "close"]) if draw(st.integers(0, 4)) != 2 else st.sampled_from(
        ["wrong-length", "two-lengths", "length-and-chunked", "bad-chunk", "te-other", "huge-length"]))  # fmt: skip
    if framing == "length":
        head += b"Content-Length: %d\r\n" % len(body)
    elif framing == "wrong-length":
        head += b"Content-Length: %d\r\n" % (len(body) + draw(st.sampled_from([-1, 1, 5])))
    elif framing == "two-lengths":
        extra = draw(st.sampled_from([0, 1]))
        head += b"Content-Length: %d\r\nContent-Length: %d\r\n" % (len(body), len(body) + extra)
    elif framing == "huge-length":
        head += b"Content-Length: " + draw(st.sampled_from([b"9" * 19, b"9" * 20, b"9" * 5000, b"1 2", b"+1", b"0x1"])) + b"\r\n"
    elif framing in ("chunked", "length-and-chunked", "bad-chunk", "te-other"):
        coding = draw(st.sampled_from([b"chunked", b"Chunked", b"gzip, chunked", b"identity"])) if framing == "te-other" else b"chunked"
        head += b"Transfer-Encoding: " + coding + b"\r\n"
        if framing == "length-and-chunked":
            head += b"Content-Length: %d\r\n" % len(body)
        body = chunked(body, draw(st.integers(1, 3)))
        if framing == "bad-chunk":
            at = draw(st.integers(0, len(body) - 1))
            body = body[:at] + draw(st.sampled_from([b"-", b"g", b" ", b"\n", b"\r", b";"])) + body[at + 1 :]
    head += draw(st.sampled_from(ENDS))
    return Generated(head + body)


@dataclass
class Parsed:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def normal(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    """A header as both parsers should agree on it: h11 lowercases names, and Transfer-Encoding's value."""
    name = name.lower()
    return name, value.lower() if name == b"transfer-encoding" else value


def by_pools(raw: bytes) -> Parsed | Exception:
    """What the pools make of `raw` followed by the server closing the connection."""
    reader = reader_for(httpx.Request("GET", "http://127.0.0.1/3/movie/2"))
    try:
        if not reader.feed(raw) and not reader.eof():
            return httpx.RemoteProtocolError("incomplete")
    except (httpx.RemoteProtocolError, httpx.DecodingError) as exc:
        return exc
    return Parsed(reader.status, [normal(n, v) for n, v in reader.headers], reader.body)


def by_h11(raw: bytes) -> Parsed | Exception:
    connection = h11.Connection(h11.CLIENT)
    connection.send(h11.Request(method="GET", target="/3/movie/2", headers=[("Host", "127.0.0.1")]))
    connection.send(h11.EndOfMessage())
    connection.receive_data(raw)
    connection.receive_data(b"")
    response, body = None, b""
    try:
        for _ in range(100):
            event = connection.next_event()
            if isinstance(event, h11.Response):
                response = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                assert response is not None
                return Parsed(response.status_code, [normal(n, v) for n, v in response.headers.raw_items()], body)
            elif event is h11.NEED_DATA or event is h11.PAUSED or isinstance(event, h11.ConnectionClosed):
                return h11.RemoteProtocolError("incomplete", 400)
    except h11.RemoteProtocolError as exc:
        return exc
    return h11.RemoteProtocolError("too many events", 400)


def leniency(raw: bytes) -> str | None:
    for pattern, reason in LENIENT:
        if pattern.encode() in raw:
            return reason
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses())
@example(Generated(b"HTTP/1.1 200 OK\r\nX-Lf: a\nContent-Length: 5\r\nContent-Length: 2\r\n\r\nhi"))
@example(Generated(b"HTTP/1.1 099 OK\r\nContent-Length: 2\r\n\r\nhi"))
@example(Generated(b"HTTP/1.1 200 O\x00K\r\nContent-Length: 2\r\n\r\nhi"))
@example(Generated(b"HTTP/1.1 101 Switching Protocols\r\n\r\n"))
@example(Generated(b"\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"))
@example(Generated(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhi"))
@example(Generated(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
def test_the_pools_accept_nothing_h11_refuses_and_agree_where_both_accept(generated):
    raw = generated.raw
    pools, reference = by_pools(raw), by_h11(raw)
    if isinstance(pools, Exception):
        return  # refusing is always allowed: stricter than h11 is fine
    if isinstance(reference, Exception):
        assert leniency(raw), f"the pools accept what h11 refuses ({reference!r}): {raw!r}"
        return
    assert pools.status == reference.status
    assert pools.headers == reference.headers, raw
    assert pools.body == reference.body


def test_h11_is_the_reference_it_is_taken_for():
    # The comparison above means something only if h11 refuses what the issue lists.
    assert isinstance(by_h11(b"HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 0\r\n\r\n"), Exception)
    assert isinstance(by_h11(b"HTTP/1.1 099 OK\r\nContent-Length: 0\r\n\r\n"), Exception)
    parsed = by_h11(b"HTTP/1.1 200 OK\r\nX-A:  b \r\nContent-Length: 2\r\n\r\nhi")
    assert parsed == Parsed(200, [(b"x-a", b"b"), (b"content-length", b"2")], b"hi")


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-T: 1\r\n\r\n",
        b"HTTP/1.0 200 OK\r\n\r\nhi",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nX-A: 1\r\nContent-Length: 0\r\n\r\n",
    ],
)
def test_well_formed_responses_read_the_same_by_both(raw):
    assert by_pools(raw) == by_h11(raw)
