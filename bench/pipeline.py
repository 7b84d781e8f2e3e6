"""The build pipeline: a full build from clean in a scratch copy of the checkout, stage by stage,
then the no-op `make` and the rebuild after one overlay edit; wall time, CPU time and peak RSS.

Each stage is one `make <its output>` call, so a stage's figure is exactly that script's run plus
make's own start-up. Peak RSS and CPU come from os.wait4 on make, which covers every process make ran.
The tool virtual environment is shared (symlinked), so venv creation is not part of the figures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.stats import median, table

STAGES = [
    ("fetch + verify pages", "build/pages/.verified"),
    ("extract", "build/spec/extracted.json"),
    ("merge", "build/spec/merged.json"),
    ("apply overlays", "build/spec/overlaid.json"),
    ("validate", "build/spec/openapi.json"),
    ("generate", "generated/tmdb_generated/build-info.json"),
    ("package", "all"),
]
FULL_BUILD_TARGET = 60.0
NO_OP_TARGET = 1.0


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of make and everything it ran
    peak_rss_mib: float


def measured(command: list[str], cwd: Path) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd} (exit {process.returncode})")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def scratch_copy(repo: Path, into: Path) -> Path:
    """The checkout's tracked and untracked-but-not-ignored files, with the tool venv linked in."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=repo, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        if (repo / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(repo / name, into / name)
    (into / "overlays").mkdir(exist_ok=True)
    (into / ".venv").symlink_to((repo / ".venv").resolve())
    return into


def docs_source(repo: Path) -> str:
    """The docs source `make` would use (`make bench` passes its DOCS_SOURCE), made absolute for the scratch copy."""
    chosen = os.environ.get("DOCS_SOURCE") or str(repo / ".." / "shared" / "tmdb-docs")
    return chosen if "://" in chosen else str((repo / chosen).resolve())


def run(repo: Path, no_op_rounds: int = 5) -> list[str]:
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory(prefix="tmdb-bench-") as folder:
        work = scratch_copy(repo, Path(folder))
        make = ["make", "--no-print-directory", "-s", f"DOCS_SOURCE={docs_source(repo)}"]
        stages = [(name, measured([*make, target], work)) for name, target in STAGES]
        total = Run(
            sum(r.wall for _, r in stages), sum(r.cpu for _, r in stages), max(r.peak_rss_mib for _, r in stages)
        )
        for name, r in stages:
            rows.append([name, r.wall, f"{100 * r.wall / total.wall:.0f}%", r.cpu, r.peak_rss_mib])
        verdict = "ok" if total.wall < FULL_BUILD_TARGET else f"over {FULL_BUILD_TARGET:g} s"
        rows.append([f"**full build from clean** ({verdict})", total.wall, "100%", total.cpu, total.peak_rss_mib])

        no_ops = [measured(make, work) for _ in range(no_op_rounds)]
        no_op = median([r.wall for r in no_ops])
        verdict = "ok" if no_op < NO_OP_TARGET else f"over {NO_OP_TARGET:g} s"
        rows.append(
            [f"no-op make, median of {no_op_rounds} ({verdict})", no_op, "", median([r.cpu for r in no_ops]), ""]
        )

        overlays = sorted((work / "overlays").glob("*.y*ml"))
        if overlays:
            overlays[0].touch()
            edited = measured(make, work)
            rows.append(
                [f"make after touching overlays/{overlays[0].name}", edited.wall, "", edited.cpu, edited.peak_rss_mib]
            )
        else:
            rows.append(["make after an overlay edit: no overlays in this checkout", "", "", "", ""])
    header = ["stage", "wall s", "share", "CPU s", "peak RSS MiB"]
    return [table("Pipeline (scratch copy, shared venv)", header, rows)]
