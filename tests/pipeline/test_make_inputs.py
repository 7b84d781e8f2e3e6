"""Every input of the generated client rebuilds it and the wheel (issue 12), on the tiny project.

Dry runs (`make -n`) where a real run would reinstall the shared tool environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.pipeline.project import make
from tests.pipeline.trees import tree_hash

REGENERATE = ["generate", "package"]
REVALIDATE = ["validate", "generate", "package"]
EXTRA_EDIT = """template: package_init.py.jinja
reason: A test edit.
edits:
  - name: marker
    reason: Shows up in the generated package __init__.
    anchor: |
      __all__ = (
    count: 1
    action: before
    text: |
      # edited by a test
"""


def init_text(project: Path) -> str:
    return (project / "generated" / "tmdb_generated" / "__init__.py").read_text(encoding="utf-8")


def test_a_new_pin_of_the_tools_revalidates_regenerates_and_repackages(project: Path) -> None:
    lock = project / "requirements" / "tools.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(lock)
    run = make(project, "-n")  # a real run would reinstall the shared venv
    assert "pip install" in run.output
    assert run.steps == REVALIDATE


def test_another_installed_tool_version_regenerates(project: Path) -> None:
    """The recorded .dist-info names differ from what is installed, as after a reinstall by hand."""
    recorded = project / "build" / "tools.txt"
    assert "openapi_python_client-" in recorded.read_text(encoding="utf-8")
    recorded.write_text("openapi_python_client-0.0.1.dist-info\n", encoding="utf-8")
    assert make(project, "-n").steps == REVALIDATE
    assert make(project).steps == REVALIDATE
    assert make(project).steps == []


def test_a_generator_config_change_regenerates(project: Path) -> None:
    config = project / "generator" / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("docstrings_on_attributes: true",
                                                                 "docstrings_on_attributes: false"))  # fmt: skip
    before = tree_hash(project / "generated")
    assert make(project, "-n").steps == REGENERATE
    run = make(project)
    assert run.returncode == 0 and run.steps == REGENERATE, run.output
    assert tree_hash(project / "generated") != before


def test_an_added_changed_or_removed_edit_regenerates(project: Path) -> None:
    edit = project / "generator" / "edits" / "099-test-marker.yaml"
    edit.write_text(EXTRA_EDIT, encoding="utf-8")
    run = make(project)
    assert run.returncode == 0 and run.steps == REGENERATE, run.output
    assert "# edited by a test" in init_text(project)

    edit.write_text(EXTRA_EDIT.replace("edited by a test", "changed by a test"), encoding="utf-8")
    assert make(project).steps == REGENERATE
    assert "# changed by a test" in init_text(project)

    edit.unlink()  # make alone cannot see a deleted prerequisite: the recorded list does
    assert make(project).steps == REGENERATE
    assert "by a test" not in init_text(project)


def test_an_own_template_change_regenerates(project: Path) -> None:
    own = project / "generator" / "own-templates" / "models_init.py.jinja"
    own.write_text(own.read_text(encoding="utf-8").replace("# Public name -> module", "# Public name => module"))
    assert make(project).steps == REGENERATE
    models = project / "generated" / "tmdb_generated" / "models" / "__init__.py"
    assert "# Public name => module" in models.read_text(encoding="utf-8")


def test_a_stale_edit_stops_the_build_and_keeps_the_outputs(project: Path) -> None:
    before = {name: tree_hash(project / name) for name in ("generated", "dist")}
    edit = project / "generator" / "edits" / "099-stale.yaml"
    edit.write_text(EXTRA_EDIT.replace("__all__ = (", "__all__ = [").replace("marker", "stale"), encoding="utf-8")
    run = make(project)
    assert run.returncode != 0
    assert "error: generator/edits/099-stale.yaml: edit 'stale': anchor found 0 times in package_init.py.jinja" in run.output
    assert {name: tree_hash(project / name) for name in ("generated", "dist")} == before


def test_template_diff_prints_the_effective_change(project: Path) -> None:
    run = make(project, "template-diff")
    assert run.returncode == 0, run.output
    assert "--- installed/endpoint_module.py.jinja\n+++ effective/endpoint_module.py.jinja\n" in run.output
    assert '-        "params": params,\n' in run.output
    assert "--- /dev/null\n+++ effective/models_init.py.jinja\n" not in run.output  # it replaces an installed one


def test_strict_mode_is_a_setting_make_tracks(project: Path) -> None:
    """The tiny project's overlay names nothing, so a strict build fails, naming each operation."""
    strict = make(project, "STRICT=1")
    assert strict.returncode != 0
    assert "strict mode: 4 operation(s) not covered by the overlays" in strict.output
    assert "  GET /3/movie/{movie_id}  movie_details: named by rule (no overlay names it)" in strict.output
    relaxed = make(project)
    assert relaxed.returncode == 0 and relaxed.steps == ["coverage"], relaxed.output
    assert make(project, "-q").returncode == 0
