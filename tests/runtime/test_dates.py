"""TMDB's date formats."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tmdb_sdk import parse_date, parse_datetime


def test_tmdb_utc_timestamps() -> None:
    assert parse_datetime("2024-12-26 14:43:54 UTC") == datetime(2024, 12, 26, 14, 43, 54, tzinfo=UTC)


def test_iso_8601_with_milliseconds() -> None:
    parsed = parse_datetime("2017-02-20T05:47:28.872Z")
    assert parsed == datetime(2017, 2, 20, 5, 47, 28, 872000, tzinfo=UTC)
    offset = parse_datetime("2017-02-20T07:47:28+02:00")
    assert offset is not None and offset.utcoffset() == timedelta(hours=2)


def test_a_timestamp_without_zone_is_utc() -> None:
    assert parse_datetime("2024-01-02 03:04:05") == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_dates_and_unknown_values() -> None:
    assert parse_date("1999-10-15") == date(1999, 10, 15)
    assert parse_date("") is None and parse_date(None) is None
    assert parse_datetime("") is None and parse_datetime(None) is None


def test_garbage_is_a_value_error_naming_the_value() -> None:
    with pytest.raises(ValueError, match="'15/10/1999'"):
        parse_date("15/10/1999")
    with pytest.raises(ValueError, match="'yesterday'"):
        parse_datetime("yesterday")
