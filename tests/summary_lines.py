"""The contract and tolerance summary lines at the end of a run, with or without pytest-xdist.

Under xdist the tests run in worker processes and only their reports reach the main process, which
never loads the conftest files of sub-folders. So each counted test writes what it checked into its
report's user properties (`contract_http_case`, `tolerance_case`), and these hooks, loaded by the
root conftest in every process, add them up from the reports: the same lines whether the run had one
process or many.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest

HTTP_CASE = "contract_http_case"  # (example key, operation id) of an over-HTTP contract test
TOLERANCE_CASE = "tolerance_case"  # (operation id, case name, bodies generated, bodies passed)


@dataclass
class Tallies:
    checked: dict[str, str] = field(default_factory=dict)  # contract example key -> operation id
    failed: set[str] = field(default_factory=set)  # contract example keys that failed
    generated: Counter[str] = field(default_factory=Counter)  # tolerance case -> bodies generated
    passed: Counter[str] = field(default_factory=Counter)  # tolerance case -> bodies that passed
    operations: set[str] = field(default_factory=set)  # operations with a tolerance case run

    def add(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        case = properties.get(HTTP_CASE)
        if isinstance(case, (tuple, list)):
            key, operation_id = case
            if report.when == "call" or report.outcome != "passed":
                self.checked[key] = operation_id
            if report.failed or hasattr(report, "wasxfail"):
                self.failed.add(key)
        counts = properties.get(TOLERANCE_CASE)
        if isinstance(counts, (tuple, list)) and report.when == "call":
            operation_id, name, generated, passed = counts
            self.operations.add(operation_id)
            self.generated[name] += generated
            self.passed[name] += passed

    def contract_line(self) -> str | None:
        if not self.checked:
            return None
        return (
            f"contract: {len(set(self.checked.values()))} operations covered, {len(self.checked)} examples checked"
            f" over HTTP, {len(self.failed)} failed"
        )

    def tolerance_line(self) -> str | None:
        if not self.generated:
            return None
        cases = ", ".join(f"{name} {self.passed[name]}/{self.generated[name]}" for name in sorted(self.generated))
        return (
            f"tolerance: {sum(self.passed.values())} of {sum(self.generated.values())} generated cases over"
            f" {len(self.operations)} operations parsed and round-tripped (generated function, TMDB, AsyncTMDB):"
            f" {cases}"
        )


TALLIES = Tallies()


def contract_gaps() -> list[str]:
    """The lines listing operations without a recorded example and parameters sent with a derived value."""
    from tests.contract.arguments import request_to_replay
    from tests.contract.catalog import final_spec, operations, response_examples

    try:
        spec_operations = operations(final_spec())
    except RuntimeError:
        return []
    missing = [op.label for op in spec_operations if not response_examples(op)]
    lines = [f"contract: operations without a recorded example ({len(missing)}):", *(f"  {m}" for m in missing)]
    derived = [(op.label, request_to_replay(op).derived) for op in spec_operations]
    derived = [(label, names) for label, names in derived if names]
    if derived:
        lines.append("contract: parameters with no recorded value, sent with a value from their schema:")
        lines += [f"  {label}: {', '.join(names)}" for label, names in derived]
    return lines


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    TALLIES.add(report)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if TALLIES.checked and not hasattr(config, "workerinput"):
        for line in contract_gaps():
            terminalreporter.write_line(line)


def pytest_unconfigure(config: pytest.Config) -> None:
    """The summary lines, last: after pytest's own summary, which comes after every summary hook."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or hasattr(config, "workerinput"):
        return
    for line in (TALLIES.contract_line(), TALLIES.tolerance_line()):
        if line is not None:
            reporter.write_line(line)
