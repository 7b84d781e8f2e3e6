"""Step 6: run openapi-python-client on the final spec, then swap the result into place.

usage: python -m scripts.generate --spec build/spec/openapi.json --config generator/config.yaml
           --templates generator/templates --version-file openapi/VERSION --out generated

The client is generated into a fresh temporary folder beside `--out`; only when the
generator succeeded without a single warning does it replace the previous package, so a
failed run leaves `generated/` exactly as it was. `_build_info.py`, written next to the
generated code, records the package version, the final spec's sha256 and the generator
version, for the runtime and the wheel metadata to read.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.build_inputs import input_digests
from scripts.common import PipelineError, run_main, sha256_bytes

PACKAGE = "tmdb_generated"
_WARNING = re.compile(r"warning|error", re.IGNORECASE)


def read_version(path: Path) -> str:
    version = path.read_text(encoding="utf-8").strip()
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise PipelineError(f"{path}: expected a semantic version like 1.2.3, got {version!r}")
    return version


def build_info(version: str, spec_sha256: str, generator_version: str, inputs: dict[str, str] | None = None) -> str:
    """`inputs`: the fingerprints of scripts/build_inputs.py (overlays, generator/, pins), for the stale-build check."""
    return (
        '"""Written by scripts/generate.py: what this package was built from."""\n\n'
        f'__version__ = "{version}"\n'
        f'SPEC_SHA256 = "{spec_sha256}"\n'
        f'GENERATOR = "openapi-python-client {generator_version}"\n'
    ) + "".join(f'{name} = "{digest}"\n' for name, digest in sorted((inputs or {}).items()))


def run_generator(spec: Path, config: Path, templates: Path | None, workdir: Path) -> Path:
    out = workdir.resolve() / PACKAGE
    command = [
        sys.executable, "-m", "openapi_python_client", "generate",
        "--path", str(spec.resolve()), "--config", str(config.resolve()),
        "--meta", "none", "--output-path", str(out), "--fail-on-warning",
    ]  # fmt: skip
    if templates is not None and templates.is_dir() and any(templates.iterdir()):
        command += ["--custom-template-path", str(templates.resolve())]
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=workdir, check=False)
    log = (result.stdout + result.stderr).strip()
    noise = [line for line in log.splitlines() if _WARNING.search(line)]
    if result.returncode != 0 or noise or not (out / "__init__.py").exists():
        raise PipelineError(
            f"openapi-python-client failed on {spec} with {config} (exit {result.returncode}):\n{log[-4000:]}"
        )
    return out


def swap_into_place(new: Path, target: Path) -> None:
    """Replace `target` by `new` with two renames; the old tree is kept until the new one is in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--templates", type=Path)
    parser.add_argument("--version-file", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder that will hold the package")
    args = parser.parse_args(argv)
    version = read_version(args.version_file)
    spec_sha = sha256_bytes(args.spec.read_bytes())
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.out.parent, prefix=".generate-") as tmp:
        package = run_generator(args.spec, args.config, args.templates, Path(tmp))
        generator_version = importlib.metadata.version("openapi-python-client")
        info = build_info(version, spec_sha, generator_version, input_digests(Path.cwd()))
        (package / "_build_info.py").write_text(info, encoding="utf-8")
        (package / "py.typed").touch()
        staged = Path(tmp) / "tree"
        staged.mkdir()
        package.rename(staged / PACKAGE)
        swap_into_place(staged, args.out)
    endpoints = sum(1 for p in (args.out / PACKAGE / "api").rglob("*.py") if p.name != "__init__.py")
    models = sum(1 for p in (args.out / PACKAGE / "models").rglob("*.py") if p.name != "__init__.py")
    print(f"generate: {endpoints} endpoint modules, {models} model modules -> {args.out / PACKAGE}")


if __name__ == "__main__":
    run_main(main)
