"""Step 6: run openapi-python-client on the final spec, then swap the result into place.

usage: python -m scripts.generate --spec build/spec/openapi.json --config generator/config.yaml
           --edits generator/edits --own-templates generator/own-templates
           --effective-templates build/templates --version-file openapi/VERSION --out generated

The templates are the installed generator's own, with the project's edits applied and its own
whole templates added (scripts/template_edits.py); the effective folder is written to
`--effective-templates` and given to openapi-python-client as its custom template path.
The client is generated into a fresh temporary folder beside `--out`; only when the
generator succeeded without a single warning does it replace the previous package, so a
failed run leaves `generated/` exactly as it was. `build-info.json`, written into the
package, records the package version, the final spec's sha256 and the version of the
generator that ran (read from the installed package); the wheel's metadata (hatch_build.py),
`make publish` and the runtime (through `_build_info.py`, which loads it) all read that file.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts import facade, op_index, stand_in_data
from scripts.build_inputs import input_digests
from scripts.common import (
    BUILD_INFO_JSON,
    GENERATED_PACKAGE,
    PipelineError,
    read_json,
    read_version,
    run_main,
    sha256_bytes,
    swap_into_place,
)
from scripts.template_edits import GENERATOR_DIST, build_effective, generator_version, write_templates

PACKAGE = GENERATED_PACKAGE
_WARNING = re.compile(r"warning|error", re.IGNORECASE)


def build_info(version: str, spec_sha256: str, generator: str, inputs: dict[str, str] | None = None) -> str:
    """The text of build-info.json (stable bytes: sorted keys). `inputs`: the fingerprints of
    scripts/build_inputs.py (overlays, generator/, pins), which the test suite's stale-build check reads."""
    record: dict[str, object] = {
        "generator": f"{GENERATOR_DIST} {generator}",
        "spec_sha256": spec_sha256,
        "version": version,
    }
    if inputs:
        record["inputs"] = inputs
    return json.dumps(record, indent=2, sort_keys=True) + "\n"


# The runtime's view of build-info.json: the same three values as module constants.
BUILD_INFO_MODULE = f'''"""What this package was built from: {BUILD_INFO_JSON} beside this module (scripts/generate.py)."""

import json as _json
import os as _os

with open(_os.path.join(_os.path.dirname(__file__), "{BUILD_INFO_JSON}"), encoding="utf-8") as _file:
    _INFO = _json.load(_file)

__version__: str = _INFO["version"]
SPEC_SHA256: str = _INFO["spec_sha256"]
GENERATOR: str = _INFO["generator"]
'''


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


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--edits", type=Path, help="folder of template edit files (generator/edits)")
    parser.add_argument("--own-templates", type=Path, help="folder of the project's own whole templates")
    parser.add_argument("--effective-templates", type=Path, help="where to write the effective templates")
    parser.add_argument("--version-file", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder that will hold the package")
    parser.add_argument("--lock", type=Path, help="openapi/pages.lock: links each operation to its docs page")
    args = parser.parse_args(argv)
    version = read_version(args.version_file)
    spec_sha = sha256_bytes(args.spec.read_bytes())
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.out.parent, prefix=".generate-") as tmp:
        templates = None
        if args.edits is not None or args.own_templates is not None:
            effective = build_effective(args.edits or Path(tmp) / "no-edits", args.own_templates)
            templates = write_templates(effective, args.effective_templates or Path(tmp) / "templates")
        package = run_generator(args.spec, args.config, templates, Path(tmp))
        # Files the project adds to the generated package go here, before the swap.
        info = build_info(version, spec_sha, generator_version(), input_digests(Path.cwd()))
        (package / BUILD_INFO_JSON).write_text(info, encoding="utf-8")
        (package / "_build_info.py").write_text(BUILD_INFO_MODULE, encoding="utf-8")
        (package / "py.typed").touch()
        # The operation index (and the typed facade built from it), named as the generator named the code.
        spec = read_json(args.spec)
        index = op_index.write(package, spec, args.config, args.lock)
        facade.write(package, index, {t["name"]: t.get("description", "") for t in spec.get("tags", [])})
        # The testing kit's stand-in data (tmdb_sdk.testing), from the same spec: scripts/stand_in_data.py.
        stand_in_data.write(package, spec, spec_sha)
        staged = Path(tmp) / "tree"
        staged.mkdir()
        package.rename(staged / PACKAGE)
        swap_into_place(staged, args.out)
    endpoints = sum(1 for p in (args.out / PACKAGE / "api").rglob("*.py") if p.name != "__init__.py")
    models = sum(1 for p in (args.out / PACKAGE / "models").rglob("*.py") if p.name != "__init__.py")
    print(f"generate: {endpoints} endpoint modules, {models} model modules -> {args.out / PACKAGE}")


if __name__ == "__main__":
    run_main(main)
