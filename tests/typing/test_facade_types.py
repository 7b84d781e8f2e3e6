"""A consumer's script type-checks as the facade promises: `mypy --strict` on tests/typing/consumer.py.

Each `# R: type` comment is a type mypy must reveal on its line, each `# E: text` an error it must
report there; any other error fails the test. Covers sync and async calls, a paged operation's
pages() and items(), with_appended's typed parts, a v4 operation, and misspelt names.
"""
from __future__ import annotations

import ast
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


FACADE = ROOT / "generated" / "tmdb_generated" / "_facade"


def call_stubs(module: Path) -> dict[tuple[str, str], tuple[bool, str, str]]:
    """(resource class kind, action) -> (async?, parameters, result) of each operation's typed __call__,
    read from a generated facade module: kind is "sync" or "async" (the module's first or second resource)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    resources = [c for c in classes.values() if any(ast.unparse(b) == "Namespace" for b in c.bases)]
    assert len(resources) == 2, module
    found = {}
    for kind, resource in zip(("sync", "async"), resources, strict=True):
        for prop in (n for n in resource.body if isinstance(n, ast.FunctionDef)):
            assert prop.returns is not None
            operation = classes[ast.unparse(prop.returns)]
            guarded = [n for n in operation.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"]
            call = next(
                n for block in guarded for n in block.body
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "__call__"
            )  # fmt: skip
            assert call.returns is not None
            found[kind, prop.name] = (isinstance(call, ast.AsyncFunctionDef), ast.unparse(call.args), ast.unparse(call.returns))
    return found


def test_raw_calls_have_the_signatures_of_the_plain_calls() -> None:
    """tmdb.with_raw_response.<resource>.<action> takes what tmdb.<resource>.<action> takes (sync and async),
    and returns RawResponse[the plain call's result]."""
    modules = sorted(p.name for p in FACADE.glob("*.py") if p.name != "__init__.py")
    assert modules and modules == sorted(p.name for p in (FACADE / "raw").glob("*.py") if p.name != "__init__.py")
    compared = 0
    for name in modules:
        plain, raw = call_stubs(FACADE / name), call_stubs(FACADE / "raw" / name)
        assert plain.keys() == raw.keys(), name
        for key, (is_async, params, result) in plain.items():
            assert raw[key] == (is_async, params, f"RawResponse[{result}]"), (name, key)
            compared += 1
    assert compared >= 2 * 150
