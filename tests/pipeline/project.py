"""A throw-away copy of the repository that builds the tiny docs with the real Makefile.

The copy holds the repository's own files (scripts, Makefile, generator config, runtime,
pyproject) with the tiny docs in `tinydocs/`, its own pins and its own overlays, and uses
the test run's virtual environment through `make VENV=...`, so a full `make` takes
seconds and never touches the real build outputs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = "tinydocs"
# Not copied: the tests, and inputs the tiny project brings its own of.
_NOT_COPIED = ("tests/", "overlays/", "openapi/pages.lock")
_STEP = re.compile(r"-m scripts\.(\w+)")


def venv() -> Path:
    """The virtual environment running these tests (make's .venv under `make test`)."""
    return Path(sys.prefix)


def repository_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    return [f for f in listed if f and not f.startswith(_NOT_COPIED) and (REPO / f).is_file()]


def copy_repository(target: Path) -> None:
    for name in repository_files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
    # Older than the venv's stamp: make must not reinstall the shared tool environment.
    os.utime(target / "requirements" / "tools.lock", (0, 0))


@dataclass
class MakeRun:
    returncode: int
    output: str  # stdout and stderr, interleaved as make printed them

    @property
    def steps(self) -> list[str]:
        """The pipeline scripts this run started, in order (e.g. ["apply_overlays", "validate"])."""
        return _STEP.findall(self.output)


def make(root: Path, *args: str, docs: str = DOCS) -> MakeRun:
    # A make running these tests passes its flags and variables down through the environment: drop them.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}}
    result = subprocess.run(
        ["make", "--no-print-directory", f"VENV={venv()}", f"DOCS_SOURCE={docs}", *args],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False, timeout=300,
    )  # fmt: skip
    return MakeRun(result.returncode, result.stdout)


def clone(base: Path, target: Path) -> Path:
    """A copy of a built project with every timestamp kept, so make sees it as up to date."""
    shutil.copytree(base, target, symlinks=True)
    return target
