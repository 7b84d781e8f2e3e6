"""A consumer's script type-checks as the facade promises: `mypy --strict` on tests/typing/consumer.py.

Each `# R: type` comment is a type mypy must reveal on its line, each `# E: text` an error it must
report there; any other error fails the test. Covers sync and async calls, a paged operation's
pages() and items(), with_appended's typed parts, a v4 operation, and misspelt names.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = Path(__file__).with_name("consumer.py")
EXPECT = re.compile(r"#\s*(?P<kind>[RE]):\s*(?P<text>.+)$")
REPORT = re.compile(r"^[^:]+:(?P<line>\d+): (?P<level>error|note): (?P<message>.*)$")


def expectations() -> dict[int, tuple[str, str]]:
    found = {}
    for number, line in enumerate(CONSUMER.read_text(encoding="utf-8").splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            found[number] = (match["kind"], match["text"].strip())
    return found


def mypy_report() -> list[tuple[int, str, str]]:
    env = {**os.environ, "MYPYPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT / "runtime")])}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context",
         "--no-incremental", str(CONSUMER)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stdout + result.stderr
    rows = []
    for line in result.stdout.splitlines():
        match = REPORT.match(line)
        assert match, f"unexpected mypy output: {line}"
        rows.append((int(match["line"]), match["level"], match["message"]))
    return rows


def test_consumer_script_gets_the_promised_types_and_errors() -> None:
    expected = expectations()
    assert sum(kind == "R" for kind, _ in expected.values()) >= 10 and any(k == "E" for k, _ in expected.values())
    seen: set[int] = set()
    for line, level, message in mypy_report():
        if level == "note" and not message.startswith("Revealed type"):
            continue  # where a function is defined, "did you mean" hints
        assert line in expected, f"consumer.py:{line}: unexpected {level}: {message}"
        kind, text = expected[line]
        if kind == "R":
            assert message == f'Revealed type is "{text}"', f"consumer.py:{line}: {message}"
        else:
            assert level == "error" and text in message, f"consumer.py:{line}: {message}"
        seen.add(line)
    missing = {line: expected[line] for line in expected if line not in seen}
    assert not missing, f"mypy did not report: {missing}"
