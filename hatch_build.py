"""Hatchling hooks: stamp the wheel and sdist with what built them.

The version, the final spec's sha256 and the generator that ran come from
`generated/tmdb_generated/build-info.json` (written by scripts/generate.py), the one record
of the build: the metadata hook sets the version from it and puts the fingerprint into the
Summary, which `pip show` prints; the wheel build hook also adds that same file as
`.dist-info/extra_metadata/build-info.json` for tools. Nothing parses Python source for it.
The metadata hook also makes README.md the long description without its opening lines for
maintainers (the `make` / `make test` block between the MAINTAINERS_ONLY markers): the wheel is
for users. This file must build from the sdist alone, so it imports nothing from scripts/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.metadata.plugin.interface import MetadataHookInterface

BUILD_INFO = Path("generated/tmdb_generated/build-info.json")
FIELDS = ("version", "spec_sha256", "generator")
README = Path("README.md")
# README.md's opening block for maintainers (how to build and test the repository), left out of the
# long description; the markers must be there, each once.
MAINTAINERS_ONLY = ("<!-- maintainers only: build and test the repository -->", "<!-- end maintainers only -->")


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


def long_description(readme: str) -> str:
    """README.md for users: without the block between the MAINTAINERS_ONLY markers."""
    start, end = MAINTAINERS_ONLY
    if readme.count(start) != 1 or readme.count(end) != 1 or readme.index(start) > readme.index(end):
        raise ValueError(f"{README}: the long description needs the markers {start!r} and {end!r}, once each, in order")
    head, rest = readme.split(start)
    return head.rstrip("\n") + "\n\n" + rest.split(end)[1].lstrip("\n")


class BuildInfoMetadataHook(MetadataHookInterface):
    """Version = the recorded one; Summary = the configured text + the spec fingerprint and generator;
    long description = README.md for users."""

    def update(self, metadata: dict[str, Any]) -> None:
        info = read_build_info(self.root)
        metadata["version"] = info["version"]
        summary = self.config.get("summary", "")
        metadata["description"] = f"{summary} (spec sha256 {info['spec_sha256']}, {info['generator']})".strip()
        text = (Path(self.root) / README).read_text(encoding="utf-8")
        metadata["readme"] = {"content-type": "text/markdown", "text": long_description(text)}


class BuildInfoWheelHook(BuildHookInterface):
    """Adds build-info.json to the wheel's .dist-info/extra_metadata/."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        read_build_info(self.root)  # fail early on a malformed record
        build_data["extra_metadata"][str(Path(self.root) / BUILD_INFO)] = "build-info.json"
