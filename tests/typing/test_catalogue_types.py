"""The catalogue features type-check as promised: `mypy --strict` on tests/typing/catalogue_consumer.py
(changes.ids, exports.ids per kind, bulk outcomes narrowed by isinstance, sync and async)."""
from __future__ import annotations

from pathlib import Path

import pytest
import test_facade_types as facade_types


def test_catalogue_consumer_gets_the_promised_types_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facade_types, "CONSUMER", Path(__file__).with_name("catalogue_consumer.py"))  # same checker
    expected = facade_types.expectations()
    assert sum(kind == "R" for kind, _ in expected.values()) >= 15
    seen: set[int] = set()
    for line, level, message in facade_types.mypy_report():
        if level == "note" and not message.startswith("Revealed type"):
            continue
        assert line in expected, f"catalogue_consumer.py:{line}: unexpected {level}: {message}"
        kind, text = expected[line]
        if kind == "R":
            assert message == f'Revealed type is "{text}"', f"catalogue_consumer.py:{line}: {message}"
        else:
            assert level == "error" and text in message, f"catalogue_consumer.py:{line}: {message}"
        seen.add(line)
    assert seen == set(expected), f"expected but not reported: {sorted(set(expected) - seen)}"
