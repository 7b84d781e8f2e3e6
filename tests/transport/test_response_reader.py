"""The lean pools' response parser, fed whole responses and the same bytes split at every offset."""

from __future__ import annotations

import httpx
import pytest
from tmdb_sdk._http11 import ResponseReader, request_bytes


def feed_split(raw: bytes, method: str = "GET", step: int | None = None, eof: bool = False) -> ResponseReader:
    reader = ResponseReader(method)
    pieces = [raw] if step is None else [raw[i : i + step] for i in range(0, len(raw), step)]
    done = False
    for piece in pieces:
        assert not done, "bytes fed after the response was complete"
        done = reader.feed(piece)
    if eof:
        done = reader.eof()
    assert done and reader.done
    return reader


LENGTH = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"id": 550 }'
CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    b'5;ext=1\r\n{"id"\r\n7\r\n: 550 }\r\n0\r\nX-Trailer: yes\r\n\r\n'
)


@pytest.mark.parametrize("step", [None, 1, 2, 7])
def test_content_length_body_in_any_split(step):
    reader = feed_split(LENGTH, step=step)
    assert (reader.status, reader.body, reader.keep_alive) == (200, b'{"id": 550 }', True)
    assert (b"Content-Type", b"application/json") in reader.headers


@pytest.mark.parametrize("step", [None, 1, 3, 11])
def test_chunked_body_with_extension_and_trailer_in_any_split(step):
    reader = feed_split(CHUNKED, step=step)
    assert reader.body == b'{"id": 550 }' and reader.keep_alive


def test_interim_responses_are_skipped():
    reader = feed_split(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n" + LENGTH)
    assert reader.status == 200 and reader.headers[0] == (b"Content-Type", b"application/json")


@pytest.mark.parametrize(
    ("raw", "method"),
    [
        (b"HTTP/1.1 204 No Content\r\n\r\n", "DELETE"),
        (b"HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", "GET"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", "HEAD"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "GET"),
    ],
)
def test_responses_without_a_body(raw, method):
    reader = feed_split(raw, method)
    assert reader.body == b"" and reader.keep_alive


def test_body_until_close_completes_only_at_eof_and_is_not_kept():
    reader = ResponseReader("GET")
    assert not reader.feed(b'HTTP/1.1 200 OK\r\n\r\n{"id"')
    assert not reader.feed(b": 1}")
    assert reader.eof()
    assert reader.body == b'{"id": 1}' and not reader.keep_alive


def test_a_short_body_is_incomplete_at_eof():
    reader = ResponseReader("GET")
    reader.feed(LENGTH[:-3])
    assert not reader.eof()


@pytest.mark.parametrize(
    "raw",
    [
        LENGTH.replace(b"HTTP/1.1 200 OK", b"HTTP/1.0 200 OK"),
        LENGTH.replace(b"Content-Type", b"Connection: close\r\nContent-Type"),
        LENGTH + b"HTTP/1.1 200 OK",  # more than announced
    ],
)
def test_connections_that_cannot_be_reused(raw):
    assert not feed_split(raw).keep_alive


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTX/1.1 200 OK\r\n\r\n",
        b"HTTP/1.1 abc OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY",
    ],
)
def test_malformed_responses_raise_a_protocol_error(raw):
    with pytest.raises(httpx.RemoteProtocolError):
        ResponseReader("GET").feed(raw)


def test_request_bytes_carry_host_query_headers_and_body():
    request = httpx.Request(
        "POST",
        "http://example.test:8080/3/list?api_key=k&x=a%20b",
        headers={"Authorization": "Bearer t"},
        json={"a": 1},
    )
    raw = request_bytes(request, request.read())
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"POST /3/list?api_key=k&x=a%20b HTTP/1.1"
    assert b"Host: example.test:8080" in lines and b"Authorization: Bearer t" in lines
    assert f"Content-Length: {len(body)}".encode() in lines and body == b'{"a":1}'


CHUNKED_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize("size", [b"-5", b"+5", b"0x5", b"5_0", b" ", b"5 5"])
def test_a_chunk_size_int_would_take_but_http_does_not_is_a_protocol_error(size):
    # "-5" used to loop for ever: a negative size never counted down to the chunk's end.
    with pytest.raises(httpx.RemoteProtocolError, match="chunk size"):
        ResponseReader("GET").feed(CHUNKED_HEAD + size + b"\r\nabcdefghij\r\n0\r\n\r\n")


