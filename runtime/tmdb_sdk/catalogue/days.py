"""The day a catalogue call names (a change list's window, an export's file), read once for all of them."""
from __future__ import annotations

import datetime as dt

from ..errors import ArgumentError


def as_day(value: object, what: str) -> dt.date:
    """A date, a datetime (its UTC day when it carries a zone) or 'YYYY-MM-DD'; ArgumentError naming `what`."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ArgumentError(f"{what} must be a date or 'YYYY-MM-DD', got {type(value).__name__} {value!r}")
