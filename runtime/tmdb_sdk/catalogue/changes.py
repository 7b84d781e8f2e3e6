"""`tmdb.changes.ids(kind, since, until=None)`: every id changed in a date range, each once.

TMDB's change lists (/3/{movie,tv,person}/changes) take windows of at most 14 days and page their
results; an id may show up on several pages and in several windows. `ids` walks the range in windows
(adjacent windows share their boundary day, so no day is missed whether TMDB reads end_date as
inclusive or not), reads every page of each through the generated operation (so retries, the cache,
the rate limit and the hooks apply), and yields each id once. A window with more than TMDB's 500 pages
is split in two and read again, down to a single day.

The generated `Changes` / `AsyncChanges` resources derive from the mixins below (scripts/facade.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from .. import _defaults
from .._io import iterate_sync
from ..errors import ArgumentError, TMDBError
from ..operations import page_fields
from .days import as_day

if TYPE_CHECKING:
    from .._core import Core
    from .._index import OperationInfo

ChangeKind = Literal["movie", "tv", "person"]
KINDS: tuple[str, ...] = get_args(ChangeKind)
# kind -> the operationId of its change list (tmdb.changes.movie_list, .tv_list, .people_list)
OPERATIONS = {"movie": "changes_movie_list", "tv": "changes_tv_list", "person": "changes_people_list"}
START = dt.date(*_defaults.CHANGES_START)


@dataclass(frozen=True, slots=True)
class ChangedId:
    """An id changed in the range, and its `adult` flag (None when TMDB did not say)."""

    id: int
    adult: bool | None


def plan(kind: str, since: object, until: object, today: dt.date) -> tuple[str, dt.date, dt.date]:
    """(operationId, first day, last day) of a call; ArgumentError naming what cannot work."""
    if kind not in OPERATIONS:
        raise ArgumentError(f"changes.ids: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    first = as_day(since, "changes.ids: since")
    last = today if until is None else as_day(until, "changes.ids: until")
    if first < START:
        raise ArgumentError(f"changes.ids: since={first} is before TMDB's change log starts ({START}); "
                            f"TMDB keeps no changes older than that")  # fmt: skip
    if first > today:
        raise ArgumentError(f"changes.ids: since={first} is in the future (today is {today} UTC)")
    if last > today:
        raise ArgumentError(f"changes.ids: until={last} is in the future (today is {today} UTC)")
    if last < first:
        raise ArgumentError(f"changes.ids: until={last} is before since={first}")
    return OPERATIONS[kind], first, last


def windows(first: dt.date, last: dt.date, days: int = _defaults.CHANGES_MAX_DAYS) -> list[tuple[dt.date, dt.date]]:
    """[first, last] cut into windows of at most `days` days; each starts on the day the previous ended."""
    found, start = [], first
    while True:
        end = min(start + dt.timedelta(days=days), last)
        found.append((start, end))
        if end >= last:
            return found
        start = end


class TooManyChanges(TMDBError):
    """Internal: a window has more pages than TMDB serves; it is split."""


async def _window(core: Core, info: OperationInfo, start: dt.date, end: dt.date) -> AsyncGenerator[Any, None]:
    """The items of every page of one window; TooManyChanges before any item when it has over 500 pages."""
    page, dates = 1, {"start_date": start.isoformat(), "end_date": end.isoformat()}
    while True:
        result = await core.call(info, (), {**dates, "page": page})
        _current, total, items = page_fields(result)
        if page == 1 and total is not None and total > _defaults.MAX_PAGE:
            raise TooManyChanges(start, end, total)
        for item in items:
            yield item
        if not items or total is None or page >= total:
            return
        page += 1


def _item(item: Any) -> ChangedId | None:
    found = item.get("id") if isinstance(item, dict) else getattr(item, "id", None)
    adult = item.get("adult") if isinstance(item, dict) else getattr(item, "adult", None)
    if not isinstance(found, int) or isinstance(found, bool):
        return None  # an item without an id names nothing to fetch
    return ChangedId(found, adult if isinstance(adult, bool) else None)


async def changed_ids(core: Core, kind: str, since: object, until: object) -> AsyncGenerator[ChangedId, None]:
    """The one implementation of changes.ids: windows, pages, splitting, each id once."""
    from .._index import operation

    today = dt.datetime.fromtimestamp(core.settings.clock.wall(), dt.UTC).date()
    operation_id, first, last = plan(kind, since, until, today)
    info = operation(operation_id)
    seen: set[int] = set()
    pending = windows(first, last)
    pending.reverse()  # a stack, oldest window on top
    while pending:
        start, end = pending.pop()
        window = _window(core, info, start, end)
        try:
            async for item in window:
                changed = _item(item)
                if changed is not None and changed.id not in seen:
                    seen.add(changed.id)
                    yield changed
        except TooManyChanges:
            if start == end:
                raise ArgumentError(
                    f"changes.ids: {start} alone has more than {_defaults.MAX_PAGE} pages of {kind} changes, "
                    f"more than TMDB serves; read that day's ids from the daily export instead"
                ) from None
            middle = start + (end - start) // 2
            pending += [(middle, end), (start, middle)] if middle > start else [(end, end), (start, start)]
        finally:
            await window.aclose()


class ChangeIds:
    """tmdb.changes.ids (TMDB): mixed into the generated Changes resource."""

    _core: Core

    def ids(self, kind: ChangeKind, since: dt.date | str, until: dt.date | str | None = None) -> Iterator[ChangedId]:
        """Every `kind` ("movie", "tv", "person") id changed from `since` to `until` (default: today, UTC),
        each once, with its adult flag; all windows and pages are read lazily.

        ArgumentError when `since` is before TMDB's change log (2012-10-05) or in the future.
        """
        today = dt.datetime.fromtimestamp(self._core.settings.clock.wall(), dt.UTC).date()
        plan(kind, since, until, today)  # fail here, not at the first next()
        return iterate_sync(changed_ids(self._core, kind, since, until))


class AsyncChangeIds:
    """tmdb.changes.ids (AsyncTMDB): mixed into the generated AsyncChanges resource."""

    _core: Core

    def ids(
        self, kind: ChangeKind, since: dt.date | str, until: dt.date | str | None = None
    ) -> AsyncIterator[ChangedId]:
        """Every `kind` id changed from `since` to `until`, each once (see ChangeIds.ids); `async for`."""
        today = dt.datetime.fromtimestamp(self._core.settings.clock.wall(), dt.UTC).date()
        plan(kind, since, until, today)
        return changed_ids(self._core, kind, since, until)
