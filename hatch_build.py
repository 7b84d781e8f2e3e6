"""Hatchling hooks: stamp the wheel and sdist with what built them.

The version, the final spec's sha256 and the generator that ran come from
`generated/tmdb_generated/build-info.json` (written by scripts/generate.py), the one record
of the build: the metadata hook sets the version from it and puts the fingerprint into the
Summary, which `pip show` prints; the wheel build hook also adds that same file as
`.dist-info/extra_metadata/build-info.json` for tools. Nothing parses Python source for it.
This file must build from the sdist alone, so it imports nothing from scripts/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.metadata.plugin.interface import MetadataHookInterface

BUILD_INFO = Path("generated/tmdb_generated/build-info.json")
FIELDS = ("version", "spec_sha256", "generator")


def read_build_info(root: str) -> dict[str, str]:
    """The build record, checked to hold the three strings."""
    path = Path(root) / BUILD_INFO
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make` (scripts/generate.py writes it) before building")
    record = json.loads(path.read_text(encoding="utf-8"))
    for name in FIELDS:
        if not isinstance(record, dict) or not isinstance(record.get(name), str):
            raise TypeError(f"{path}: no {name} string")
    return {name: record[name] for name in FIELDS}


class BuildInfoMetadataHook(MetadataHookInterface):
    """Version = the recorded one; Summary = the configured text + the spec fingerprint and generator."""

    def update(self, metadata: dict[str, Any]) -> None:
        info = read_build_info(self.root)
        metadata["version"] = info["version"]
        summary = self.config.get("summary", "")
        metadata["description"] = f"{summary} (spec sha256 {info['spec_sha256']}, {info['generator']})".strip()


class BuildInfoWheelHook(BuildHookInterface):
    """Adds build-info.json to the wheel's .dist-info/extra_metadata/."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        read_build_info(self.root)  # fail early on a malformed record
        build_data["extra_metadata"][str(Path(self.root) / BUILD_INFO)] = "build-info.json"
