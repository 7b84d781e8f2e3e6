"""Fixtures for the pipeline tests: a tiny docs folder, its lock, and helpers to edit them."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.sources import DocsSource, Pin, format_lock
from scripts.update_spec import discover
from tests.pipeline.project import DOCS, clone, copy_repository, make, venv
from tests.pipeline.tiny import tiny_pages, write_docs

TINY_OVERLAY = """overlay: 1.0.0
info:
  title: Tiny overlay of the pipeline tests
  version: 1.0.0
actions:
  - target: $.paths['/3/genre/movie/list'].get
    description: Give the genres list a description, as the real overlays do.
    update:
      description: The official movie genres.
"""


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


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository, built once from the tiny docs by a full `make`."""
    if not (venv() / ".installed").exists():
        pytest.skip(f"{venv()} is not the make venv (run the tests with .venv/bin/python)")
    root = tmp_path_factory.mktemp("project") / "repo"
    copy_repository(root)
    write_docs(root / DOCS, tiny_pages())
    (root / "overlays").mkdir()
    (root / "overlays" / "10-tiny.yaml").write_text(TINY_OVERLAY, encoding="utf-8")
    pinned = make(root, "update-spec")
    assert pinned.returncode == 0, pinned.output
    built = make(root)
    assert built.returncode == 0, built.output
    return root


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    """A private, up-to-date copy of the built tiny project, free to break."""
    return clone(built_project, tmp_path / "repo")
