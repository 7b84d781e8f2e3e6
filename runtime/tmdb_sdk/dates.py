"""TMDB's date formats, parsed. Generated models keep them as strings; these turn them into values.

- "2024-12-26 14:43:54 UTC": request token and guest session `expires_at`, some v4 list fields;
- "YYYY-MM-DD": release and air dates, often "" when unknown;
- ISO 8601 with milliseconds ("2017-02-20T05:47:28.872Z"): review `created_at`/`updated_at`.
Empty strings and None mean "unknown" and give None.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tmdb_generated.types import Unset


def parse_date(value: str | Unset | None) -> date | None:
    """A "YYYY-MM-DD" date; None for "", None or an absent field (Unset); ValueError naming the value otherwise."""
    if not value:
        return None
    if not isinstance(value, str):
        raise TypeError(f"not a TMDB date (YYYY-MM-DD): {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a TMDB date (YYYY-MM-DD): {value!r}") from None


def parse_datetime(value: str | Unset | None) -> datetime | None:
    """A timezone-aware datetime from TMDB's "... UTC" form or ISO 8601; None for "", None or Unset.

    A value without a zone is taken as UTC, which is what TMDB's timestamps are.
    """
    if not value:
        return None
    if not isinstance(value, str):
        raise TypeError(f"not a TMDB timestamp: {value!r}")
    from dateutil import parser as _parser  # 25 ms at import; needed only here

    try:
        parsed = _parser.isoparse(value)
    except ValueError:
        try:
            parsed = _parser.parse(value)  # the "2024-12-26 14:43:54 UTC" form
        except (ValueError, OverflowError):
            raise ValueError(f"not a TMDB timestamp: {value!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
