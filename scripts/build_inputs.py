"""What a build is made from, fingerprinted, and whether the build outputs are still the checkout's.

usage: python -m scripts.build_inputs [--root .]   (exit 1, naming what differs, on a stale build)

scripts/generate.py records `input_digests()` in the package's build-info.json (`inputs`), beside
the final spec's sha256: the overlays, every file under generator/ (config, template edits, own
templates: whatever is there) and the page pins. The test suite (tests/conftest.py) calls `stale_reasons()` before any test
runs and stops with one message, "run `make` first", instead of failing in hundreds of places.
A fingerprint is the sha256 of each file's path and bytes, in path order: a file added, removed,
renamed or changed moves it; a file only touched (mtime) does not. Every fingerprinted file must be
a prerequisite of the generate step in the Makefile, or `make` could not bring the record up to date
(tests/test_stale_build.py checks it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from scripts.common import BUILD_INFO_JSON, GENERATED_PACKAGE, run_main, sha256_bytes

GENERATED_INFO = Path("generated") / GENERATED_PACKAGE / BUILD_INFO_JSON
SPEC = Path("build/spec/openapi.json")
VERSION = Path("openapi/VERSION")
DIST = Path("dist")
WHEEL_INFO = f"extra_metadata/{BUILD_INFO_JSON}"  # inside the wheel's .dist-info (hatch_build.py)
# name in build-info.json's `inputs` -> (folder or file under the checkout, file suffixes counted; () = every file)
INPUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "overlays": ("overlays", (".yaml", ".yml")),
    "generator": ("generator", ()),
    "pages.lock": ("openapi/pages.lock", ()),
}
_IGNORED_PARTS = {"__pycache__"}


def files_of(path: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and not _IGNORED_PARTS & set(p.parts) and (not suffixes or p.suffix in suffixes)
    )


def tree_sha256(root: Path, relative: str, suffixes: tuple[str, ...] = ()) -> str:
    """sha256 over (path, sha256 of bytes) of every file at `relative` (a file or a folder)."""
    digest = hashlib.sha256()
    for path in files_of(root / relative, suffixes):
        digest.update(f"{path.relative_to(root).as_posix()}\0{sha256_bytes(path.read_bytes())}\n".encode())
    return digest.hexdigest()


def input_digests(root: Path) -> dict[str, str]:
    """{build info name: fingerprint} of the inputs a build records (see INPUTS)."""
    return {name: tree_sha256(root, relative, suffixes) for name, (relative, suffixes) in INPUTS.items()}


def read_info(text: str | bytes) -> dict[str, Any]:
    record = json.loads(text)
    return record if isinstance(record, dict) else {}


def wheel_info(dist: Path) -> dict[str, Any] | None:
    """build-info.json of the one wheel in `dist`, None without exactly one wheel."""
    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1:
        return None
    with zipfile.ZipFile(wheels[0]) as archive:
        names = [n for n in archive.namelist() if n.endswith(f".dist-info/{WHEEL_INFO}")]
        if len(names) != 1:
            return None
        return read_info(archive.read(names[0]))


def stale_reasons(root: Path) -> list[str]:
    """Why the build outputs under `root` are not what `make` would build from its checkout; [] when fresh."""
    info_path = root / GENERATED_INFO
    if not info_path.is_file():
        return [f"{GENERATED_INFO} is missing: nothing was built"]
    info = read_info(info_path.read_text(encoding="utf-8"))
    reasons: list[str] = []
    spec = root / SPEC
    spec_sha = sha256_bytes(spec.read_bytes()) if spec.is_file() else "missing"
    if info.get("spec_sha256") != spec_sha:
        reasons.append(f"the package was generated from spec {info.get('spec_sha256')}, {SPEC} is {spec_sha}")
    version = (root / VERSION).read_text(encoding="utf-8").strip() if (root / VERSION).is_file() else "missing"
    if info.get("version") != version:
        reasons.append(f"the package is version {info.get('version')}, {VERSION} says {version}")
    recorded = info.get("inputs")
    if not isinstance(recorded, dict):
        reasons.append(f"{GENERATED_INFO} records no `inputs` (scripts/generate.py writes input_digests())")
    else:
        for name, current in input_digests(root).items():
            if recorded.get(name) != current:
                reasons.append(f"{INPUTS[name][0]} changed since the package was generated")
    packaged = wheel_info(root / DIST)
    if packaged is None:
        reasons.append(f"{DIST}/ holds no single wheel with its {BUILD_INFO_JSON}")
    elif packaged != info:
        reasons.append(f"the wheel in {DIST}/ is not the generated package (its {BUILD_INFO_JSON} differs)")
    return reasons


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    reasons = stale_reasons(args.root)
    for reason in reasons:
        print(f"stale: {reason}")
    print("build outputs: stale, run `make` first" if reasons else "build outputs: up to date")
    return 1 if reasons else 0


if __name__ == "__main__":
    run_main(main)
