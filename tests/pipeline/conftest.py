"""Fixtures for the pipeline tests: a tiny docs folder, its lock, and helpers to edit them."""
from __future__ import annotations

from pathlib import Path

import pytest

from scripts.common import sha256_bytes
from scripts.sources import DocsSource, Pin, format_lock
from scripts.update_spec import discover
from tests.pipeline.tiny import tiny_pages, write_docs


@pytest.fixture
def tiny_docs(tmp_path: Path) -> Path:
    return write_docs(tmp_path / "docs", tiny_pages())


@pytest.fixture
def tiny_pins(tiny_docs: Path) -> list[Pin]:
    return sorted(discover(DocsSource(str(tiny_docs))))


@pytest.fixture
def tiny_lock(tmp_path: Path, tiny_pins: list[Pin]) -> Path:
    lock = tmp_path / "pages.lock"
    lock.write_text(format_lock(tiny_pins), encoding="utf-8")
    return lock


def repin(lock: Path, page: str, data: bytes) -> None:
    """Rewrite the pin of `page` in `lock` to the sha256 of `data`, as an update-spec would."""
    lines = []
    for line in lock.read_text(encoding="utf-8").splitlines(keepends=True):
        fields = line.rstrip("\n").split("\t")
        if len(fields) == 4 and fields[2] == page:
            line = "\t".join([*fields[:3], sha256_bytes(data)]) + "\n"
        lines.append(line)
    lock.write_text("".join(lines), encoding="utf-8")
