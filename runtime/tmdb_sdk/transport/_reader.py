"""The lean pools' response reader: llhttp (httptools) parses, this module decides.

llhttp is Node.js's HTTP parser, kept by the Node.js project and fuzzed there; in its strict mode
(httptools' default: no "dangerous leniencies" enabled) it refuses bare LF or CR, NUL and control
characters in header lines, header names that are not tokens, malformed versions, status codes not
of three digits, Content-Length with Transfer-Encoding, duplicate or overflowing Content-Length and
malformed chunks. What it lets through and HTTP/1.1 clients must not take is checked here, once per
response, in the callbacks: a status outside 100..599, 101 (this client never asks for an upgrade),
a version other than HTTP/1.0 and HTTP/1.1, control characters in the reason phrase, a transfer coding
other than one `chunked`, a response not starting with its status line.

Chosen over h11 by measurement on the project's machine, for a 15-header gzip response like TMDB's
(`make bench BENCH_ARGS="--only wire"`, bench/wire.py): ~4 µs per parse with httptools alone, ~83 µs
with h11 (connection set-up included); both refuse every hostile case of the issue once the checks above
are added, and llhttp refuses more (tests/transport/test_parser_differential.py lists where).

Every fault is an httpx.RemoteProtocolError (the runtime's ConnectionError), or a DecodingError for a
body that cannot be decoded or is over the call's cap (`_decode`); nothing else escapes `feed`/`eof`.
"""

from __future__ import annotations

import functools
import re

import httptools
import httpx

from .. import _defaults
from ._decode import DECODABLE, BodyDecoder, accepted_codings, too_large

MAX_HEAD = 256 * 1024  # the most a response head (interim responses included) may take
_NO_BODY_STATUS = frozenset({204, 304})
# Control characters but HTAB: not in a reason phrase (RFC 9112 4), where they could hide a second head.
_BAD_REASON = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
_VERSIONS = {"1.1": b"HTTP/1.1", "1.0": b"HTTP/1.0"}
_WATCHED_LENGTHS = frozenset(map(len, (b"content-length", b"transfer-encoding", b"content-encoding", b"connection")))


class _Stop(Exception):
    """Raised in a callback to stop llhttp: the response is complete, what follows is not ours."""


class _Interim(Exception):
    """Raised at the end of an interim (1xx) response: the final one is read by a parser of its own, which
    sees its first byte (llhttp would skip blank lines between the two; h11 refuses them)."""


def _fault(message: str) -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError(message)


