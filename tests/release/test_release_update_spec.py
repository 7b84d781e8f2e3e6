"""`make update-spec` on a docs copy with one response field removed: exactly that, and a major bump.

The overlays replace the docs' response schema of the operation with a hand-written
component, so the client layer of the surface does not move: the change is seen in the
docs layer and reported as `docs: ...`.

Runs in a copy of the checkout (its lock, VERSION, changelog and surface get rewritten)
against a copy of the docs mirror; the real ones are never touched.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.api_diff import bumped
from scripts.api_surface import format_surface, load_surface
from scripts.generate import read_version
from tests.release.support import REPO, run_make

DOCS = REPO.parent / "shared" / "tmdb-docs"
PAGE = "api-reference/network/details.md"
OPERATION = "GET /3/network/{network_id}"
FIELD = "headquarters"


def copy_checkout(target: Path) -> None:
    """Tracked and untracked-but-not-ignored files: what a fresh clone plus local edits holds."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / "overlays").mkdir(exist_ok=True)  # may hold no tracked file yet


def drop_response_field(page: Path, field: str) -> None:
    """Remove `field` from the page's response schema (its `type:`/`example:` block), not from examples."""
    text = page.read_text(encoding="utf-8")
    pattern = re.compile(
        rf"^(?P<indent> +){field}:\n(?P=indent)  type: .*\n(?:(?P=indent)  example: .*\n)?", re.MULTILINE
    )
    new, count = pattern.subn("", text)
    assert count == 1, f"{page}: expected one schema property {field!r}, found {count}"
    page.write_text(new, encoding="utf-8")


@pytest.mark.skipif(
    not (DOCS / "llms.txt").exists(), reason="the docs mirror ../shared/tmdb-docs is not beside the checkout"
)
def test_removed_response_field_is_reported_alone_and_bumps_major(tmp_path: Path) -> None:
    docs, checkout = tmp_path / "docs", tmp_path / "checkout"
    shutil.copytree(DOCS, docs)
    drop_response_field(docs / PAGE, FIELD)
    copy_checkout(checkout)
    # Baseline = this checkout's current build (final spec and merged.json beside it),
    # so that only the docs edit differs.
    baseline = load_surface(REPO / "build" / "spec" / "openapi.json")
    assert FIELD in baseline["docs"][OPERATION]["responses"]["200"]
    (checkout / "openapi" / "api-surface.json").write_text(format_surface(baseline), encoding="utf-8")
    version = read_version(checkout / "openapi" / "VERSION")

    result = run_make("update-spec", f"DOCS_SOURCE={docs}", cwd=checkout)

    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    changed_pins = [line for line in out.splitlines() if re.match(r"(added|removed|changed) ", line)]
    assert changed_pins == [f"changed  {OPERATION}  (/{PAGE})"]
    report = out[out.index("api-diff:") :].splitlines()
    assert report[0] == "api-diff: 1 breaking, 0 additions -> major bump"
    assert report[1] == f"  breaking  {OPERATION}: docs: response 200 field `{FIELD}` removed"
    assert not report[2].startswith("  "), "the report names more than the one removed field"
    new_version = bumped(version, "major")
    assert read_version(checkout / "openapi" / "VERSION") == new_version
    changelog = (checkout / "openapi" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {new_version} (major)" in changelog
    assert f"- `{OPERATION}`: docs: response 200 field `{FIELD}` removed" in changelog
    surface = load_surface(checkout / "openapi" / "api-surface.json")
    assert FIELD not in surface["docs"][OPERATION]["responses"]["200"]
    assert surface["operations"][OPERATION] == baseline["operations"][OPERATION], "the client layer moved"
    # The overlays replace that response whole: the final spec is byte for byte the baseline's.
    assert surface["spec_sha256"] == baseline["spec_sha256"]

    again = run_make("update-spec", f"DOCS_SOURCE={docs}", cwd=checkout)
    assert again.returncode == 0, again.stderr
    assert f"version: {new_version} unchanged" in again.stdout
    assert read_version(checkout / "openapi" / "VERSION") == new_version
