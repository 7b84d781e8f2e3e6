"""`tmdb.exports.ids(kind, day=None)`: a daily ID export, streamed as typed rows in bounded memory.

    for row in tmdb.exports.ids("movie"):            # today's file, or yesterday's before it is out
        row.id, row.original_title, row.extra
    path = tmdb.exports.download("person", folder="exports/")   # resumable, then read_file(path, "person")

The gzip JSON-lines file is read chunk by chunk (download.py), inflated by zlib with a bounded output per
step, and cut into lines; memory holds about one chunk and one line whatever the file's size. A file cut
short, bytes that are not gzip, and a line that is not a JSON object with an int id each raise ExportError
with the file and the line number: no row is skipped silently. The files' host is `exports_url`
(TMDB_EXPORTS_URL, else _defaults.EXPORTS_URL); `tmdb.exports.at(url)` reads another.
"""
from __future__ import annotations

import datetime as dt
import os
import zlib
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import httpx

from .. import _defaults
from .._io import iterate_sync, run_sync
from .._json import loads
from ..errors import ArgumentError, ExportError, ExportNotFoundError
from . import download
from .days import as_day
from .rows import KINDS, ROW_TYPES, ExportKind, ExportRow, MovieIdRow, NamedIdRow, PersonIdRow, TvSeriesIdRow

if TYPE_CHECKING:
    from ..client import TMDB, AsyncTMDB

# The longest line accepted: export lines are ~100 bytes; a file without newlines is not an export.
MAX_LINE = 1 << 20
DayLike = dt.date | str | None
MovieKinds = Literal["movie", "adult_movie"]
TvKinds = Literal["tv_series", "adult_tv_series"]
PersonKinds = Literal["person", "adult_person"]
NamedKinds = Literal["collection", "tv_network", "keyword", "production_company"]


