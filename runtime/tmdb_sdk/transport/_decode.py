"""The lean pools' content decoding: gzip/deflate undone as the body arrives, never past a cap.

httpx decodes a body only once it has it whole, and without a bound: a 10 MiB gzip bomb grows to
whatever it inflates to. Here each piece is inflated with zlib's `max_length`, so no step produces
more than what is left under the cap plus one byte, and the call fails as soon as the cap is crossed.
Only the codings the request asked for (its Accept-Encoding) are decoded; a response in any other
is a protocol error, not something to guess at.
"""

from __future__ import annotations

import zlib

import httpx

# What the pools can undo (as httpx's own decoders, without brotli or zstd: those need packages the
# wheel does not depend on, and the client never asks for them).
DECODABLE = frozenset({b"gzip", b"deflate"})


class ResponseTooLarge(httpx.DecodingError):
    """The decoded body went past the call's cap (`tmdb_max_body` or _defaults.MAX_RESPONSE_BYTES)."""


def too_large(cap: int) -> ResponseTooLarge:
    return ResponseTooLarge(f"the response body exceeds the cap of {cap:,} bytes (decoded) set for this call")


def accepted_codings(accept_encoding: bytes | None) -> frozenset[bytes]:
    """The codings a request's Accept-Encoding lets the server use (none given: any, RFC 9110 12.5.3)."""
    if accept_encoding is None:
        return DECODABLE
    codings: set[bytes] = set()
    for item in accept_encoding.lower().split(b","):
        coding, _, params = item.partition(b";")
        quality = params.replace(b" ", b"")
        if quality in (b"q=0", b"q=0.0", b"q=0.00", b"q=0.000"):
            continue
        coding = coding.strip()
        codings.update(DECODABLE if coding == b"*" else (coding,))
    return frozenset(codings)


class _Inflater:
    """One gzip or deflate layer; deflate is tried zlib-wrapped, then raw (RFC 9110 says wrapped; some
    servers send raw, and httpx reads both)."""

    __slots__ = ("_deflate", "_obj", "_started")

    def __init__(self, coding: bytes) -> None:
        self._deflate = coding == b"deflate"
        self._obj = zlib.decompressobj(zlib.MAX_WBITS if self._deflate else zlib.MAX_WBITS | 16)
        self._started = False

    def feed(self, data: bytes, room: int) -> tuple[bytes, bytes]:
        """(what `data` inflates to, at most `room` bytes; what was left unconsumed)."""
        try:
            out = self._obj.decompress(data, room)
        except zlib.error:
            if not (self._deflate and not self._started):
                raise
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._obj.decompress(data, room)
        self._started = True
        return out, self._obj.unconsumed_tail

    def flush(self) -> bytes:
        return self._obj.flush()


class BodyDecoder:
    """The decoded body of one response, built as pieces arrive; `cap`: the most it may hold."""

    __slots__ = ("_layers", "cap", "parts", "size")

    def __init__(self, codings: list[bytes], cap: int) -> None:
        # Content-Encoding lists codings in the order they were applied: undo the last first.
        self._layers = [_Inflater(coding) for coding in reversed(codings)]
        self.cap = cap
        self.parts: list[bytes] = []
        self.size = 0

    def feed(self, data: bytes) -> None:
        try:
            self._feed(data, 0)
        except zlib.error as exc:
            raise httpx.DecodingError(f"the response body could not be decoded: {exc}") from None

    def _feed(self, data: bytes, layer: int) -> None:
        if layer == len(self._layers):
            self.size += len(data)
            if self.size > self.cap:
                raise too_large(self.cap)
            self.parts.append(data)
            return
        inflater = self._layers[layer]
        while data:
            # One byte more than the room left: getting it means the cap is crossed.
            out, data = inflater.feed(data, self.cap - self.size + 1)
            if out:
                self._feed(out, layer + 1)
            elif data:  # nothing came out, yet input is left: zlib wants more room than it reported
                raise httpx.DecodingError("the response body could not be decoded: no progress")

    def finish(self) -> bytes:
        try:
            for layer, inflater in enumerate(self._layers):
                rest = inflater.flush()
                if rest:
                    self._feed(rest, layer + 1)
        except zlib.error as exc:
            raise httpx.DecodingError(f"the response body could not be decoded: {exc}") from None
        parts = self.parts
        return parts[0] if len(parts) == 1 else b"".join(parts)
