"""The contract and tolerance summary lines add up every worker's reports (tests/summary_lines.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.summary_lines import HTTP_CASE, TOLERANCE_CASE, Tallies

ROOT = Path(__file__).resolve().parents[2]


def report(when: str, outcome: str, *properties: tuple[str, object]) -> pytest.TestReport:
    return pytest.TestReport("t.py::t", ("t.py", 1, "t"), {}, outcome, None, when, user_properties=list(properties))


def test_the_lines_count_cases_operations_and_failures() -> None:
    tallies = Tallies()
    for key, operation, outcome in [("a", "op1", "passed"), ("b", "op1", "failed"), ("c", "op2", "passed")]:
        tallies.add(report("setup", "passed", (HTTP_CASE, (key, operation))))
        tallies.add(report("call", outcome, (HTTP_CASE, (key, operation))))
    tallies.add(report("setup", "failed", (HTTP_CASE, ("d", "op3"))))  # an error before the call counts too
    tallies.add(report("call", "passed", (TOLERANCE_CASE, ("op1", "nulls", 5, 5))))
    tallies.add(report("call", "failed", (TOLERANCE_CASE, ("op2", "nulls", 4, 3))))
    tallies.add(report("call", "passed", (TOLERANCE_CASE, ("op2", "absent", 2, 2))))
    tallies.add(report("teardown", "passed", (TOLERANCE_CASE, ("op9", "absent", 7, 7))))  # counted once, at the call

    assert tallies.contract_line() == "contract: 3 operations covered, 4 examples checked over HTTP, 2 failed"
    assert tallies.tolerance_line() == (
        "tolerance: 10 of 11 generated cases over 2 operations parsed and round-tripped (generated function, TMDB,"
        " AsyncTMDB): absent 2/2, nulls 8/9"
    )


def test_no_counted_test_no_line() -> None:
    tallies = Tallies()
    tallies.add(report("call", "passed"))
    assert (tallies.contract_line(), tallies.tolerance_line()) == (None, None)


def test_the_lines_under_xdist_count_the_workers_tests(tmp_path: Path) -> None:
    """Two workers run the tests; the main process, which collects none of them, prints the totals."""
    (tmp_path / "conftest.py").write_text(
        "from tests.summary_lines import pytest_runtest_logreport, pytest_unconfigure  # noqa: F401\n"
    )
    (tmp_path / "test_cases.py").write_text(
        "import pytest\n"
        "from tests.summary_lines import HTTP_CASE, TOLERANCE_CASE\n"
        "@pytest.mark.parametrize('n', range(6))\n"
        "def test_case(n, record_property):\n"
        "    record_property(HTTP_CASE, (f'example-{n}', f'op-{n % 4}'))\n"
        "    record_property(TOLERANCE_CASE, (f'op-{n}', 'nulls', 3, 3 if n else 2))\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "-p", "no:randomly", str(tmp_path)],
        cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "contract: 4 operations covered, 6 examples checked over HTTP, 0 failed" in done.stdout
    assert "tolerance: 17 of 18 generated cases over 6 operations" in done.stdout
