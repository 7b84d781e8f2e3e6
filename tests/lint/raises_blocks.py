"""An AST check for dead code in `with pytest.raises(...)` blocks.

When a call inside the block raises the expected exception, every statement after it in the block is
skipped: an `assert` there never runs, and passes whatever the code does. The check cannot know which
call raises, so it asks for the shape that leaves no doubt: inside a `pytest.raises` block (and in
any block nested in it), no statement may follow a statement that makes a call or awaits.
Checks of the outcome go after the block, on `caught.value`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path


@dataclass(frozen=True)
class Dead:
    path: str
    line: int  # the first statement that follows a call
    call_line: int  # the statement with the call it follows

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: follows a call (line {self.call_line}) inside `with pytest.raises`"


def is_raises(item: ast.withitem) -> bool:
    """`pytest.raises(...)` or a bare `raises(...)` (from pytest import raises)."""
    call = item.context_expr
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr == "raises" and isinstance(func.value, ast.Name) and func.value.id == "pytest"
    return isinstance(func, ast.Name) and func.id == "raises"


def calls(node: ast.AST) -> bool:
    return any(isinstance(child, (ast.Call, ast.Await)) for child in ast.walk(node))


def blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists nested directly in a compound statement."""
    for name in ("body", "orelse", "finalbody"):
        body = getattr(statement, name, None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            yield body
    for handler in getattr(statement, "handlers", []):
        yield handler.body
    for case in getattr(statement, "cases", []):
        yield case.body


def dead_in(body: list[ast.stmt], path: str) -> Iterator[Dead]:
    for statement, following in pairwise(body):
        if calls(statement):
            yield Dead(path, following.lineno, statement.lineno)
    for statement in body:
        for nested in blocks(statement):
            yield from dead_in(nested, path)


def dead_statements(source: str, path: str = "<source>") -> list[Dead]:
    """Every statement that follows a call inside a `with pytest.raises` block of `source`."""
    found: list[Dead] = []
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(is_raises(item) for item in node.items):
            found += dead_in(node.body, path)
    return sorted(set(found), key=lambda d: (d.path, d.line))


def dead_in_files(paths: list[Path], root: Path) -> list[Dead]:
    found: list[Dead] = []
    for path in paths:
        found += dead_statements(path.read_text(encoding="utf-8"), str(path.relative_to(root)))
    return found
