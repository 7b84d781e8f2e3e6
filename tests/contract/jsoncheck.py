"""Exact JSON comparison: same keys, same values, same JSON types (1, 1.0 and true all differ)."""

from __future__ import annotations

import json
from typing import Any


def json_differences(expected: Any, actual: Any, where: str = "$", limit: int = 10) -> list[str]:
    """Every place (a JSONPath-like location) where `actual` differs from `expected`, up to `limit`."""
    found: list[str] = []
    _walk(expected, actual, where, found, limit)
    return found


def _walk(expected: Any, actual: Any, where: str, found: list[str], limit: int) -> None:
    if len(found) >= limit:
        return
    if type(expected) is not type(actual):
        found.append(f"{where}: expected {_show(expected)} ({_kind(expected)}), got {_show(actual)} ({_kind(actual)})")
    elif isinstance(expected, dict):
        for key in expected.keys() - actual.keys():
            found.append(f"{where}.{key}: missing (expected {_show(expected[key])})")
        for key in actual.keys() - expected.keys():
            found.append(f"{where}.{key}: unexpected key (got {_show(actual[key])})")
        for key in expected.keys() & actual.keys():
            _walk(expected[key], actual[key], f"{where}.{key}", found, limit)
    elif isinstance(expected, list):
        if len(expected) != len(actual):
            found.append(f"{where}: expected {len(expected)} items, got {len(actual)}")
        for index, (left, right) in enumerate(zip(expected, actual)):
            _walk(left, right, f"{where}[{index}]", found, limit)
    elif expected != actual:
        found.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")


def _kind(value: Any) -> str:
    return type(value).__name__


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def assert_same_json(expected: Any, actual: Any, what: str) -> None:
    differences = json_differences(expected, actual)
    assert not differences, f"{what} differs from the recorded JSON:\n  " + "\n  ".join(differences)
