"""Every operation's sync and async example on the reference site runs against the shipped FakeTMDB.

The examples come from the function the resource pages are written with (scripts/docs_site.py,
operation_examples), over the real operation index and models; one FakeTMDB serves them all, in process.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from tmdb_sdk.testing import FakeTMDB

from scripts import docs_site

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site_examples() -> dict[str, tuple[str, str]]:
    index, spec, _sources, modules = docs_site.load(
        ROOT / "build" / "spec" / "openapi.json", ROOT / "generator" / "config.yaml", ROOT / "openapi" / "pages.lock",
        ROOT / "README.md", ROOT / "generated" / "tmdb_generated" / "models",
    )  # fmt: skip
    _pages, fields = docs_site.model_pages(modules)
    return docs_site.operation_examples(index, spec, fields)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTMDB]:
    with FakeTMDB() as server:
        yield server


def run(code: str, name: str, environ: Mapping[str, str]) -> str:
    """Runs one example as a script would (its own globals), with the fake's credentials and base URL."""
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
        for key, value in environ.items():
            patch.setenv(key, value)
        exec(compile(code, f"<example {name}>", "exec"), {"__name__": "__main__"})  # noqa: S102 - the site's own examples
    return out.getvalue()


@pytest.mark.parametrize("flavour", [0, 1], ids=["sync", "async"])
def test_every_example_runs_against_fake_tmdb(site_examples: dict[str, Any], fake: FakeTMDB, flavour: int) -> None:
    assert len(site_examples) == 173
    fake.reset()
    failures = []
    for operation_id, pair in sorted(site_examples.items()):
        code = pair[flavour]
        try:
            printed = run(code, operation_id, fake.environ)
        except Exception as exc:  # noqa: BLE001 - collected: one run names every failing example
            failures.append(f"{operation_id}: {type(exc).__name__}: {exc}")
            continue
        if printed.count("\n") != 1:
            failures.append(f"{operation_id}: printed {printed!r}, not one line")
        if not fake.calls(operation_id):
            failures.append(f"{operation_id}: the example never called it")
    assert not failures, "\n".join(failures)
    fake.check()  # no request broke the spec, nothing queued is left


def test_examples_are_typed_calls_of_the_documented_operation(site_examples: dict[str, Any]) -> None:
    sync, async_ = site_examples["movies_details"]
    assert "    result = tmdb.movies.details(550)\n    print(result.title)\n" in sync
    assert "with TMDB() as tmdb:" in sync
    assert "async with AsyncTMDB() as tmdb:" in async_ and "await tmdb.movies.details(" in async_
    assert "asyncio.run(main())" in async_
    sync, _ = site_examples["v4_lists_create"]
    assert "tmdb.v4.lists.create(body={" in sync
    sync, _ = site_examples["search_movie"]
    assert "page = tmdb.search.movie(query=" in sync and "print(page.page, len(page.results or []))" in sync


def test_every_example_passes_mypy_strict(site_examples: dict[str, Any], tmp_path: Path) -> None:
    """What the site teaches type-checks: each example as its own module, one mypy run for all."""
    for operation_id, (sync, async_) in site_examples.items():
        (tmp_path / f"{operation_id}_sync.py").write_text(sync, encoding="utf-8")
        (tmp_path / f"{operation_id}_async.py").write_text(async_, encoding="utf-8")
    environ = {**os.environ, "MYPYPATH": f"{ROOT / 'runtime'}{os.pathsep}{ROOT / 'generated'}"}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / ".mypy"), "."],
        cwd=tmp_path, env=environ, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
