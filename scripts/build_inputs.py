"""What a build is made from, fingerprinted, and whether the build outputs are still the checkout's.

usage: python -m scripts.build_inputs [--root .]   (exit 1, naming what differs, on a stale build)

scripts/generate.py records `input_digests()` in the package's build info, beside the final spec's
sha256: the overlays, every file under generator/ (config, templates, template edits: whatever is
there) and the page pins. The test suite (tests/conftest.py) calls `stale_reasons()` before any test
runs and stops with one message, "run `make` first", instead of failing in hundreds of places.
A fingerprint is the sha256 of each file's path and bytes, in path order: a file added, removed,
renamed or changed moves it; a file only touched (mtime) does not. Every fingerprinted file must be
a prerequisite of the generate step in the Makefile, or `make` could not bring the record up to date
(tests/test_stale_build.py checks it).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import zipfile
from pathlib import Path

from scripts.common import run_main, sha256_bytes

GENERATED_INFO = Path("generated/tmdb_generated/_build_info.py")
SPEC = Path("build/spec/openapi.json")
VERSION = Path("openapi/VERSION")
DIST = Path("dist")
WHEEL_INFO = "extra_metadata/build-info.json"  # inside the wheel's .dist-info (hatch_build.py)
# build info name -> (folder or file under the checkout, file suffixes counted; () = every file)
INPUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "OVERLAYS_SHA256": ("overlays", (".yaml", ".yml")),
    "GENERATOR_SHA256": ("generator", (".yaml", ".yml", ".jinja")),
    "PAGES_LOCK_SHA256": ("openapi/pages.lock", ()),
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


def read_generated_info(path: Path) -> dict[str, str]:
    """The string constants of the generated _build_info.py (or the keys of a JSON build info)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return {str(k): str(v) for k, v in json.loads(text).items()}
    values: dict[str, str] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            values.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
    return values


def wheel_info(dist: Path) -> dict[str, str] | None:
    """build-info.json of the one wheel in `dist`, None without exactly one wheel."""
    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1:
        return None
    with zipfile.ZipFile(wheels[0]) as archive:
        names = [n for n in archive.namelist() if n.endswith(f".dist-info/{WHEEL_INFO}")]
        if len(names) != 1:
            return None
        return {str(k): str(v) for k, v in json.loads(archive.read(names[0])).items()}


def stale_reasons(root: Path) -> list[str]:
    """Why the build outputs under `root` are not what `make` would build from its checkout; [] when fresh."""
    info_path = root / GENERATED_INFO
    if not info_path.is_file():
        return [f"{GENERATED_INFO} is missing: nothing was built"]
    info = read_generated_info(info_path)
    reasons: list[str] = []
    spec = root / SPEC
    spec_sha = sha256_bytes(spec.read_bytes()) if spec.is_file() else "missing"
    if info.get("SPEC_SHA256") != spec_sha:
        reasons.append(f"the package was generated from spec {info.get('SPEC_SHA256')}, {SPEC} is {spec_sha}")
    version = (root / VERSION).read_text(encoding="utf-8").strip() if (root / VERSION).is_file() else "missing"
    if info.get("__version__") != version:
        reasons.append(f"the package is version {info.get('__version__')}, {VERSION} says {version}")
    for name, current in input_digests(root).items():
        relative = INPUTS[name][0]
        if name not in info:
            reasons.append(f"the build info records no {name} (scripts/generate.py writes input_digests())")
        elif info[name] != current:
            reasons.append(f"{relative} changed since the package was generated")
    packaged = wheel_info(root / DIST)
    expected = {"version": info.get("__version__"), "spec_sha256": info.get("SPEC_SHA256")}
    if packaged is None:
        reasons.append(f"{DIST}/ holds no single wheel with its build-info.json")
    elif {key: packaged.get(key) for key in expected} != expected:
        reasons.append(f"the wheel in {DIST}/ is not the generated package ({packaged} vs {expected})")
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
