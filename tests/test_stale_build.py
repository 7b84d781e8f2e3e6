"""The stale-build check (scripts/build_inputs.py, tests/conftest.py): one message, before any test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scripts.build_inputs import GENERATED_INFO, INPUTS, files_of, input_digests, stale_reasons
from scripts.common import sha256_bytes
from scripts.generate import build_info

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def built(root: Path) -> Path:
    """A tiny checkout whose build outputs are exactly its inputs' (as `make` leaves them)."""
    write(root / "overlays" / "010-a.yaml", "overlay: 1.0.0\n")
    write(root / "overlays" / "README.md", "not an overlay\n")
    write(root / "generator" / "config.yaml", "literal_enums: true\n")
    write(root / "generator" / "edits" / "001-cast.yaml", "template: model.py.jinja\n")
    write(root / "openapi" / "pages.lock", "GET /3/movie/{id} /movie.md abc\n")
    write(root / "openapi" / "VERSION", "1.2.3\n")
    write(root / "build" / "spec" / "openapi.json", '{"openapi": "3.0.3"}')
    package(root)
    return root


def package(root: Path, version: str = "1.2.3") -> None:
    """Generate (the build record) and package (a wheel holding the same record), as make does."""
    spec_sha = sha256_bytes((root / "build" / "spec" / "openapi.json").read_bytes())
    record = build_info(version, spec_sha, "0.29.1", input_digests(root))
    write(root / GENERATED_INFO, record)
    (root / "dist").mkdir(exist_ok=True)
    with zipfile.ZipFile(root / "dist" / f"tmdb_sdk_internal-{version}-py3-none-any.whl", "w") as wheel:
        wheel.writestr(f"tmdb_sdk_internal-{version}.dist-info/extra_metadata/build-info.json", record)


def test_a_fresh_build_passes(tmp_path: Path) -> None:
    assert stale_reasons(built(tmp_path)) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda r: write(r / "overlays" / "010-a.yaml", "overlay: 1.0.1\n"), "overlays changed"),
        (lambda r: write(r / "overlays" / "020-b.yml", "overlay: 1.0.0\n"), "overlays changed"),
        (lambda r: (r / "overlays" / "010-a.yaml").rename(r / "overlays" / "011-a.yaml"), "overlays changed"),
        (lambda r: write(r / "generator" / "edits" / "001-cast.yaml", "template: x\n"), "generator changed"),
        (lambda r: write(r / "generator" / "templates" / "model.py.jinja", "{{ x }}\n"), "generator changed"),
        (lambda r: write(r / "openapi" / "pages.lock", "\n"), "openapi/pages.lock changed"),
        (
            lambda r: write(r / "openapi" / "VERSION", "1.3.0\n"),
            "the package is version 1.2.3, openapi/VERSION says 1.3.0",
        ),
        (lambda r: write(r / "build" / "spec" / "openapi.json", "{}"), "the package was generated from spec"),
        (lambda r: (r / GENERATED_INFO).unlink(), "build-info.json is missing"),
        (lambda r: shutil.rmtree(r / "dist"), "dist/ holds no single wheel"),
        (lambda r: write(r / GENERATED_INFO, build_info("1.2.3", "0" * 64, "0.29.1")), "records no `inputs`"),
    ],
    ids=[
        "overlay edited",
        "overlay added",
        "overlay renamed",
        "template edit edited",
        "template added",
        "pins changed",
        "version bumped",
        "spec rebuilt, package not",
        "nothing generated",
        "no dist",
        "build info without fingerprints",
    ],
)
def test_each_stale_input_is_named(tmp_path: Path, change: object, reason: str) -> None:
    root = built(tmp_path)
    change(root)  # type: ignore[operator]
    reasons = stale_reasons(root)
    assert any(reason in r for r in reasons), reasons


def test_a_wheel_of_another_build_is_stale(tmp_path: Path) -> None:
    root = built(tmp_path)
    for old in (root / "dist").glob("*.whl"):
        old.unlink()
    write(root / "build" / "spec" / "openapi.json", '{"openapi": "3.0.4"}')
    package(root)  # the generated package is fresh again...
    wheel = next((root / "dist").glob("*.whl"))
    with zipfile.ZipFile(wheel, "w") as archive:  # ...but the wheel is not
        archive.writestr("x.dist-info/extra_metadata/build-info.json", json.dumps({"version": "1.2.3"}))
    assert stale_reasons(root) == ["the wheel in dist/ is not the generated package (its build-info.json differs)"]


def test_files_only_touched_or_outside_the_inputs_change_nothing(tmp_path: Path) -> None:
    root = built(tmp_path)
    os.utime(root / "overlays" / "010-a.yaml", (2_000_000_000, 2_000_000_000))
    write(root / "overlays" / "README.md", "still not an overlay\n")
    write(root / "generator" / "__pycache__" / "x.jinja", "cache\n")
    assert stale_reasons(root) == []


def test_a_stale_checkout_stops_the_run_before_any_test_with_one_message(tmp_path: Path) -> None:
    root = built(tmp_path)
    shutil.copytree(ROOT / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    for name in ("conftest.py", "summary_lines.py"):  # the root conftest and the hooks it loads
        write(root / "tests" / name, (ROOT / "tests" / name).read_text(encoding="utf-8"))
    write(root / "tests" / "test_one.py", "def test_one():\n    assert True\n")
    env = {k: v for k, v in os.environ.items() if k != "TMDB_SKIP_BUILD_CHECK"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests"]
    fresh = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    write(root / "overlays" / "010-a.yaml", "overlay: 1.0.1\n")
    stale = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False)
    output = stale.stdout + stale.stderr
    assert stale.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert "overlays changed since the package was generated" in output
    assert "run `make` first" in output
    assert "passed" not in output and "test_one" not in output


def test_make_regenerates_when_any_fingerprinted_file_changes() -> None:
    """Else the check could ask for a `make` that does nothing: every input is a prerequisite."""
    inputs = [path for relative, suffixes in INPUTS.values() for path in files_of(ROOT / relative, suffixes)]
    assert len(inputs) > 10
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}}
    for path in inputs:
        relative = str(path.relative_to(ROOT))
        dry = subprocess.run(
            ["make", "--no-print-directory", "-n", "-W", relative, str(GENERATED_INFO)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert "-m scripts.generate" in dry.stdout, f"{relative} is not a prerequisite of the generate step"
