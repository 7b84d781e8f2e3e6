"""Hatchling hooks: stamp the wheel and sdist with what built them.

The version, the final spec's sha256 and the generator version come from
`generated/tmdb_generated/_build_info.py` (written by scripts/generate.py). The metadata
hook puts the fingerprint into the Summary, which `pip show` prints; the wheel build hook
adds `.dist-info/extra_metadata/build-info.json` for tools. Both read the same file, so
the metadata can never disagree with the packaged code.
"""

from __future__ import annotations

import ast
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.metadata.plugin.interface import MetadataHookInterface

BUILD_INFO = Path("generated/tmdb_generated/_build_info.py")


def read_build_info(root: str) -> dict[str, str]:
    """The string constants of _build_info.py, read without importing the package."""
    path = Path(root) / BUILD_INFO
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make` (scripts/generate.py writes it) before building")
    values: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = node.value.value
    for name in ("__version__", "SPEC_SHA256", "GENERATOR"):
        if name not in values:
            raise ValueError(f"{path}: no {name} string")
    return values


class BuildInfoMetadataHook(MetadataHookInterface):
    """Summary = the configured text + the spec fingerprint and generator."""

    def update(self, metadata: dict[str, Any]) -> None:
        info = read_build_info(self.root)
        summary = self.config.get("summary", "")
        metadata["description"] = f"{summary} (spec sha256 {info['SPEC_SHA256']}, {info['GENERATOR']})".strip()


class BuildInfoWheelHook(BuildHookInterface):
    """Adds build-info.json to the wheel's .dist-info/extra_metadata/."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        info = read_build_info(self.root)
        record = {"version": info["__version__"], "spec_sha256": info["SPEC_SHA256"], "generator": info["GENERATOR"]}
        self._tmp = Path(tempfile.mkdtemp(prefix="tmdb-build-info-"))
        source = self._tmp / "build-info.json"
        source.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        build_data["extra_metadata"][str(source)] = "build-info.json"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
