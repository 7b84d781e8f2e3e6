"""The same inputs give byte-identical wheel and sdist, whatever the folder and the file times.

Packages this checkout's build inputs twice, from two copies made at different moments in
different folders (fresh mtimes, other absolute paths), and compares the archives' sha256.
The two-fresh-clones check of the whole pipeline is in the README (`Reproducible builds`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from scripts.common import sha256_bytes
from scripts.package import DEFAULT_SOURCE_DATE_EPOCH
from tests.release.support import REPO

INPUTS = ["generated", "runtime", "README.md", "pyproject.toml", "hatch_build.py"]


def package_copy(root: Path, mtime: int) -> dict[str, str]:
    for name in INPUTS:
        source, target = REPO / name, root / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    for path in [root, *root.rglob("*")]:
        os.utime(path, (mtime, mtime))
    (root / "scripts").symlink_to(REPO / "scripts")
    command = [sys.executable, "-m", "scripts.package", "--project", str(root), "--out", str(root / "dist")]
    subprocess.run(command, cwd=root, check=True, capture_output=True, timeout=300)
    return read_sums(root / "dist" / "SHA256SUMS")


def read_sums(path: Path) -> dict[str, str]:
    """dist/SHA256SUMS as {file name: sha256}."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split() for line in lines)}


def test_two_builds_from_different_folders_and_times_are_identical(tmp_path: Path) -> None:
    first = package_copy(tmp_path / "one", 1_000_000_000)
    second = package_copy(tmp_path / "elsewhere" / "two", 1_700_000_000)
    assert len(first) == 2
    assert first == second


def test_the_wheel_built_from_the_sdist_is_the_wheel_built_from_the_tree(tmp_path: Path) -> None:
    """Whoever rebuilds from the published sdist gets the published wheel, byte for byte."""
    sums = read_sums(REPO / "dist" / "SHA256SUMS")
    sdist = next(name for name in sums if name.endswith(".tar.gz"))
    wheel = next(name for name in sums if name.endswith(".whl"))
    with tarfile.open(REPO / "dist" / sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    source = tmp_path / sdist.removesuffix(".tar.gz")
    command = [
        sys.executable,
        "-m",
        "build",
        "--no-isolation",
        "--wheel",
        "--outdir",
        str(tmp_path / "out"),
        str(source),
    ]
    env = dict(os.environ, SOURCE_DATE_EPOCH=DEFAULT_SOURCE_DATE_EPOCH)
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=300)
    assert sha256_bytes((tmp_path / "out" / wheel).read_bytes()) == sums[wheel]
