"""Counts of the tolerance cases run, for the summary line (one module, imported by the tests and conftest)."""

from __future__ import annotations

from collections import Counter

GENERATED: Counter[str] = Counter()  # case name -> bodies generated
PASSED: Counter[str] = Counter()  # case name -> bodies that parsed and round-tripped on every path
OPERATIONS: set[str] = set()