@pytest.mark.parametrize("state", [b"", b"5\r\nabcde\r\n0\r\n"], ids=["size", "trailer"])
def test_an_endless_chunk_size_or_trailer_line_is_a_protocol_error(state):
    reader = ResponseReader("GET")
    reader.feed(CHUNKED_HEAD + state)
    with pytest.raises(httpx.RemoteProtocolError, match="too long"):
        for _ in range(10):
            reader.feed(b"1" * 65536)


def test_upper_case_hex_chunk_sizes_are_read():
    assert feed_split(CHUNKED_HEAD + b"A\r\n0123456789\r\n0\r\n\r\n").body == b"0123456789"


@pytest.mark.parametrize("step", [None, 1, 5])
def test_obsolete_line_folding_is_joined_by_a_space(step):
    raw = LENGTH.replace(b"Content-Type: application/json", b"X-Note: one\r\n two,\r\n\t three: 3\r\nX-Empty:")
    reader = feed_split(raw, step=step)
    assert reader.headers[:2] == [(b"X-Note", b"one two, three: 3"), (b"X-Empty", b"")]
    assert reader.body == b'{"id": 550 }' and reader.keep_alive


def test_a_continuation_line_before_any_header_is_a_protocol_error():
    with pytest.raises(httpx.RemoteProtocolError, match="continuation"):
        ResponseReader("GET").feed(b"HTTP/1.1 200 OK\r\n folded\r\nContent-Length: 0\r\n\r\n")


def test_duplicate_headers_are_all_kept_in_order():
    raw = LENGTH.replace(b"Content-Type", b"Set-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Type")
    response = httpx.Response(200, headers=feed_split(raw).headers)
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]


def test_chunked_wins_over_content_length_but_the_connection_is_not_reused():
    reader = feed_split(CHUNKED.replace(b"Transfer-Encoding", b"Content-Length: 3\r\nTransfer-Encoding"))
    assert reader.body == b'{"id": 550 }' and not reader.keep_alive


@pytest.mark.parametrize(
    "codings",
    [
        b"Transfer-Encoding: gzip, chunked",  # httpx cannot undo a gzip transfer coding: h11 refuses it too
        b"Transfer-Encoding: gzip",
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
    ],
)
def test_transfer_codings_other_than_one_chunked_are_a_protocol_error(codings):
    with pytest.raises(httpx.RemoteProtocolError, match="Transfer-Encoding"):
        ResponseReader("GET").feed(CHUNKED.replace(b"Transfer-Encoding: chunked", codings))


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    ],
)
def test_no_body_statuses_end_at_the_head_whatever_the_framing(raw):
    reader = feed_split(raw)
    assert reader.status in (204, 304) and reader.body == b"" and reader.keep_alive


def test_bytes_after_a_bodiless_response_mean_the_connection_is_not_reused():
    assert not feed_split(b"HTTP/1.1 304 Not Modified\r\n\r\nstray", "GET").keep_alive


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Note": "a\r\nX-Injected: 1"},
        {"X-Note": "a\nX-Injected: 1"},
        {"X-Note": "a\r"},
        {"X-Note\r\nX-Injected": "1"},
        {"Authorization": "Bearer t\r\n\r\nGET /3/account HTTP/1.1"},
    ],
)
def test_a_header_holding_a_cr_or_lf_is_refused_before_anything_is_sent(headers):
    # As h11 (httpx's own pool) does: written as is, it would add a header or a whole request.
    request = httpx.Request("GET", "https://api.themoviedb.org/3/movie/550", headers=headers)
    with pytest.raises(httpx.LocalProtocolError, match="CR or LF") as caught:
        request_bytes(request, b"")
    assert caught.value.request is request


def test_a_body_may_hold_any_bytes():
    request = httpx.Request("POST", "https://api.themoviedb.org/3/list", content=b"a\r\nb\n\r")
    assert request_bytes(request, request.read()).endswith(b"\r\n\r\na\r\nb\n\r")
