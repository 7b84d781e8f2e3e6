"""Mutation testing (`make mutation`): mutmut on the runtime and the release/pipeline scripts, scored per module.

usage: python -m scripts.dev.mutation [--only api_diff,overlay,fetch_pages,runtime] [--max-children N]
           [--write MUTATION.md] [--modules PATTERNS] [--tests SELECTION] [--tag NAME] [--rescore]

Each group runs mutmut (pinned in requirements/tools.lock) in its own scratch folder under
build/mutation/<group>/, a copy of the files it needs, with its own pytest selection: mutmut then
runs, for each mutant, only the tests of that selection that reached the mutated function. The
runtime is copied as `src/tmdb_sdk` (mutmut's own layout for a package imported by its name). The
checkout itself is never changed. A survivor listed in scripts/dev/mutation_equivalents.yaml (same
module, function and mutated line) is equivalent: the code does the same with the mutation. The
score of a module is killed / (mutants - equivalent); "no tests" and survivors both count against it.
Prints one table; `--write` also writes it, with every equivalent's reason and every other survivor,
to a Markdown file. Not part of `make test`: the full run takes minutes on two cores.

While writing tests for one module, `--modules runtime/tmdb_sdk/hooks.py --tests tests/runtime/test_hooks.py`
mutates only the matching modules (fnmatch patterns) with that selection, in build/mutation/<group>-<tag>/,
so that several such runs do not share a scratch folder; it cannot `--write` the report.
`--rescore` reads the results the last run left in the scratch folders instead of running mutmut again:
the report after a change to the list of equivalents, in seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import fnmatch
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripts.common import PipelineError, run_main

ROOT = Path(__file__).resolve().parents[2]
WORK = Path("build/mutation")
EQUIVALENTS = Path(__file__).with_name("mutation_equivalents.yaml")
# Per group wall-clock bound: mutmut bounds each mutant by CPU time; this bounds the whole run.
GROUP_TIMEOUT = 2 * 3600  # the runtime group, ~7,500 mutants, is the long one


@dataclass(frozen=True)
class Group:
    name: str
    sources: tuple[str, ...]  # checkout paths of the modules to mutate
    tests: tuple[str, ...]  # pytest selection (checkout paths and options)
    runtime_as_src: bool = False  # copy runtime/tmdb_sdk to src/tmdb_sdk, mutate it there


# The runtime's own tests, and those of the layers, pools and services that joined it (issues 14-16);
# mypy runs no runtime code, and the 4-process fleet run is too slow to repeat per mutant.
RUNTIME_TESTS = (
    "tests/runtime",
    "tests/transport",
    "tests/services",
    "tests/fleet",
    "--ignore=tests/runtime/test_typing.py",
    "--ignore=tests/fleet/test_fleet_workers.py",
    "--ignore=tests/services/test_testing_kit_wheel.py",  # reads dist/, which the scratch copy has not
)
GROUPS = {
    "api_diff": Group(
        "api_diff",
        ("scripts/api_diff.py",),
        ("tests/release/test_release_api_diff.py", "tests/release/test_release_semver_rules.py"),
    ),
    "overlay": Group(
        "overlay",
        ("scripts/overlay.py",),
        ("tests/pipeline/test_overlay_applier.py", "tests/pipeline/test_overlay_copy_and_writes.py"),
    ),
    "fetch_pages": Group(
        "fetch_pages",
        ("scripts/fetch_pages.py",),
        ("tests/pipeline/test_fetch_pages.py", "tests/pipeline/test_fetch_pages_messages.py"),
    ),
    "runtime": Group(
        "runtime",
        tuple(str(p.relative_to(ROOT)) for p in sorted((ROOT / "runtime" / "tmdb_sdk").rglob("*.py"))),
        RUNTIME_TESTS,
        runtime_as_src=True,
    ),
}
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
KEEP_MARK = "<!-- kept by make mutation -->"


@dataclass
class Mutant:
    name: str  # mutmut's name: module.x_function__mutmut_N (methods: module.xǁClassǁmethod__mutmut_N)
    status: str
    module: str = ""  # checkout path
    function: str = ""
    change: str = ""  # the mutated line, stripped
    reason: str | None = None  # why it is equivalent, for a listed survivor


@dataclass
class Score:
    module: str
    mutants: list[Mutant] = field(default_factory=list)

    def count(self, *statuses: str) -> int:
        return sum(1 for m in self.mutants if m.status in statuses)

    @property
    def killed(self) -> int:
        return sum(1 for m in self.mutants if m.status in KILLED)

    @property
    def equivalent(self) -> list[Mutant]:
        return [m for m in self.mutants if m.status not in KILLED and m.reason is not None]

    @property
    def survivors(self) -> list[Mutant]:
        return [m for m in self.mutants if m.status not in KILLED and m.reason is None]

    @property
    def score(self) -> float:
        counted = len(self.mutants) - len(self.equivalent)
        return 100.0 * self.killed / counted if counted else 100.0


def pytest_options() -> dict[str, Any]:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    return dict(options)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)


def project_file(group: Group) -> str:
    """pyproject.toml of the scratch folder: mutmut's settings and the checkout's pytest options."""
    sources = ["src"] if group.runtime_as_src else sorted({s.split("/")[0] for s in group.sources})
    only = [f"src/{s.removeprefix('runtime/')}" if group.runtime_as_src else s for s in group.sources]
    mutmut = {
        "source_paths": sources,
        "only_mutate": only,
        "also_copy": [f"{name}/" for name in ("generated", "runtime", "scripts") if name not in sources]
        + ["README.md", "build/spec/"],
        "pytest_add_cli_args_test_selection": list(group.tests),
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-p", "no:xdist"],
        "use_git_change_detection": False,
        "track_dependencies": False,
    }
    pytest = pytest_options()
    if group.runtime_as_src:  # else the checkout's runtime/ on pythonpath would hide the mutated src/
        pytest["pythonpath"] = [p for p in pytest["pythonpath"] if p != "runtime"]
    lines = ["[tool.mutmut]", *(f"{k} = {toml_value(v)}" for k, v in mutmut.items()), ""]
    lines += ["[tool.pytest.ini_options]", *(f"{k} = {toml_value(v)}" for k, v in pytest.items())]
    return "\n".join(lines) + "\n"


def prepare(group: Group, work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("scripts", "tests", "runtime", "generated"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, work / name, ignore=ignore)
    shutil.copy2(ROOT / "README.md", work / "README.md")  # tests/runtime/test_readme.py runs its examples
    shutil.copytree(ROOT / "build" / "spec", work / "build" / "spec")  # the services tests read the final spec
    if group.runtime_as_src:
        shutil.copytree(ROOT / "runtime" / "tmdb_sdk", work / "src" / "tmdb_sdk", ignore=ignore)
    (work / "pyproject.toml").write_text(project_file(group), encoding="utf-8")


def run_mutmut(work: Path, max_children: int, log: Path) -> None:
    env = dict(os.environ, TMDB_SKIP_BUILD_CHECK="1", PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    with log.open("w", encoding="utf-8") as out:
        result = subprocess.run(
            command, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=GROUP_TIMEOUT, check=False
        )
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise PipelineError(f"mutmut failed in {work} (exit {result.returncode}), see {log}:\n{tail}")


def statuses(work: Path) -> dict[str, str]:
    """{mutant name: status} from mutmut's .meta files."""
    from mutmut.stats import status_by_exit_code  # the same mapping mutmut's own report uses

    found: dict[str, str] = {}
    for meta in (work / "mutants").rglob("*.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, code in data.get("exit_code_by_key", {}).items():
            found[name] = status_by_exit_code[code]
    return found


_FUNCTION = re.compile(r"\.x[_ǁ](?P<function>.+?)__mutmut_\d+$")
# Run in the scratch folder: every named mutant's diff, as mutmut's own `mutmut show` prints it.
_DIFFS = """
import json, sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
print(json.dumps({name: get_diff_for_mutant(name) for name in json.load(sys.stdin)}))
"""


def describe(work: Path, mutants: list[Mutant]) -> None:
    """Fill in each mutant's function and mutated line (the `+` lines of its diff)."""
    if not mutants:
        return
    shown = subprocess.run(
        [sys.executable, "-c", _DIFFS], input=json.dumps([m.name for m in mutants]),
        cwd=work, capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    diffs = json.loads(shown.stdout)
    for mutant in mutants:
        lines = diffs[mutant.name].splitlines()
        added = [line[1:].strip() for line in lines if line.startswith("+") and not line.startswith("+++")]
        mutant.change = " / ".join(added) if added else "(line removed)"
        match = _FUNCTION.search(mutant.name)
        mutant.function = match.group("function").replace("ǁ", ".") if match else ""


def module_of(group: Group, name: str) -> str:
    dotted = name.split(".x_")[0].split(".xǁ")[0]
    for source in group.sources:
        module = source.removesuffix(".py").replace("/", ".")
        if group.runtime_as_src:
            module = module.removeprefix("runtime.")
        if dotted == module:
            return source
    return dotted


def load_equivalents() -> list[dict[str, str]]:
    data = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8")) if EQUIVALENTS.exists() else None
    return list(data or [])


def mark_equivalents(mutants: list[Mutant], equivalents: list[dict[str, str]]) -> None:
    for mutant in mutants:
        for entry in equivalents:
            if (entry["module"], entry["function"], entry["change"].strip()) == (
                mutant.module,
                mutant.function,
                mutant.change,
            ):
                mutant.reason = entry["reason"]


def score_group(group: Group, max_children: int, rerun: bool = True) -> list[Score]:
    work = ROOT / WORK / group.name
    started = time.monotonic()
    if rerun:
        prepare(group, work)
        run_mutmut(work, max_children, ROOT / WORK / f"{group.name}.log")
    elif not (work / "mutants").is_dir():
        raise PipelineError(f"--rescore: {work} holds no mutmut run of the group {group.name}; run without it first")
    mutants = [Mutant(name, status) for name, status in sorted(statuses(work).items())]
    for mutant in mutants:
        mutant.module = module_of(group, mutant.name)
    describe(work, [m for m in mutants if m.status not in KILLED])
    mark_equivalents(mutants, load_equivalents())
    print(f"mutation: {group.name}: {len(mutants)} mutants in {time.monotonic() - started:.0f} s", flush=True)
    return [Score(source, [m for m in mutants if m.module == source]) for source in group.sources]


def focus(group: Group, modules: str, tests: str, tag: str) -> Group:
    """The group cut down to the modules matching `modules` and run with `tests`, in its own scratch folder."""
    patterns = [p for p in modules.split(",") if p]
    sources = tuple(s for s in group.sources if not patterns or any(fnmatch.fnmatch(s, p) for p in patterns))
    selection = tuple(t for t in tests.split(",") if t) or group.tests
    return dataclasses.replace(group, name=f"{group.name}-{tag}", sources=sources, tests=selection)


def table(scores: list[Score]) -> list[str]:
    lines = [
        "| module | mutants | killed | equivalent | survived | no tests | score |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in scores:
        survived = sum(1 for m in s.survivors if m.status != "no tests")
        no_tests = sum(1 for m in s.survivors if m.status == "no tests")
        lines.append(
            f"| {s.module} | {len(s.mutants)} | {s.killed} | {len(s.equivalent)} | {survived} | {no_tests} "
            f"| {s.score:.1f}% |"
        )
    return lines


def report(scores: list[Score], groups: list[str], seconds: float) -> str:
    version = importlib.metadata.version("mutmut")
    lines = [
        "# Mutation testing",
        "",
        (
            f"`make mutation` (mutmut {version}, scripts/dev/mutation.py), groups {', '.join(groups)}: "
            f"{seconds / 60:.0f} min on this machine, {datetime.date.today().isoformat()}. Score = killed / "
            '(mutants - equivalent); a timeout counts as killed, "no tests" as a survivor.'
        ),
        "",
        *table(scores),
        "",
        "## Equivalent mutants",
        "",
        "Survivors that change nothing the code does (scripts/dev/mutation_equivalents.yaml):",
        "",
    ]
    equivalent = [m for s in scores for m in s.equivalent]
    lines += [f"- `{m.module}` `{m.function}`: `{m.change}`: {m.reason}" for m in equivalent] or ["- none"]
    lines += ["", "## Other survivors", ""]
    others = [m for s in scores for m in s.survivors]
    lines += [f"- `{m.module}` `{m.function}` ({m.status}): `{m.change}`" for m in others] or ["- none"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated groups of {sorted(GROUPS)}")
    # Two per core: the slowest runtime mutants (a pool whose connect hangs, a lease that never ends) spend
    # their time waiting on the tests' bounds, not computing; mutmut's own limit is CPU time, so waiting
    # mutants side by side cannot time each other out.
    parser.add_argument("--max-children", type=int, default=2 * (os.cpu_count() or 2))
    parser.add_argument("--write", type=Path, help="also write the report (Markdown) here")
    parser.add_argument("--modules", default="", help="comma-separated fnmatch patterns: mutate only these modules")
    parser.add_argument("--tests", default="", help="comma-separated pytest selection replacing the group's")
    parser.add_argument(
        "--rescore", action="store_true",
        help="score the last run's results again (e.g. after listing equivalents) instead of running mutmut",
    )  # fmt: skip
    parser.add_argument("--tag", default="focus", help="scratch folder suffix of a --modules/--tests run")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n]
    unknown = sorted(set(names) - set(GROUPS))
    if unknown:
        raise PipelineError(f"unknown mutation groups {unknown}; known: {sorted(GROUPS)}")
    groups = [GROUPS[name] for name in names]
    if args.modules or args.tests:
        if args.write:
            raise PipelineError("--write takes the whole groups: drop --modules/--tests to write the report")
        groups = [g for g in (focus(g, args.modules, args.tests, args.tag) for g in groups) if g.sources]
        if not groups:
            raise PipelineError(f"--modules {args.modules!r} matches no module of the groups {names}")
    started = time.monotonic()
    scores = [score for group in groups for score in score_group(group, args.max_children, not args.rescore)]
    text = report(scores, names, time.monotonic() - started)
    print("\n".join(table(scores)))
    for s in scores:
        for m in s.survivors:
            print(f"survived: {m.module} {m.function} ({m.status}): {m.change}   [{m.name}]")
    if args.write:
        kept = ""  # a hand-written part (e.g. the history of the scores) survives the rewrite
        if args.write.exists() and KEEP_MARK in (old := args.write.read_text(encoding="utf-8")):
            kept = "\n" + old[old.index(KEEP_MARK) :]
        args.write.write_text(text + kept, encoding="utf-8")
        print(f"mutation: report written to {args.write}")


if __name__ == "__main__":
    run_main(main)
