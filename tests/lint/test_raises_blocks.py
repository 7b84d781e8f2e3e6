"""No assertion hides after a raising call inside `with pytest.raises` (tests/lint/raises_blocks.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.lint.raises_blocks import dead_in_files, dead_statements

ROOT = Path(__file__).resolve().parents[2]


def lines(source: str) -> list[int]:
    return [dead.line for dead in dead_statements(textwrap.dedent(source))]


def test_a_statement_after_a_call_in_a_raises_block_is_found() -> None:
    assert lines(
        """
        import pytest

        def test_x(client):
            with pytest.raises(ValueError):
                client.call()
                assert client.calls == 1
        """
    ) == [7]


def test_the_combined_form_and_nested_blocks_are_checked_too() -> None:
    assert lines(
        """
        from pytest import raises

        async def test_x(make):
            with (make() as client, raises(KeyError)):
                await client.call()
                with raises(KeyError):
                    pass
            async with make() as other:
                with raises(KeyError):
                    if other:
                        other.first()
                        other.second()
        """
    ) == [7, 13]


def test_one_call_last_in_the_block_and_checks_after_it_pass() -> None:
    assert (
        lines(
            """
        import pytest

        def test_x(client):
            with pytest.raises(ValueError) as caught:
                body = {"name": "x"}
                client.call(body)
            assert caught.value.args == ("x",)
            with open("f") as handle:  # not a raises block
                handle.read()
                assert handle
        """
        )
        == []
    )


def test_no_test_file_has_a_statement_after_a_raising_call() -> None:
    files = sorted((ROOT / "tests").rglob("*.py"))
    assert len(files) > 50  # the whole suite was read
    assert [str(dead) for dead in dead_in_files(files, ROOT)] == []
