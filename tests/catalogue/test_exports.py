"""tmdb.exports against a loopback file host serving gzip files the tests make: typed rows for every kind,
the newest published day, no credentials, bounded streaming of a large file, and every fault a typed
error naming the file and the line."""
from __future__ import annotations

import datetime as dt
import gzip
import zlib
from pathlib import Path
from typing import Any

import pytest
from catalogue_support import ExportHost, export_bytes, name_of, write_export
from tmdb_sdk import TMDB, AsyncTMDB, Hooks
from tmdb_sdk.catalogue.exports import Exports, read_file
from tmdb_sdk.catalogue.rows import KINDS, MovieIdRow, NamedIdRow, PersonIdRow, TvSeriesIdRow
from tmdb_sdk.errors import ArgumentError, ExportError, ExportNotFoundError, TMDBError
from tmdb_sdk.transport.retry import Clock, RetryPolicy

TODAY = dt.date(2026, 12, 6)
YESTERDAY = TODAY - dt.timedelta(days=1)
MORNING = dt.datetime(2026, 12, 6, 7, 30, tzinfo=dt.UTC).timestamp()

LINES = {
    "movie": [{"adult": False, "id": 3924, "original_title": "Blondie", "popularity": 2.4, "video": False},
              {"adult": False, "id": 6124, "original_title": "Der Mann ohne Namen", "popularity": 1.1, "video": False,
               "new_field": [1]}],
    "tv_series": [{"id": 1, "original_name": "Pride", "popularity": 3.2}],
    "person": [{"adult": False, "id": 16767, "name": "Aki Kaurismäki", "popularity": 2.8}],
    "collection": [{"id": 10, "name": "Star Wars Collection"}],
    "tv_network": [{"id": 1, "name": "Fuji TV"}],
    "keyword": [{"id": 378, "name": "prison"}],
    "production_company": [{"id": 1, "name": "Lucasfilm Ltd."}],
    "adult_movie": [{"adult": True, "id": 5, "original_title": "x", "popularity": 0.6, "video": False}],
    "adult_tv_series": [{"id": 6, "original_name": "y", "popularity": 0.6}],
    "adult_person": [{"adult": True, "id": 7, "name": "z", "popularity": 0.6}],
}
TYPES = {"movie": MovieIdRow, "adult_movie": MovieIdRow, "tv_series": TvSeriesIdRow, "adult_tv_series": TvSeriesIdRow,
         "person": PersonIdRow, "adult_person": PersonIdRow}  # fmt: skip


def exports(host: ExportHost, **options: Any) -> Exports:
    """tmdb.exports of a client holding both credentials, reading from the stand-in."""
    options.setdefault("clock", Clock(wall=lambda: MORNING, sleep=lambda _s: None))
    return TMDB(api_key="the-api-key", access_token="the-token", **options).exports.at(host.loopback.url + "/p/exports")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_streams_typed_rows(export_host: ExportHost, kind: str) -> None:
    assert set(LINES) == set(KINDS)
    export_host.files[name_of(kind, TODAY)] = export_bytes(LINES[kind])
    rows = list(exports(export_host).ids(kind, TODAY))  # type: ignore[call-overload]
    assert [r.id for r in rows] == [line["id"] for line in LINES[kind]]
    assert all(type(r) is TYPES.get(kind, NamedIdRow) for r in rows)
    first = LINES[kind][0]
    for name, value in first.items():
        assert getattr(rows[0], name) == value


def test_unknown_fields_and_odd_values_are_kept(export_host: ExportHost) -> None:
    export_host.files[name_of("movie", TODAY)] = export_bytes(
        [LINES["movie"][1], {"id": 8, "popularity": "high", "original_title": None}])
    second, third = exports(export_host).ids("movie", TODAY)
    assert second.extra == {"new_field": [1]} and second.original_title == "Der Mann ohne Namen"
    assert third.popularity is None and third.extra == {"popularity": "high"} and third.adult is None


