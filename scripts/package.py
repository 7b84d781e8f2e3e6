"""Step 7: build the wheel and sdist, then swap them into `dist/`.

usage: python -m scripts.package --out dist

Builds with `python -m build --no-isolation` (the pinned hatchling in the build
environment: no download, the same backend every time) into a temporary folder, with
SOURCE_DATE_EPOCH fixed so that the same inputs give byte-identical archives. Only a
complete build replaces `dist/`; a failure leaves the previous one as it was.
`dist/SHA256SUMS` lists the artifacts.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.common import PipelineError, run_main, sha256_bytes, swap_into_place

# 2020-02-02, hatchling's own default: any fixed instant makes archive timestamps stable.
DEFAULT_SOURCE_DATE_EPOCH = "1580601600"


def build(project: Path, outdir: Path) -> list[Path]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    command = [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", str(outdir), str(project)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise PipelineError(f"building the wheel failed:\n{(result.stdout + result.stderr)[-4000:]}")
    artifacts = sorted(p for p in outdir.iterdir() if p.suffix in {".whl", ".gz"})
    if not any(p.suffix == ".whl" for p in artifacts):
        raise PipelineError(f"`python -m build` produced no wheel in {outdir}")
    return artifacts


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.out.parent.resolve(), prefix=".package-") as tmp:
        staged = Path(tmp) / "dist"
        staged.mkdir()
        artifacts = build(args.project, staged)
        sums = "".join(f"{sha256_bytes(p.read_bytes())}  {p.name}\n" for p in artifacts)
        (staged / "SHA256SUMS").write_text(sums, encoding="utf-8")
        swap_into_place(staged, args.out)
    for line in sums.splitlines():
        digest, name = line.split()
        print(f"package: {name} ({(args.out / name).stat().st_size / 1024:.0f} KiB) sha256 {digest}")


if __name__ == "__main__":
    run_main(main)
