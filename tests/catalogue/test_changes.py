"""tmdb.changes.ids against a loopback change-list server: windows of at most 14 days, every page,
each id once, the adult flag, the bounds of `since`, sync and async."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest
from catalogue_support import ChangesHost, Loopback
from tmdb_sdk import TMDB, AsyncTMDB
from tmdb_sdk.catalogue.changes import ChangedId, windows
from tmdb_sdk.errors import ArgumentError, TMDBError
from tmdb_sdk.transport.retry import Clock

TODAY = dt.date(2026, 12, 6)
NOON = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC).timestamp()


def clock() -> Clock:
    return Clock(wall=lambda: NOON, sleep=lambda _s: None)


def fill(host: ChangesHost) -> set[int]:
    """Movie changes on 40 days: 2 ids a day, one of them repeated the next day."""
    expected = set()
    for offset in range(40):
        day = TODAY - dt.timedelta(days=offset)
        host.changes.setdefault("movie", {})[day] = [(1000 + offset, offset % 2 == 0), (1001 + offset, False)]
        expected |= {1000 + offset, 1001 + offset}
    return expected


def test_windows_cover_the_range_in_at_most_14_days_each() -> None:
    found = windows(dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    assert found[0][0] == dt.date(2026, 1, 1) and found[-1][1] == dt.date(2026, 3, 1)
    assert all((end - start).days <= 14 for start, end in found)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(found))  # no day between windows
    assert windows(TODAY, TODAY) == [(TODAY, TODAY)]


def test_ids_reads_every_window_and_page_and_yields_each_id_once(changes_host: tuple[ChangesHost, Loopback]) -> None:
    host, loopback = changes_host
    expected = fill(host)
    since = TODAY - dt.timedelta(days=39)
    with TMDB(api_key="k", base_url=loopback.url, clock=clock()) as tmdb:
        found = list(tmdb.changes.ids("movie", since))
    ids = [c.id for c in found]
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert all(isinstance(c, ChangedId) for c in found)
    assert ChangedId(1000, True) in found and ChangedId(1001, False) in found
    spans = {(s, e) for s, e, _page in host.windows}
    assert all((dt.date.fromisoformat(e) - dt.date.fromisoformat(s)).days <= 14 for s, e in spans)
    assert len(spans) == 3  # 39 days: 14 + 14 + 11
    assert max(page for *_, page in host.windows) >= 10  # pages were followed (3 per page)


async def test_async_ids_gives_the_same(changes_host: tuple[ChangesHost, Loopback]) -> None:
    host, loopback = changes_host
    expected = fill(host)
    async with AsyncTMDB(api_key="k", base_url=loopback.url, clock=clock()) as tmdb:
        found = [c async for c in tmdb.changes.ids("movie", "2026-10-28", until="2026-12-06")]
    assert {c.id for c in found} == expected and len(found) == len(expected)


def test_tv_and_person_use_their_own_lists(changes_host: tuple[ChangesHost, Loopback]) -> None:
    host, loopback = changes_host
    host.changes["tv"] = {TODAY: [(7, False)]}
    host.changes["person"] = {TODAY: [(9, True)]}
    with TMDB(api_key="k", base_url=loopback.url, clock=clock()) as tmdb:
        assert list(tmdb.changes.ids("tv", TODAY)) == [ChangedId(7, False)]
        assert list(tmdb.changes.ids("person", TODAY)) == [ChangedId(9, True)]
    assert {(s, e) for s, e, _ in host.windows} == {("2026-12-06", "2026-12-06")}


def test_a_window_over_500_pages_is_split(changes_host: tuple[ChangesHost, Loopback]) -> None:
    host, loopback = changes_host
    expected = fill(host)
    host.too_many_over_days = 3
    with TMDB(api_key="k", base_url=loopback.url, clock=clock()) as tmdb:
        found = {c.id for c in tmdb.changes.ids("movie", TODAY - dt.timedelta(days=20))}
    assert found == {i for i in expected if i <= 1021}
    assert any((dt.date.fromisoformat(e) - dt.date.fromisoformat(s)).days <= 3 for s, e, _ in host.windows)


@pytest.mark.parametrize(("since", "until", "text"), [
    (dt.date(2012, 10, 4), None, "before TMDB's change log starts (2012-10-05)"),
    (TODAY + dt.timedelta(days=1), None, "since=2026-12-07 is in the future"),
    (TODAY, TODAY + dt.timedelta(days=1), "until=2026-12-07 is in the future"),
    (TODAY, TODAY - dt.timedelta(days=1), "is before since"),
    ("yesterday", None, "since must be a date or 'YYYY-MM-DD'"),
])  # fmt: skip
def test_since_out_of_range_is_refused_before_any_request(
    changes_host: tuple[ChangesHost, Loopback], since: object, until: object, text: str
) -> None:
    host, loopback = changes_host
    with TMDB(api_key="k", base_url=loopback.url, clock=clock()) as tmdb, pytest.raises(ArgumentError) as caught:
        tmdb.changes.ids("movie", since, until)  # type: ignore[arg-type]
    assert text in str(caught.value) and isinstance(caught.value, (TMDBError, ValueError))
    assert not host.windows


def test_unknown_kind_is_named(changes_host: tuple[ChangesHost, Loopback]) -> None:
    with TMDB(api_key="k", clock=clock()) as tmdb, pytest.raises(ArgumentError, match="movie, tv, person"):
        tmdb.changes.ids("tv_series", TODAY)  # type: ignore[arg-type]


def test_the_change_lists_go_through_the_call_path(changes_host: tuple[ChangesHost, Loopback]) -> None:
    """The generated operation is used: the API key goes with each request, hooks see each call."""
    from tmdb_sdk import Hooks

    host, loopback = changes_host
    host.changes["movie"] = {TODAY: [(1, False)]}
    seen: list[str] = []
    hooks = Hooks(on_response=lambda event: seen.append(event.operation))
    with TMDB(api_key="secret-key", base_url=loopback.url, clock=clock(), hooks=hooks) as tmdb:
        assert [c.id for c in tmdb.changes.ids("movie", TODAY)] == [1]
    assert seen == ["changes_movie_list"]
    assert loopback.seen[0].query["api_key"] == "secret-key"
