"""scripts/dev/mutation.py's own logic: groups cut to one module, mutants matched to modules and
equivalents, scores and the report (the mutmut run itself is `make mutation`, not part of the suite)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from scripts.common import PipelineError
from scripts.dev import mutation
from scripts.dev.mutation import GROUPS, Mutant, Score


def test_focus_keeps_the_matching_modules_the_given_tests_and_its_own_folder() -> None:
    group = mutation.focus(GROUPS["runtime"], "runtime/tmdb_sdk/cache/*,runtime/tmdb_sdk/hooks.py", "tests/a.py", "x")
    assert group.name == "runtime-x"
    assert "runtime/tmdb_sdk/hooks.py" in group.sources
    assert "runtime/tmdb_sdk/cache/memory.py" in group.sources
    assert all(s == "runtime/tmdb_sdk/hooks.py" or s.startswith("runtime/tmdb_sdk/cache/") for s in group.sources)
    assert group.tests == ("tests/a.py",)
    assert group.runtime_as_src


def test_focus_without_tests_keeps_the_groups_selection() -> None:
    assert mutation.focus(GROUPS["overlay"], "", "", "y").tests == GROUPS["overlay"].tests
    assert mutation.focus(GROUPS["overlay"], "", "", "y").sources == ("scripts/overlay.py",)


def test_a_focus_run_cannot_write_the_report_and_must_match_a_module() -> None:
    with pytest.raises(PipelineError, match="--write takes the whole groups"):
        mutation.main(["--only", "overlay", "--modules", "scripts/overlay.py", "--write", "M.md"])
    with pytest.raises(PipelineError, match="matches no module"):
        mutation.main(["--only", "overlay", "--modules", "scripts/nothing.py"])
    with pytest.raises(PipelineError, match=r"unknown mutation groups \['nope'\]"):
        mutation.main(["--only", "nope"])


def test_mutants_are_filed_under_their_module_functions_and_methods_alike() -> None:
    runtime = GROUPS["runtime"]
    assert mutation.module_of(runtime, "tmdb_sdk.cache.memory.x_put__mutmut_3") == "runtime/tmdb_sdk/cache/memory.py"
    assert mutation.module_of(runtime, "tmdb_sdk.hooks.xǁHooksǁemit__mutmut_1") == "runtime/tmdb_sdk/hooks.py"
    assert mutation.module_of(GROUPS["overlay"], "scripts.overlay.x_apply__mutmut_2") == "scripts/overlay.py"


def test_a_listed_survivor_is_equivalent_only_on_the_same_module_function_and_line() -> None:
    entry = {"module": "m.py", "function": "f", "change": "  x = 1  ", "reason": "r"}
    same = Mutant("a", "survived", "m.py", "f", "x = 1")
    other_function = Mutant("b", "survived", "m.py", "g", "x = 1")
    other_line = Mutant("c", "survived", "m.py", "f", "x = 2")
    mutation.mark_equivalents([same, other_function, other_line], [entry])
    assert (same.reason, other_function.reason, other_line.reason) == ("r", None, None)


def test_the_score_leaves_out_equivalents_and_counts_timeouts_as_killed() -> None:
    score = Score(
        "m.py",
        [
            Mutant("1", "killed"), Mutant("2", "timeout"), Mutant("3", "survived"),
            Mutant("4", "no tests"), Mutant("5", "survived", reason="same code"),
        ],
    )  # fmt: skip
    assert score.killed == 2
    assert [m.name for m in score.equivalent] == ["5"]
    assert [m.name for m in score.survivors] == ["3", "4"]
    assert score.score == 50.0
    assert mutation.table([score])[2] == "| m.py | 5 | 2 | 1 | 1 | 1 | 50.0% |"
    assert Score("empty.py").score == 100.0


def test_the_report_lists_each_equivalent_with_its_reason_and_every_other_survivor() -> None:
    score = Score(
        "m.py",
        [Mutant("a", "survived", "m.py", "f", "x = 2", "never read"), Mutant("b", "no tests", "m.py", "g", "y()")],
    )
    text = mutation.report([score], ["overlay"], 120.0)
    assert "groups overlay: 2 min" in text
    assert "- `m.py` `f`: `x = 2`: never read" in text
    assert "- `m.py` `g` (no tests): `y()`" in text


def test_the_scratch_projects_mutmut_settings_mutate_only_the_group_under_src() -> None:
    group = mutation.focus(GROUPS["runtime"], "runtime/tmdb_sdk/hooks.py", "tests/services/test_hooks.py", "t")
    settings = tomllib.loads(mutation.project_file(group))
    assert settings["tool"]["mutmut"]["only_mutate"] == ["src/tmdb_sdk/hooks.py"]
    assert settings["tool"]["mutmut"]["source_paths"] == ["src"]
    assert settings["tool"]["mutmut"]["pytest_add_cli_args_test_selection"] == ["tests/services/test_hooks.py"]
    assert "runtime" not in settings["tool"]["pytest"]["ini_options"]["pythonpath"]  # the mutated copy is imported
    scripts = tomllib.loads(mutation.project_file(GROUPS["overlay"]))["tool"]["mutmut"]
    assert (scripts["source_paths"], scripts["only_mutate"]) == (["scripts"], ["scripts/overlay.py"])


def test_rescore_needs_a_previous_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    with pytest.raises(PipelineError, match="holds no mutmut run of the group overlay"):
        mutation.main(["--only", "overlay", "--rescore"])
