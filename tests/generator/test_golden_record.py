"""Golden record: the tiny spec of golden/spec.yaml rendered with the edited templates.

The expected output is kept as the difference between the stock and the edited rendering, one
`expected/<generated file>.diff` per file the edits change (plus `expected/files.txt`, every
generated file): it shows exactly what generator/edits and generator/own-templates do to
generated code, without committing the generator's own output. A change to an edit, or a new
generator version, shows up here as a reviewable diff. Rewrite with `make golden` (or
GOLDEN_UPDATE=1) and review `git diff tests/generator/golden`.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from scripts.generate import run_generator
from scripts.template_edits import build_effective, write_templates

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXPECTED = GOLDEN / "expected"
CONFIG = ROOT / "generator" / "config.yaml"


def render(workdir: Path, templates: Path | None) -> dict[str, str]:
    workdir.mkdir(parents=True)
    (workdir / "ruff.toml").write_text("line-length = 120\n", encoding="utf-8")  # the project's, as in `make`
    package = run_generator(GOLDEN / "spec.yaml", CONFIG, templates, workdir)
    return {
        p.relative_to(package).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(package.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def record(stock: dict[str, str], edited: dict[str, str]) -> dict[str, str]:
    """expected/ as {relative file: text}."""
    files = {"files.txt": "".join(f"{name}\n" for name in edited)}
    for name in sorted(stock.keys() | edited.keys()):
        before, after = stock.get(name, ""), edited.get(name, "")
        if before != after:
            diff = difflib.unified_diff(
                before.splitlines(keepends=True), after.splitlines(keepends=True),
                fromfile=f"stock/{name}", tofile=f"edited/{name}",
            )  # fmt: skip
            files[f"{name}.diff"] = "".join(diff)
    return files


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("golden")
    templates = write_templates(build_effective(ROOT / "generator" / "edits", ROOT / "generator" / "own-templates"),
                                tmp / "templates")  # fmt: skip
    return record(render(tmp / "stock", None), render(tmp / "edited", templates))


def test_the_edited_rendering_matches_the_golden_record(golden: dict[str, str]) -> None:
    if os.environ.get("GOLDEN_UPDATE"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for name, text in golden.items():
            (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / name).write_text(text, encoding="utf-8")
    committed = {p.relative_to(EXPECTED).as_posix(): p.read_text(encoding="utf-8")
                 for p in sorted(EXPECTED.rglob("*")) if p.is_file()}  # fmt: skip
    assert sorted(committed) == sorted(golden), "files differ: run `make golden` and review the diff"
    for name, text in golden.items():
        assert committed[name] == text, f"{name} differs: run `make golden` and review the diff"


def test_every_edit_file_shows_in_the_golden_record(golden: dict[str, str]) -> None:
    """The tiny spec exercises each concern: its mark is in the record."""
    # Added lines, without their indentation: an edit that wraps others (080's try block) only
    # shifts them.
    added = {line[1:].strip() for text in golden.values() for line in text.splitlines() if line.startswith("+")}
    text = "\n".join(sorted(added))
    marks = {
        "010-cast-shadowing": "import typing",
        "020-positional-from-dict": "name,",
        "030-hoisted-imports": "# noqa: E402",
        "040-union-pass-through": "character = d.pop(",
        "041-union-plain-list-inline": 'raise TypeError(f"also_known_as: expected list, got',
        "042-union-field-error": 'raise TypeError(f"best_credit: expected CastMember, got',
        "050-list-item-parser-once": "for known_for_item_data in _known_for:",
        "060-skip-empty-params": "if params:",
        "070-lazy-package-init": "if not TYPE_CHECKING:",
        "080-parse-errors": "raise ParseError.not_an_object(cls.__name__, src_dict) from None",
        "081-parse-error-type": "class ParseError(TypeError, ValueError):",
        "083-union-media-type-dispatch": 'if _media_type == "movie":',
        "084-open-enum-pass-through": 'gender = d.pop("gender", UNSET)',
        "085-literal-enum-type-guard": "def is_gender(value: object) -> TypeGuard[Gender]:",
        "090-repr-without-unset": "def __repr__(self) -> str:",
        "095-unset-singleton": "def __reduce__(self) -> str:",
        "own models_init": "_MODULE_OF: dict[str, str] = {",
    }
    missing = {concern: mark for concern, mark in marks.items() if mark not in text}
    assert missing == {}
    edits = sorted(p.stem for p in (ROOT / "generator" / "edits").glob("*.yaml"))
    assert sorted(k for k in marks if k[0].isdigit()) == edits
