"""The lean pools' response reader (llhttp through httptools, and its own checks), fed whole responses
and the same bytes split at every offset.

llhttp's strict mode refuses some things the former hand-written parser took (and h11 takes):
obsolete line folding, a repeated Content-Length even of the same value, whitespace after a chunk size.
TMDB's servers send none of them; the tests below say so where they used to accept them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from tmdb_sdk.transport._http11 import ResponseReader, request_bytes
from tmdb_sdk.transport._reader import MAX_HEAD


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
    with pytest.raises(httpx.RemoteProtocolError, match="too long|overflow"):
        for _ in range(10):
            reader.feed(b"1" * 65536)


def test_upper_case_hex_chunk_sizes_are_read():
    assert feed_split(CHUNKED_HEAD + b"A\r\n0123456789\r\n0\r\n\r\n").body == b"0123456789"


@pytest.mark.parametrize("step", [None, 1, 5])
def test_obsolete_line_folding_is_refused(step):
    # RFC 9112 5.2 lets a recipient unfold it; llhttp's strict mode refuses it, and TMDB never folds.
    raw = LENGTH.replace(b"Content-Type: application/json", b"X-Note: one\r\n two,\r\n\t three: 3\r\nX-Empty:")
    with pytest.raises(httpx.RemoteProtocolError, match="whitespace"):
        feed_split(raw, step=step)


def test_a_continuation_line_before_any_header_is_a_protocol_error():
    with pytest.raises(httpx.RemoteProtocolError, match="malformed response"):
        ResponseReader("GET").feed(b"HTTP/1.1 200 OK\r\n folded\r\nContent-Length: 0\r\n\r\n")


def test_duplicate_headers_are_all_kept_in_order():
    raw = LENGTH.replace(b"Content-Type", b"Set-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Type")
    response = httpx.Response(200, headers=feed_split(raw).headers)
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]


def test_content_length_with_chunked_is_refused():
    # Two framings: a proxy on the way may have read the other one (request smuggling's raw material).
    with pytest.raises(httpx.RemoteProtocolError, match="Content-Length"):
        feed_split(CHUNKED.replace(b"Transfer-Encoding", b"Content-Length: 3\r\nTransfer-Encoding"))


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
    with pytest.raises(httpx.LocalProtocolError) as caught:
        request_bytes(request, b"")
    assert caught.value.request is request and str(caught.value) == "a header name or value holds a CR or LF"


def test_a_body_may_hold_any_bytes():
    request = httpx.Request("POST", "https://api.themoviedb.org/3/list", content=b"a\r\nb\n\r")
    assert request_bytes(request, request.read()).endswith(b"\r\n\r\na\r\nb\n\r")




def test_a_fresh_reader_has_no_response_yet():
    reader = ResponseReader("GET")
    assert reader.untouched and not reader.done and reader.keep_alive
    assert (reader.status, reader.reason, reader.version, reader.headers, reader.body) == (0, b"", b"HTTP/1.1", [], b"")


def test_a_response_not_starting_with_its_status_line_is_refused():
    # llhttp skips blank lines before a status line; h11 does not, nor does this reader.
    with pytest.raises(httpx.RemoteProtocolError, match="status line"):
        ResponseReader("GET").feed(b"\r\n" + LENGTH)


@pytest.mark.parametrize("first", [b"H", LENGTH[:-1]])
def test_a_reader_is_touched_by_its_first_byte(first):
    reader = ResponseReader("GET")
    assert not reader.feed(first)
    assert not reader.untouched


def test_a_complete_response_is_no_longer_untouched():
    reader = feed_split(LENGTH)
    assert not reader.untouched


def test_a_reader_whose_interim_response_was_skipped_is_touched():
    reader = ResponseReader("GET")
    assert not reader.feed(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2")
    assert not reader.untouched


@pytest.mark.parametrize(
    ("status_line", "status", "reason"),
    [
        (b"HTTP/1.1 404 Not Found", 404, b"Not Found"),
        (b"HTTP/1.1 429 Too Many  Requests here", 429, b"Too Many  Requests here"),
        (b"HTTP/1.1 200", 200, b""),
        (b"HTTP/1.1 200 ", 200, b""),
        (b"HTTP/1.0 200 OK", 200, b"OK"),
    ],
)
def test_status_code_reason_and_version_are_read_from_the_status_line(status_line, status, reason):
    reader = feed_split(status_line + b"\r\nContent-Length: 2\r\n\r\nok")
    assert (reader.status, reader.reason, reader.body) == (status, reason, b"ok")
    assert reader.version == status_line[:8]


@pytest.mark.parametrize("interim", [b"HTTP/1.1 100 Continue", b"HTTP/1.1 102 Processing", b"HTTP/1.1 199 Odd"])
def test_every_1xx_but_101_is_an_interim_response(interim):
    reader = feed_split(interim + b"\r\nX-Interim: 1\r\n\r\n" + LENGTH)
    assert reader.status == 200 and (b"X-Interim", b"1") not in reader.headers


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"HTTX/1.1 200 OK\r\n\r\n", "malformed response: Expected HTTP/, RTSP/ or ICE/"),
        (b"HTTP/2 200 OK\r\n\r\n", "malformed response: Expected dot"),
        (b"HTTP/2.0 200 OK\r\n\r\n", "unsupported HTTP version 2.0"),
        (b"HTTP/1.1\r\n\r\n", "malformed response: Expected space after version"),
        (b"HTTP/1.1 2x0 OK\r\n\r\n", "malformed response: Invalid status code"),
        (b"HTTP/1.1\t200 OK\r\n\r\n", "malformed response: Expected space after version"),
        (b"HTTP/1.1  200 OK\r\n\r\n", "malformed response: Invalid status code"),
        (b"\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", "the response does not start with a status line: b'\\r\\n\\r\\nHTTP/1.1 200 OK\\r\\n\\r\\n'"),
        (b"HTTP/1.1 099 Low\r\n\r\n", "invalid status code 099"),
        (b"HTTP/1.1 600 High\r\n\r\n", "invalid status code 600"),
        (b"HTTP/1.1 101 Switching Protocols\r\n\r\n", "the server switched protocols, but no upgrade was asked"),
        (b"HTTP/1.1 200 O\x01K\r\n\r\n", "control character in the reason phrase b'O\\x01K'"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed response: Invalid header token"),
        (b"HTTP/1.1 200 OK\r\n: no name\r\n\r\n", "malformed response: Invalid header token"),
        (b"HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok", "malformed response: Invalid header field char"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "malformed response: Invalid character in Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1" + b"0" * 60 + b"\r\n\r\n", "malformed response: Content-Length overflow"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", "malformed response: Duplicate Content-Length"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported Transfer-Encoding b'gzip'"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: " + b"g" * 60 + b"\r\n\r\n",
            "unsupported Transfer-Encoding b'" + "g" * 40 + "'",
        ),
    ],
)  # fmt: skip
def test_a_malformed_head_is_refused_with_a_message_naming_the_fault(raw, message):
    with pytest.raises(httpx.RemoteProtocolError) as caught:
        ResponseReader("GET").feed(raw)
    assert str(caught.value) == message


def test_a_head_may_take_up_to_the_limit_but_not_one_byte_more():
    start = b"HTTP/1.1 200 OK\r\nX-Big: "
    reader = ResponseReader("GET")
    assert not reader.feed(start + b"a" * (MAX_HEAD - len(start) - 10))
    assert not reader.feed(b"a" * 10)  # exactly the limit, no end yet
    with pytest.raises(httpx.RemoteProtocolError) as caught:
        reader.feed(b"a")
    assert str(caught.value) == "response head too large"


def test_a_large_head_within_the_limit_is_read():
    big = b"a" * (MAX_HEAD - 100)
    reader = feed_split(b"HTTP/1.1 200 OK\r\nX-Big: " + big + b"\r\nContent-Length: 2\r\n\r\nok")
    assert reader.headers[0] == (b"X-Big", big) and reader.body == b"ok"


def test_header_values_lose_surrounding_whitespace_but_names_and_order_are_kept():
    raw = b"HTTP/1.1 200 OK\r\nX-A:   spaced out \t\r\nx-b:tight\r\nContent-Length: 2 \r\n\r\nok"
    reader = feed_split(raw)
    assert reader.headers == [(b"X-A", b"spaced out"), (b"x-b", b"tight"), (b"Content-Length", b"2")]
    assert reader.body == b"ok"


def test_a_repeated_content_length_even_of_the_same_value_is_refused():
    # RFC 9110 8.6 allows taking it; llhttp's strict mode does not, and no TMDB server sends it.
    with pytest.raises(httpx.RemoteProtocolError, match="Duplicate Content-Length"):
        feed_split(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")


@pytest.mark.parametrize("coding", [b"chunked", b"Chunked", b"CHUNKED", b" chunked "])
def test_the_chunked_coding_is_recognised_in_any_case(coding):
    reader = feed_split(CHUNKED.replace(b"chunked", coding))
    assert reader.body == b'{"id": 550 }'


@pytest.mark.parametrize(
    ("connection", "kept"),
    [
        (b"close", False),
        (b"Close", False),
        (b"keep-alive, CLOSE", False),
        (b"keep-alive", True),
        (b"Upgrade", True),
    ],
)
def test_the_connection_header_decides_reuse(connection, kept):
    reader = feed_split(LENGTH.replace(b"Content-Type", b"Connection: " + connection + b"\r\nContent-Type"))
    assert reader.keep_alive is kept


def test_a_close_in_any_connection_header_wins():
    raw = LENGTH.replace(b"Content-Type", b"Connection: close\r\nConnection: keep-alive\r\nContent-Type")
    assert not feed_split(raw).keep_alive


def test_an_http_1_0_response_is_never_reused_even_with_keep_alive():
    raw = LENGTH.replace(b"HTTP/1.1", b"HTTP/1.0").replace(b"Content-Type", b"Connection: keep-alive\r\nContent-Type")
    assert not feed_split(raw).keep_alive


@pytest.mark.parametrize(
    ("raw", "method"),
    [
        (b"HTTP/1.1 204 No Content\r\n\r\nx", "GET"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "HEAD"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nstray", "GET"),
    ],
)
def test_bytes_right_after_a_response_without_a_body_mean_the_connection_is_not_reused(raw, method):
    reader = feed_split(raw, method)
    assert reader.body == b"" and not reader.keep_alive


def test_a_close_delimited_response_to_head_ends_at_the_head():
    reader = feed_split(b"HTTP/1.1 200 OK\r\n\r\n", "HEAD")
    assert reader.body == b"" and reader.keep_alive


def test_a_body_arriving_with_the_head_is_counted_against_content_length():
    reader = ResponseReader("GET")
    assert not reader.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel")
    assert not reader.feed(b"l")
    assert reader.feed(b"o")
    assert reader.body == b"hello" and reader.keep_alive


def test_a_body_in_many_pieces_is_joined_in_order():
    reader = ResponseReader("GET")
    reader.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n")
    for piece in (b"ab", b"cd", b"ef"):
        reader.feed(piece)
    assert reader.done and reader.body == b"abcdef"


def test_bytes_beyond_content_length_are_dropped_and_the_connection_not_reused():
    reader = ResponseReader("GET")
    assert not reader.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab")
    assert reader.feed(b"cdEXTRA")
    assert reader.body == b"abcd" and not reader.keep_alive


def test_a_close_delimited_body_keeps_what_came_with_the_head_and_after():
    reader = ResponseReader("GET")
    assert not reader.feed(b"HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nfirst,")
    assert not reader.feed(b"second")
    assert not reader.done and not reader.keep_alive
    assert reader.eof() and reader.body == b"first,second"


def test_eof_does_not_complete_a_chunked_body():
    reader = ResponseReader("GET")
    reader.feed(CHUNKED[:-5])
    assert not reader.eof() and not reader.done


def test_a_chunk_split_across_feeds_keeps_its_bytes_in_order():
    reader = ResponseReader("GET")
    assert not reader.feed(CHUNKED_HEAD + b"a\r\n0123")
    assert not reader.feed(b"45")
    assert not reader.feed(b"6789\r")
    assert not reader.feed(b"\n")
    assert reader.feed(b"0\r\n\r\n")
    assert reader.body == b"0123456789" and reader.keep_alive


@pytest.mark.parametrize("size_line", [b"5;a=1;b=2", b"5;a=\"q\"", b"05"])
def test_chunk_sizes_with_extensions_or_leading_zeros_are_read(size_line):
    assert feed_split(CHUNKED_HEAD + size_line + b"\r\nabcde\r\n0\r\n\r\n").body == b"abcde"


@pytest.mark.parametrize("size_line", [b"5 ;name=value", b"5\t", b"5;"])
def test_chunk_sizes_with_whitespace_or_an_empty_extension_are_refused(size_line):
    # llhttp's strict mode (its leniency for spaces after a chunk size is off); h11 takes them.
    with pytest.raises(httpx.RemoteProtocolError, match="malformed response"):
        feed_split(CHUNKED_HEAD + size_line + b"\r\nabcde\r\n0\r\n\r\n")


@pytest.mark.parametrize(
    ("chunks", "message"),
    [
        (b"\r\nabcde\r\n0\r\n\r\n", "malformed response: Invalid character in chunk size"),
        (b";ext\r\nabcde\r\n0\r\n\r\n", "malformed response: Invalid character in chunk size"),
        (b"z" * 30 + b"\r\n", "malformed response: Invalid character in chunk size"),
        (b"5X\r\nabcde\r\n", "malformed response: Invalid character in chunk size"),
        (b"f" * 17 + b"\r\n", "malformed response: Chunk size overflow"),
        (b"3\r\nabcX\r\n", "malformed response: Expected LF after chunk data"),
        (b"3\r\nabc\n\r0\r\n\r\n", "malformed response: Missing expected CR after chunk data"),
    ],
)
def test_malformed_chunks_are_refused_with_a_message_naming_the_fault(chunks, message):
    with pytest.raises(httpx.RemoteProtocolError) as caught:
        ResponseReader("GET").feed(CHUNKED_HEAD + chunks)
    assert str(caught.value) == message


@pytest.mark.parametrize("state", [b"5;x=", b"5\r\nabcde\r\n0\r\nX-T: "], ids=["extension", "trailer"])
def test_a_chunk_extension_or_trailer_may_take_up_to_the_limit_but_not_one_byte_more(state):
    reader = ResponseReader("GET")
    assert not reader.feed(CHUNKED_HEAD + state)
    assert not reader.feed(b"1" * MAX_HEAD)  # counted from the piece after the one where the body moved on
    with pytest.raises(httpx.RemoteProtocolError) as caught:
        reader.feed(b"1")
    assert str(caught.value) == "chunk framing or trailer too long"


def test_a_trailer_section_of_several_lines_ends_at_its_empty_line():
    reader = ResponseReader("GET")
    assert not reader.feed(CHUNKED_HEAD + b"2\r\nok\r\n0\r\nX-One: 1\r\n")
    assert not reader.feed(b"X-Two: 2\r\n")
    assert reader.feed(b"\r\n")
    assert reader.body == b"ok" and reader.keep_alive


def test_bytes_after_the_last_chunk_mean_the_connection_is_not_reused():
    reader = feed_split(CHUNKED + b"HTTP/1.1 200 OK\r\n")
    assert reader.body == b'{"id": 550 }' and not reader.keep_alive


def test_the_head_and_a_whole_chunked_body_in_one_piece_complete_at_once():
    reader = ResponseReader("GET")
    assert reader.feed(CHUNKED) is True
    assert reader.done and reader.body == b'{"id": 550 }'


def test_a_get_is_written_as_its_request_line_and_headers_then_a_blank_line():
    request = httpx.Request(
        "GET", "http://example.test/3/movie/550?language=de", headers={"Accept": "application/json"}
    )
    assert request_bytes(request, b"") == (
        b"GET /3/movie/550?language=de HTTP/1.1\r\nHost: example.test\r\nAccept: application/json\r\n\r\n"
    )


def test_a_streamed_body_is_sent_whole_with_its_length_instead_of_chunked():
    def pieces() -> Iterator[bytes]:
        yield b'{"a": '
        yield b"1}"

    request = httpx.Request("POST", "http://example.test/3/list", content=pieces())
    assert request.headers["Transfer-Encoding"] == "chunked"
    raw = request_bytes(request, b'{"a": 1}')
    assert raw == b'POST /3/list HTTP/1.1\r\nHost: example.test\r\nContent-Length: 8\r\n\r\n{"a": 1}'


def test_a_chunk_holding_blank_lines_with_its_trailer_in_a_later_piece_ends_at_the_trailer():
    reader = ResponseReader("GET")
    assert not reader.feed(CHUNKED_HEAD + b"4\r\n\r\n\r\n\r\n0\r\nX-T")
    assert reader.feed(b"railer: 1\r\n\r\n")
    assert reader.body == b"\r\n\r\n" and reader.keep_alive


def test_a_transfer_encoding_given_by_the_caller_becomes_one_content_length_and_later_headers_stay():
    request = httpx.Request(
        "POST", "http://example.test/3/list", headers={"Transfer-Encoding": "chunked", "X-After": "1"}, content=b"{}"
    )
    raw = request_bytes(request, request.read())
    assert raw == b"POST /3/list HTTP/1.1\r\nHost: example.test\r\nX-After: 1\r\nContent-Length: 2\r\n\r\n{}"
