"""scripts/package.py: dist/ is replaced only by a complete build."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import hatch_build
from scripts.common import PipelineError, sha256_bytes
from scripts.package import main
from tests.pipeline.trees import tree_hash

PYPROJECT = """[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "tiny-pkg"
version = "1.0.0"

[tool.hatch.build.targets.wheel]
packages = ["tiny_pkg"]
"""


def _project(root: Path, pyproject: str) -> Path:
    (root / "tiny_pkg").mkdir(parents=True)
    (root / "tiny_pkg" / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return root


def test_build_writes_wheel_sdist_and_their_sums(tmp_path: Path) -> None:
    project = _project(tmp_path / "project", PYPROJECT)
    main(["--project", str(project), "--out", str(tmp_path / "dist")])
    dist = tmp_path / "dist"
    names = sorted(p.name for p in dist.iterdir())
    assert names == ["SHA256SUMS", "tiny_pkg-1.0.0-py2.py3-none-any.whl", "tiny_pkg-1.0.0.tar.gz"]
    sums = (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sums == [f"{sha256_bytes((dist / n).read_bytes())}  {n}" for n in names[1:]]
    assert "tiny_pkg/__init__.py" in zipfile.ZipFile(dist / names[1]).namelist()


def test_failed_build_leaves_the_previous_dist(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "previous.whl").write_bytes(b"the wheel that worked")
    before = tree_hash(dist)
    project = _project(tmp_path / "project", PYPROJECT.replace('version = "1.0.0"', 'version = "not a version"'))
    with pytest.raises(PipelineError, match="building the wheel failed"):
        main(["--project", str(project), "--out", str(dist)])
    assert tree_hash(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "project"]  # no temporary folder left


def test_the_build_hooks_read_the_json_record_only(tmp_path: Path) -> None:
    record = tmp_path / hatch_build.BUILD_INFO
    with pytest.raises(FileNotFoundError, match="run `make`"):
        hatch_build.read_build_info(str(tmp_path))
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"version": "1.2.3", "spec_sha256": "ab", "generator": "g 1"}), encoding="utf-8")
    assert hatch_build.read_build_info(str(tmp_path)) == {"version": "1.2.3", "spec_sha256": "ab", "generator": "g 1"}
    record.write_text(json.dumps({"version": "1.2.3", "spec_sha256": "ab"}), encoding="utf-8")
    with pytest.raises(TypeError, match="no generator string"):
        hatch_build.read_build_info(str(tmp_path))