def file_name(kind: str, day: dt.date) -> str:
    """movie_ids_05_15_2026.json.gz: TMDB's name of a kind's file of a day."""
    if kind not in ROW_TYPES:
        raise ArgumentError(f"exports: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return f"{kind}_ids_{day:%m_%d_%Y}.json.gz"


def check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ArgumentError(f"exports: the files' URL {url!r} needs http:// or https://, e.g. {_defaults.EXPORTS_URL}")
    return url.rstrip("/")


def _row(line: bytes, make: type[ExportRow], name: str, number: int) -> ExportRow:
    try:
        data = loads(line)
    except ValueError:
        raise ExportError(f"not a JSON line: {line[:80]!r}", file=name, line=number) from None
    if type(data) is not dict:
        raise ExportError(f"not a JSON object: {line[:80]!r}", file=name, line=number)
    found = data.get("id")
    if type(found) is not int:  # bool is not an id either
        raise ExportError(f"no int id: {line[:80]!r}", file=name, line=number)
    return make.from_dict(data, found)


async def rows(chunks: AsyncIterable[bytes], kind: str, name: str) -> AsyncGenerator[list[ExportRow], None]:
    """The rows of a gzip JSON-lines stream (one or more gzip members), in order, a batch per inflated chunk
    (a coroutine step per row would cost more than the row). The rows before a bad line are handed out
    before its error is raised."""
    make = ROW_TYPES[kind]
    inflate = zlib.decompressobj(wbits=31)
    number, tail = 0, b""
    async for chunk in chunks:
        pending = chunk
        while pending:
            try:
                data = inflate.decompress(pending, _defaults.EXPORTS_CHUNK)
            except zlib.error as exc:
                raise ExportError(f"not a valid gzip stream ({exc})", file=name, line=number + 1) from None
            pending = inflate.unconsumed_tail
            if inflate.eof and inflate.unused_data:  # another gzip member follows
                pending, inflate = inflate.unused_data + pending, zlib.decompressobj(wbits=31)
            if not data:
                continue
            lines = (tail + data).split(b"\n")
            tail = lines.pop()
            if len(tail) > MAX_LINE:
                raise ExportError(f"a line longer than {MAX_LINE} bytes", file=name, line=number + 1)
            batch: list[ExportRow] = []
            try:
                for line in lines:
                    number += 1
                    batch.append(_row(line, make, name, number))
            except ExportError:
                if batch:
                    yield batch
                raise
            yield batch
    if not inflate.eof:
        raise ExportError("the file ends before its gzip stream does (truncated)", file=name, line=number + 1)
    if tail:
        yield [_row(tail, make, name, number + 1)]


async def _file_chunks(path: Path) -> AsyncGenerator[bytes, None]:
    with path.open("rb") as file:
        while chunk := file.read(_defaults.EXPORTS_CHUNK):
            yield chunk


def _each(batches: Iterator[list[ExportRow]]) -> Iterator[ExportRow]:
    """The rows of the batches, one by one; closing it closes the download."""
    try:
        for batch in batches:
            yield from batch
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()


async def _async_each(batches: AsyncGenerator[list[ExportRow], None]) -> AsyncGenerator[ExportRow, None]:
    try:
        async for batch in batches:
            for row in batch:
                yield row
    finally:
        await batches.aclose()


def _check_kind(kind: str) -> None:
    if kind not in ROW_TYPES:
        raise ArgumentError(f"exports: kind must be one of {', '.join(KINDS)}, got {kind!r}")


class _ExportsLogic:
    """What Exports and AsyncExports share: the day, the URL, the source, the coroutines."""

    def __init__(self, client: TMDB | AsyncTMDB, url: str | None = None) -> None:
        self._client = client
        self.url = check_url(url or os.environ.get(_defaults.ENV_EXPORTS_URL) or _defaults.EXPORTS_URL)

    def file_url(self, kind: str, day: dt.date | str) -> str:
        """The URL of `kind`'s file of `day`."""
        return f"{self.url}/{file_name(kind, as_day(day, 'exports: day'))}"

    def _days(self, day: DayLike) -> list[dt.date]:
        """The days to try: the one asked, else today (UTC) then yesterday."""
        if day is not None:
            return [as_day(day, "exports: day")]
        today = dt.datetime.fromtimestamp(self._client._settings.clock.wall(), dt.UTC).date()
        return [today, today - dt.timedelta(days=1)]

    def _source(self, kind: str, day: dt.date, transport: Any) -> download.Source:
        core = self._client._core
        settings = core.settings
        name = file_name(kind, day)
        from .._core import _user_agent

        return download.Source(
            f"{self.url}/{name}", name, core.io, transport, settings.retry, settings.clock,
            httpx.Timeout(settings.timeout).as_dict(), _user_agent(), core.hooks,
        )  # fmt: skip

    def _transport(self) -> tuple[Any, bool]:
        """(a streaming transport, whether it is ours to close): the client's own transport= if it was
        given one, else an httpx transport with its proxy and TLS settings."""
        shared = self._client._shared
        options = shared.stream_options
        if options is None:
            return shared.pool, False
        proxy, verify, trust_env = options
        if proxy is None and trust_env:  # the environment's proxy for the files' host, as for API calls
            from .._proxies import EnvironmentProxies

            proxies = EnvironmentProxies.read()
            proxy = proxies.proxy_for(httpx.URL(self.url)) if proxies is not None else None
        if self._client._core.io.is_async:
            return httpx.AsyncHTTPTransport(proxy=proxy, verify=verify, trust_env=trust_env), True
        return httpx.HTTPTransport(proxy=proxy, verify=verify, trust_env=trust_env), True

    async def _close(self, transport: Any, own: bool) -> None:
        if own:
            await self._client._core.io.call(transport.aclose if self._client._core.io.is_async else transport.close)

    async def _rows(
        self, kind: str, day: DayLike, save_to: str | Path | None
    ) -> AsyncGenerator[list[ExportRow], None]:
        if save_to is not None:
            path = await self._download(kind, day, save_to)
            stream = rows(_file_chunks(path), kind, path.name)
            try:
                async for batch in stream:
                    yield batch
            finally:
                await stream.aclose()
            return
        transport, own = self._transport()
        try:
            days = self._days(day)
            for index, when in enumerate(days):
                source = self._source(kind, when, transport)
                chunks = download.body(source)
                stream = rows(chunks, kind, source.name)
                started = False
                try:
                    async for batch in stream:
                        started = True
                        yield batch
                    return
                except ExportNotFoundError:
                    if started or index == len(days) - 1:
                        raise
                finally:
                    await stream.aclose()
                    await chunks.aclose()
        finally:
            await self._close(transport, own)

    async def _download(self, kind: str, day: DayLike, folder: str | Path) -> Path:
        """The file in `folder` (kept as it is if complete): resumed from `<name>.part` after a break."""
        target_dir = Path(folder)
        target_dir.mkdir(parents=True, exist_ok=True)
        days = self._days(day)
        for when in days:
            if (target_dir / file_name(kind, when)).is_file():
                return target_dir / file_name(kind, when)
        transport, own = self._transport()
        try:
            for index, when in enumerate(days):
                source = self._source(kind, when, transport)
                target = target_dir / source.name
                part = target.with_name(target.name + ".part")
                position = part.stat().st_size if part.exists() else 0
                chunks = download.body(source, position)
                try:
                    with part.open("ab") as file:
                        async for chunk in chunks:
                            file.write(chunk)
                except ExportNotFoundError:
                    if index == len(days) - 1:
                        raise
                    continue
                finally:
                    await chunks.aclose()
                part.replace(target)
                return target
        finally:
            await self._close(transport, own)
        raise AssertionError("unreachable: the last day raises")  # pragma: no cover


class Exports(_ExportsLogic):
    """tmdb.exports (TMDB): the daily ID exports, streamed as typed rows."""

    _client: TMDB

    def at(self, url: str) -> Exports:
        """The same, reading the files from `url` (e.g. a mirror or a local stand-in)."""
        return Exports(self._client, url)

    @overload
    def ids(self, kind: MovieKinds, day: DayLike = None, *, save_to: str | Path | None = None) -> Iterator[MovieIdRow]: ...
    @overload
    def ids(self, kind: TvKinds, day: DayLike = None, *, save_to: str | Path | None = None) -> Iterator[TvSeriesIdRow]: ...
    @overload
    def ids(self, kind: PersonKinds, day: DayLike = None, *, save_to: str | Path | None = None) -> Iterator[PersonIdRow]: ...
    @overload
    def ids(self, kind: NamedKinds, day: DayLike = None, *, save_to: str | Path | None = None) -> Iterator[NamedIdRow]: ...
    def ids(self, kind: ExportKind, day: DayLike = None, *, save_to: str | Path | None = None) -> Iterator[Any]:
        """Every row of `kind`'s file of `day` (default: the newest published: today's, else yesterday's),
        streamed. save_to=folder: the file is downloaded there first (resuming a broken download), then read.

        kind: movie, tv_series, person, collection, tv_network, keyword, production_company, adult_movie,
        adult_tv_series, adult_person. ExportNotFoundError when no file is published for the day(s).
        """
        _check_kind(kind)
        if day is not None:
            as_day(day, "exports: day")
        return _each(iterate_sync(self._rows(kind, day, save_to)))

    def download(self, kind: ExportKind, day: DayLike = None, *, folder: str | Path) -> Path:
        """The file of `day` (default: the newest published) saved in `folder`; a `.part` file left by a
        broken download is resumed with HTTP Range. Read it with read_file(path, kind)."""
        _check_kind(kind)
        return run_sync(self._download(kind, day, folder))


class AsyncExports(_ExportsLogic):
    """tmdb.exports (AsyncTMDB): the same, `async for` and awaited."""

    _client: AsyncTMDB

    def at(self, url: str) -> AsyncExports:
        """The same, reading the files from `url`."""
        return AsyncExports(self._client, url)

    @overload
    def ids(self, kind: MovieKinds, day: DayLike = None, *, save_to: str | Path | None = None) -> AsyncIterator[MovieIdRow]: ...
    @overload
    def ids(self, kind: TvKinds, day: DayLike = None, *, save_to: str | Path | None = None) -> AsyncIterator[TvSeriesIdRow]: ...
    @overload
    def ids(self, kind: PersonKinds, day: DayLike = None, *, save_to: str | Path | None = None) -> AsyncIterator[PersonIdRow]: ...
    @overload
    def ids(self, kind: NamedKinds, day: DayLike = None, *, save_to: str | Path | None = None) -> AsyncIterator[NamedIdRow]: ...
    def ids(self, kind: ExportKind, day: DayLike = None, *, save_to: str | Path | None = None) -> AsyncIterator[Any]:
        """Every row of `kind`'s file of `day`, streamed (see Exports.ids); `async for`."""
        _check_kind(kind)
        if day is not None:
            as_day(day, "exports: day")
        return _async_each(self._rows(kind, day, save_to))

    async def download(self, kind: ExportKind, day: DayLike = None, *, folder: str | Path) -> Path:
        """The file saved in `folder`, resumed from a `.part` left by a broken download (see Exports.download)."""
        _check_kind(kind)
        return await self._download(kind, day, folder)


@overload
def read_file(path: str | Path, kind: MovieKinds) -> Iterator[MovieIdRow]: ...
@overload
def read_file(path: str | Path, kind: TvKinds) -> Iterator[TvSeriesIdRow]: ...
@overload
def read_file(path: str | Path, kind: PersonKinds) -> Iterator[PersonIdRow]: ...
@overload
def read_file(path: str | Path, kind: NamedKinds) -> Iterator[NamedIdRow]: ...
def read_file(path: str | Path, kind: ExportKind) -> Iterator[Any]:
    """The rows of an export file on disk (e.g. from download()), streamed, with the same checks."""
    _check_kind(kind)
    path = Path(path)
    return _each(iterate_sync(rows(_file_chunks(path), kind, path.name)))