class ResponseReader:
    """One response, fed the bytes as they arrive; `done` once it is complete.

    `codings`: the content codings the request accepts (decoded here, bounded by `max_body`).
    """

    __slots__ = (
        "_chunked",
        "_close",
        "_codings",
        "_decoder",
        "_encodings",
        "_fed",
        "_fresh",
        "_head",
        "_head_done",
        "_head_request",
        "_interim",
        "_keep",
        "_length",
        "_limit",
        "_parser",
        "_quiet",
        "_tail",
        "body",
        "decoded",
        "done",
        "headers",
        "keep_alive",
        "max_body",
        "reason",
        "status",
        "version",
    )  # fmt: skip

    def __init__(
        self, method: str, codings: frozenset[bytes] = DECODABLE, max_body: int | None = None
    ) -> None:
        self._head_request = method == "HEAD"
        self._codings = codings
        self.max_body = _defaults.MAX_RESPONSE_BYTES if max_body is None else max_body
        # Raw bytes a response may take: its head, then the body (chunk framing and trailers included).
        self._limit = MAX_HEAD + 2 * self.max_body + 65536
        self._parser: httptools.HttpResponseParser | None = httptools.HttpResponseParser(self)
        self._fed = 0
        self._fresh = True  # the parser has not seen a byte yet
        self._head = b""  # the bytes fed before the final response's head was complete
        self._quiet = 0  # bytes fed since the body last moved on (chunk sizes, extensions, trailers)
        self._tail = b""
        self._head_done = self._interim = self._chunked = self._close = self._keep = False
        self._length: int | None = None
        self._encodings: list[bytes] = []
        self._decoder: BodyDecoder | None = None
        self.done = False
        self.decoded = False
        self.keep_alive = True
        self.status = 0
        self.reason = b""
        self.version = b"HTTP/1.1"
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""

    @property
    def untouched(self) -> bool:
        """Not a byte of the response has arrived."""
        return not self._fed

    # -- fed by the pools ---------------------------------------------------------------------------------

    def feed(self, data: bytes) -> bool:
        """Whether the response is complete with `data`."""
        parser = self._parser
        if parser is None:  # complete, or failed: bytes after it are not ours
            return self.done
        if self._fresh:
            if not data:
                return False
            if data[:1] != b"H":  # llhttp skips blank lines before a status line; h11 does not
                self._parser = None
                raise _fault(f"the response does not start with a status line: {data[:40]!r}")
            self._fresh = False
        self._fed += len(data)
        if not self._head_done:
            self._head += data
        self._quiet += len(data)
        if self._head_request and not self._head_done:
            self._tail = (self._tail + data)[-4:]
        interim = False
        try:
            parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            # an interim response's end: the rest is fed outside this handler (whose exception would
            # otherwise become the context of any raised while feeding it)
            interim = isinstance(exc.__context__, _Interim)
            if not interim:
                self._failed(exc.__context__)
        except httptools.HttpParserUpgrade:
            self._parser = None
            raise _fault("the server switched protocols, but no upgrade was asked") from None
        except httptools.HttpParserError as exc:
            self._failed(exc)
        except Exception as exc:  # noqa: BLE001 - the promise: only httpx's errors leave the reader
            self._parser = None
            raise _fault(f"unreadable response: {exc!r}") from None
        if interim:
            return self._after_interim()
        if not self._head_done:
            if self._fed > MAX_HEAD:
                self._parser = None
                raise _fault("response head too large")
        elif not self.done:
            if self._fed > self._limit:
                self._parser = None
                raise too_large(self.max_body)
            if self._quiet > MAX_HEAD:  # llhttp keeps a trailer line whole in memory: bounded as a head is
                self._parser = None
                raise _fault("chunk framing or trailer too long")
        return self.done

    def _after_interim(self) -> bool:
        # llhttp's strict mode ends a head only at CRLF CRLF, so the first one ends the interim response.
        rest = self._head[self._head.index(b"\r\n\r\n") + 4 :]
        self._parser = httptools.HttpResponseParser(self)
        self._fresh, self._head = True, b""
        self._fed -= len(rest)  # counted again when fed below
        return self.feed(rest)

    def eof(self) -> bool:
        """The connection was closed: whether that completes the response."""
        if not self.done and self._head_done and self._length is None and not self._chunked and self._has_body():
            self._complete(keep=False)  # a body delimited by the close
        self._parser = None
        return self.done

    def _failed(self, exc: BaseException | None) -> None:
        self._parser = None
        if isinstance(exc, _Stop):
            return
        if isinstance(exc, (httpx.RemoteProtocolError, httpx.DecodingError)):
            raise exc
        if self.done:  # llhttp refusing what follows a complete response (e.g. data after Connection: close)
            self.keep_alive = False
            return
        if isinstance(exc, httptools.HttpParserError):
            raise _fault(f"malformed response: {exc}") from None
        raise _fault(f"unreadable response: {exc!r}") from None

    def _has_body(self) -> bool:
        return not self._head_request and self.status not in _NO_BODY_STATUS

    def _complete(self, keep: bool) -> None:
        decoder = self._decoder
        if decoder is not None:
            self.body = decoder.finish()
            self._decoder = None
        self.keep_alive = keep
        self.done = True

    # -- llhttp's callbacks -----------------------------------------------------------------------------

    def on_message_begin(self) -> None:
        if self.done:  # bytes right after the response: the connection cannot be trusted
            self.keep_alive = False
            raise _Stop

    def on_status(self, reason: bytes) -> None:
        self.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._head_done:  # a trailer field: not kept (httpx has no place for trailers)
            return
        value = value.rstrip(b" \t")  # llhttp drops the whitespace before a value, not after
        self.headers.append((name, value))
        if len(name) not in _WATCHED_LENGTHS:  # most headers: no lower() needed to know they are none of ours
            return
        lowered = name.lower()
        if lowered == b"content-length":
            self._length = int(value)  # llhttp checked its digits, that it fits in 64 bits, and that it is alone
        elif lowered == b"transfer-encoding":
            # chunked is the only coding httpx can undo (as h11: any other, or a second header, is an error)
            if self._chunked or value.lower() != b"chunked":
                raise _fault(f"unsupported Transfer-Encoding {value[:40]!r}")
            self._chunked = True
        elif lowered == b"content-encoding":
            self._encodings += [c for c in (p.strip().lower() for p in value.split(b",")) if c and c != b"identity"]
        elif lowered == b"connection":
            self._close = self._close or b"close" in value.lower()

    def on_headers_complete(self) -> None:
        parser = self._parser
        assert parser is not None
        status = parser.get_status_code()
        if not 100 <= status <= 599:
            raise _fault(f"invalid status code {status:03d}")
        if status == 101:
            raise _fault("the server switched protocols, but no upgrade was asked")
        version = _VERSIONS.get(parser.get_http_version())
        if version is None:
            raise _fault(f"unsupported HTTP version {parser.get_http_version()}")
        if _BAD_REASON.search(self.reason):
            raise _fault(f"control character in the reason phrase {self.reason[:60]!r}")
        if status < 200:  # an interim response: the final one follows (llhttp ends it at its head)
            self._interim = True
            return
        self.status, self.version = status, version
        self._head_done = True
        self._head = b""
        self._quiet = 0
        if not self._has_body():
            keep = version == b"HTTP/1.1" and not self._close
            if self._head_request:  # llhttp would wait for the body a HEAD response announces
                self._complete(keep and self._tail == b"\r\n\r\n")
                raise _Stop
            self._keep = keep
            return
        # llhttp keeps an HTTP/1.0 connection with Connection: keep-alive; such servers are rare and old.
        self._keep = self.keep_alive = parser.should_keep_alive() and version == b"HTTP/1.1"
        if self._length is not None and self._length > self.max_body:
            raise too_large(self.max_body)
        self._decoder = BodyDecoder(self._checked_codings(), self.max_body)

    def _checked_codings(self) -> list[bytes]:
        for coding in self._encodings:
            if coding not in self._codings:
                raise _fault(f"the response's Content-Encoding {coding[:40]!r} was not asked for")
            if coding not in DECODABLE:
                raise _fault(f"the response's Content-Encoding {coding[:40]!r} cannot be decoded here")
        self.decoded = bool(self._encodings)
        return self._encodings

    def on_body(self, body: bytes) -> None:
        self._quiet = 0
        decoder = self._decoder
        assert decoder is not None
        decoder.feed(body)

    def on_chunk_header(self) -> None:
        self._quiet = 0

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            self.reason, self.headers, self._encodings = b"", [], []
            self._length, self._chunked, self._close = None, False, False
            raise _Interim
        self._complete(self._keep)


@functools.lru_cache(maxsize=64)
def _accepted(accept: str | None) -> frozenset[bytes]:
    return accepted_codings(None if accept is None else accept.encode("latin-1"))


def reader_for(request: httpx.Request) -> ResponseReader:
    """The reader of `request`'s response: its accepted codings, and its cap (`tmdb_max_body`)."""
    cap = request.extensions.get("tmdb_max_body")
    return ResponseReader(
        request.method,
        _accepted(request.headers.get("accept-encoding")),  # the client's is the same on every call
        cap if isinstance(cap, int) and not isinstance(cap, bool) and cap >= 0 else None,
    )


def response_headers(reader: ResponseReader) -> list[tuple[bytes, bytes]]:
    """The headers httpx gets: once the body is decoded here, without its Content-Encoding, and with the
    decoded length, so that httpx does not decode it again."""
    if not reader.decoded:
        return reader.headers
    dropped = (b"content-encoding", b"content-length")
    headers = [(name, value) for name, value in reader.headers if name.lower() not in dropped]
    headers.append((b"Content-Length", str(len(reader.body)).encode("ascii")))
    return headers