def test_without_a_day_today_is_taken_when_published(export_host: ExportHost) -> None:
    export_host.files[name_of("keyword", TODAY)] = export_bytes([{"id": 1, "name": "today"}])
    export_host.files[name_of("keyword", YESTERDAY)] = export_bytes([{"id": 2, "name": "yesterday"}])
    assert [r.name for r in exports(export_host).ids("keyword")] == ["today"]


def test_todays_file_missing_falls_back_to_yesterday(export_host: ExportHost) -> None:
    export_host.files[name_of("keyword", YESTERDAY)] = export_bytes([{"id": 2, "name": "yesterday"}])
    assert [r.name for r in exports(export_host).ids("keyword")] == ["yesterday"]
    assert [s.path.rsplit("/", 1)[-1] for s in export_host.loopback.seen] == [
        name_of("keyword", TODAY), name_of("keyword", YESTERDAY)]


def test_no_file_for_either_day_names_the_file(export_host: ExportHost) -> None:
    with pytest.raises(ExportNotFoundError, match=name_of("keyword", YESTERDAY)) as caught:
        list(exports(export_host).ids("keyword"))
    assert isinstance(caught.value, TMDBError)
    with pytest.raises(ExportNotFoundError, match="not published"):
        list(exports(export_host).ids("keyword", dt.date(2026, 1, 1)))


def test_no_credentials_reach_the_files_host(export_host: ExportHost) -> None:
    export_host.files[name_of("collection", TODAY)] = export_bytes(LINES["collection"])
    assert list(exports(export_host, headers={"X-Team": "catalogue"}, extra_query={"region": "FR"}).ids(
        "collection", TODAY))
    key_only = TMDB(api_key="the-api-key")
    assert [r.id for r in key_only.exports.at(export_host.loopback.url + "/p/exports").ids("collection", TODAY)] == [10]
    for seen in export_host.loopback.seen:
        assert seen.query == {}
        assert "authorization" not in seen.headers and "x-team" not in seen.headers
        assert "the-api-key" not in str(seen.headers) and "the-token" not in str(seen.headers)
        assert seen.headers["user-agent"].startswith("tmdb-sdk-internal/")


def test_the_host_is_configurable(export_host: ExportHost, monkeypatch: pytest.MonkeyPatch) -> None:
    from tmdb_sdk import _defaults

    assert TMDB(api_key="k").exports.url == _defaults.EXPORTS_URL == "https://files.tmdb.org/p/exports"
    assert TMDB(api_key="k").exports.file_url("movie", TODAY) == (
        "https://files.tmdb.org/p/exports/movie_ids_12_06_2026.json.gz")
    monkeypatch.setenv("TMDB_EXPORTS_URL", export_host.loopback.url + "/p/exports/")
    export_host.files[name_of("tv_network", TODAY)] = export_bytes(LINES["tv_network"])
    assert [r.name for r in TMDB(api_key="k").exports.ids("tv_network", TODAY)] == ["Fuji TV"]
    with pytest.raises(ArgumentError, match="needs http"):
        TMDB(api_key="k").exports.at("files.tmdb.org")


def test_hooks_see_the_download_and_its_retries(export_host: ExportHost) -> None:
    export_host.files[name_of("keyword", TODAY)] = export_bytes(LINES["keyword"])
    export_host.loopback.cuts.append(10)  # the first response breaks after 10 bytes: resumed
    events: list[tuple[str, str]] = []
    hooks = Hooks(on_request=lambda e: events.append(("request", e.operation)),
                  on_retry=lambda e: events.append(("retry", e.operation)),
                  on_response=lambda e: events.append(("response", e.operation)))  # fmt: skip
    rows = list(exports(export_host, hooks=hooks).ids("keyword", TODAY))
    assert [r.name for r in rows] == ["prison"]
    name = f"GET /p/exports/{name_of('keyword', TODAY)}"
    assert events == [("request", name), ("retry", name), ("response", name)]
    assert export_host.loopback.seen[1].headers["range"] == "bytes=10-"
    assert export_host.loopback.seen[1].headers["if-range"] == '"v1"'


def test_a_broken_connection_without_retries_is_a_transport_error(export_host: ExportHost) -> None:
    from tmdb_sdk.errors import TransportError

    export_host.files[name_of("keyword", TODAY)] = export_bytes(LINES["keyword"] * 50)
    export_host.loopback.cuts.append(30)
    with pytest.raises(TransportError, match="keyword_ids_12_06_2026"):
        list(exports(export_host, retry=None).ids("keyword", TODAY))


def test_truncated_gzip_names_the_file_and_line(export_host: ExportHost) -> None:
    whole = export_bytes({"id": i, "name": f"k{i}"} for i in range(1000))
    export_host.files[name_of("keyword", TODAY)] = whole[: len(whole) // 2]
    got: list[int] = []
    with pytest.raises(ExportError, match=r"keyword_ids_12_06_2026.json.gz, line \d+: .*truncated") as caught:
        got.extend(r.id for r in exports(export_host).ids("keyword", TODAY))
    assert caught.value.file == name_of("keyword", TODAY) and caught.value.line == len(got) + 1
    assert got == list(range(len(got)))  # nothing skipped before the error


def test_corrupt_gzip_is_a_typed_error(export_host: ExportHost) -> None:
    whole = bytearray(export_bytes({"id": i, "name": f"k{i}"} for i in range(1000)))
    whole[len(whole) // 2] ^= 0xFF
    export_host.files[name_of("keyword", TODAY)] = bytes(whole)
    with pytest.raises(ExportError) as caught:
        list(exports(export_host).ids("keyword", TODAY))
    assert caught.value.file == name_of("keyword", TODAY) and caught.value.line is not None
    export_host.files[name_of("keyword", TODAY)] = b'{"id": 1}\n'  # not gzip at all
    with pytest.raises(ExportError, match="line 1: not a valid gzip stream"):
        list(exports(export_host).ids("keyword", TODAY))


@pytest.mark.parametrize(("bad", "text"), [
    ('{"id": 3, "name": "x"', "not a JSON line"),
    ('[1, 2]', "not a JSON object"),
    ('{"name": "no id"}', "no int id"),
    ('{"id": "3"}', "no int id"),
    ('', "not a JSON line"),
])  # fmt: skip
def test_a_malformed_line_names_its_number(export_host: ExportHost, bad: str, text: str) -> None:
    lines: list[str | dict[str, object]] = [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, bad, {"id": 4}]
    export_host.files[name_of("keyword", TODAY)] = export_bytes(lines)
    got: list[int] = []
    with pytest.raises(ExportError, match=f"keyword_ids_12_06_2026.json.gz, line 3: {text}") as caught:
        got.extend(r.id for r in exports(export_host).ids("keyword", TODAY))
    assert got == [1, 2] and caught.value.line == 3


def test_a_file_of_several_gzip_members_and_no_final_newline(export_host: ExportHost) -> None:
    body = gzip.compress(b'{"id": 1}\n{"id": 2}\n') + gzip.compress(b'{"id": 3}')
    export_host.files[name_of("keyword", TODAY)] = body
    assert [r.id for r in exports(export_host).ids("keyword", TODAY)] == [1, 2, 3]


def test_a_large_file_streams_in_bounded_memory(export_host: ExportHost, tmp_path: Path) -> None:
    """200,000 lines from a file made on disk: every row, in order, while at most a few chunks'
    worth of memory is held (tracemalloc's peak, far below the inflated ~19 MB)."""
    import tracemalloc

    path = write_export(tmp_path / name_of("movie", TODAY), 200_000)
    export_host.files[path.name] = path
    expected, count = 0, 0
    tracemalloc.start()
    try:
        for row in exports(export_host).ids("movie", TODAY):
            assert row.id == expected
            expected += 1
            count += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 200_000
    inflated = 200_000 * 90
    assert peak < inflated / 4, f"peak {peak} bytes for a {inflated}-byte file"


def test_save_to_disk_resumes_a_broken_download(export_host: ExportHost, tmp_path: Path) -> None:
    path = write_export(tmp_path / name_of("movie", TODAY), 30_000)
    export_host.files[path.name] = path
    export_host.loopback.cuts.append(100_000)
    folder = tmp_path / "saved"
    with pytest.raises(TMDBError):  # no retries: the download stops at the break, the .part stays
        exports(export_host, retry=None).download("movie", TODAY, folder=folder)
    part = folder / (path.name + ".part")
    assert part.stat().st_size == 100_000
    saved = exports(export_host).download("movie", TODAY, folder=folder)
    assert saved.read_bytes() == path.read_bytes() and not part.exists()
    assert export_host.loopback.seen[-1].headers["range"] == "bytes=100000-"
    assert sum(1 for _ in read_file(saved, "movie")) == 30_000
    requests = len(export_host.loopback.seen)
    assert [r.id for r in exports(export_host).ids("movie", TODAY, save_to=folder)][-1] == 29_999
    assert len(export_host.loopback.seen) == requests  # already complete: not fetched again


def test_read_file_checks_a_local_file(tmp_path: Path) -> None:
    path = tmp_path / "keyword_ids_12_06_2026.json.gz"
    path.write_bytes(zlib.compress(b"x"))
    with pytest.raises(ExportError, match="keyword_ids_12_06_2026.json.gz, line 1"):
        list(read_file(path, "keyword"))


def test_bad_arguments_are_refused(export_host: ExportHost) -> None:
    with pytest.raises(ArgumentError, match="kind must be one of movie, tv_series"):
        exports(export_host).ids("movies", TODAY)  # type: ignore[call-overload]
    with pytest.raises(ArgumentError, match="day must be a date"):
        exports(export_host).ids("movie", "12/06/2026")


async def test_async_streams_the_same_and_falls_back(export_host: ExportHost, tmp_path: Path) -> None:
    export_host.files[name_of("person", YESTERDAY)] = export_bytes(LINES["person"] * 3)
    clock = Clock(wall=lambda: MORNING)
    async with AsyncTMDB(api_key="k", clock=clock) as tmdb:
        files = tmdb.exports.at(export_host.loopback.url + "/p/exports")
        rows = [row async for row in files.ids("person")]
        assert [r.name for r in rows] == ["Aki Kaurismäki"] * 3
        export_host.loopback.cuts.append(20)
        saved = await files.download("person", folder=tmp_path)
        assert saved.name == name_of("person", YESTERDAY)
        assert [r.id async for r in files.ids("person", YESTERDAY, save_to=tmp_path)] == [16767] * 3


def test_a_user_transport_is_used_for_downloads(export_host: ExportHost) -> None:
    import httpx

    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, content=export_bytes(LINES["keyword"]))

    tmdb = TMDB(api_key="k", transport=httpx.MockTransport(handler), retry=RetryPolicy())
    assert [r.name for r in tmdb.exports.ids("keyword", TODAY)] == ["prison"]
    assert calls == ["https://files.tmdb.org/p/exports/keyword_ids_12_06_2026.json.gz"]


def test_downloads_go_through_the_clients_proxy(export_host: ExportHost) -> None:
    """proxy= is used for the files too: the stand-in, acting as the HTTP proxy, gets the absolute URL."""
    export_host.files[name_of("keyword", TODAY)] = export_bytes(LINES["keyword"])
    tmdb = TMDB(api_key="k", proxy=export_host.loopback.url)
    files = tmdb.exports.at("http://files.example.invalid/p/exports")
    assert [r.name for r in files.ids("keyword", TODAY)] == ["prison"]
    (seen,) = export_host.loopback.seen
    assert seen.headers["host"] == "files.example.invalid" and "api_key" not in seen.query


def test_the_catalogue_names_load_lazily() -> None:
    from tmdb_sdk import catalogue
    from tmdb_sdk.catalogue.bulk import Fetched

    assert catalogue.Fetched is Fetched and catalogue.MovieIdRow is MovieIdRow
    with pytest.raises(AttributeError, match="no attribute 'Fetchd'"):
        catalogue.Fetchd  # noqa: B018
