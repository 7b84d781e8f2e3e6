"""scripts/template_edits.py: edit files are checked, applied exactly, and a stale one fails by name."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from scripts.common import run_main
from scripts.generate import main as generate_main
from scripts.template_edits import (
    EditFile,
    TemplateEditError,
    apply_edits,
    build_effective,
    edit_file_paths,
    effective_templates,
    generator_version,
    installed_templates,
    load_edit_file,
    load_edit_files,
    parse_edit_file,
    template_diff,
    write_templates,
)

ROOT = Path(__file__).resolve().parents[2]
EDITS = ROOT / "generator" / "edits"
OWN = ROOT / "generator" / "own-templates"


def edit(**overrides: Any) -> dict[str, Any]:
    return {"name": "e", "reason": "why", "anchor": "B\n", "count": 1, "action": "replace", "text": "X\n", **overrides}


def edit_file(*edits: dict[str, Any], template: str = "t.jinja", path: str = "010-test.yaml") -> EditFile:
    return parse_edit_file({"template": template, "reason": "why", "edits": list(edits)}, Path(path))


@pytest.mark.parametrize(
    ("action", "expected"),
    [("replace", "A\nX\nC\n"), ("before", "A\nX\nB\nC\n"), ("after", "A\nB\nX\nC\n")],
)
def test_each_action(action: str, expected: str) -> None:
    assert apply_edits("A\nB\nC\n", edit_file(edit(action=action)), "1.0") == expected


def test_replace_with_nothing_deletes_every_counted_match() -> None:
    assert apply_edits("B\nA\nB\n", edit_file(edit(count=2, text="")), "1.0") == "A\n"


def test_edits_apply_in_order_each_to_the_previous_result() -> None:
    first, second = edit(name="one", text="Y\n"), edit(name="two", anchor="Y\n", text="Z\n")
    assert apply_edits("A\nB\n", edit_file(first, second), "1.0") == "A\nZ\n"


@pytest.mark.parametrize(("text", "found"), [("A\nC\n", 0), ("B\nB\n", 2)], ids=["missing", "ambiguous"])
def test_a_count_mismatch_names_the_file_the_edit_and_the_generator_version(text: str, found: int) -> None:
    with pytest.raises(TemplateEditError) as error:
        apply_edits(text, edit_file(edit(name="the-edit")), "9.8.7")
    assert str(error.value) == (
        f"010-test.yaml: edit 'the-edit': anchor found {found} times in t.jinja of openapi-python-client 9.8.7, "
        "expected 1 (anchor starts 'B'); the installed template changed: re-anchor the edit or drop it"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], r"010-test\.yaml: expected a mapping with keys template, reason, edits, got list"),
        ({"template": "t", "edits": [edit()]}, r"010-test\.yaml: missing reason"),
        ({"template": "t", "reason": "r", "edits": [edit()], "extra": 1}, r"unknown extra"),
        ({"template": "../t", "reason": "r", "edits": [edit()]}, r"`template` must be a path under"),
        ({"template": "/t", "reason": "r", "edits": [edit()]}, r"`template` must be a path under"),
        ({"template": "t", "reason": " ", "edits": [edit()]}, r"`reason` must be a non-empty string"),
        ({"template": "t", "reason": "r", "edits": []}, r"`edits` must be a non-empty list"),
        ({"template": "t", "reason": "r", "edits": [edit(count=0)]}, r"edits\[0\] \('e'\): `count` must be a whole"),
        ({"template": "t", "reason": "r", "edits": [edit(count=True)]}, r"`count` must be a whole number"),
        ({"template": "t", "reason": "r", "edits": [edit(count="1")]}, r"`count` must be a whole number"),
        ({"template": "t", "reason": "r", "edits": [edit(action="delete")]}, r"`action` must be one of replace"),
        ({"template": "t", "reason": "r", "edits": [edit(anchor="")]}, r"`anchor` must be a non-empty string"),
        ({"template": "t", "reason": "r", "edits": [edit(action="after", text="")]}, r"`text` must be a non-empty"),
        ({"template": "t", "reason": "r", "edits": [edit(text=None)]}, r"`text` must be a string, got None"),
        ({"template": "t", "reason": "r", "edits": [edit(name=3)]}, r"edits\[0\]: `name` must be a non-empty string"),
        ({"template": "t", "reason": "r", "edits": [{"name": "e"}]}, r"edits\[0\]: missing reason, anchor, count"),
        ({"template": "t", "reason": "r", "edits": [edit(), edit()]}, r"edit names must be unique, repeated: e"),
    ],
)
def test_a_malformed_edit_file_is_named(data: Any, message: str) -> None:
    with pytest.raises(TemplateEditError, match=message):
        parse_edit_file(data, Path("010-test.yaml"))


def test_invalid_yaml_is_named(tmp_path: Path) -> None:
    (tmp_path / "010-bad.yaml").write_text("template: [\n", encoding="utf-8")
    with pytest.raises(TemplateEditError, match=r"010-bad\.yaml: not valid YAML"):
        load_edit_file(tmp_path / "010-bad.yaml")


def test_edit_files_are_read_in_name_order(tmp_path: Path) -> None:
    for name in ("020-b.yaml", "010-a.yml", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in edit_file_paths(tmp_path)] == ["010-a.yml", "020-b.yaml"]
    assert edit_file_paths(tmp_path / "absent") == []


def test_two_files_editing_one_template_stack(tmp_path: Path) -> None:
    (tmp_path / "t.jinja").write_text("A\nB\n", encoding="utf-8")
    first = edit_file(edit(text="Y\n"), path="010-a.yaml")
    second = edit_file(edit(anchor="Y\n", action="after", text="Z\n"), path="020-b.yaml")
    assert effective_templates(tmp_path, [first, second], None, "1.0") == {"t.jinja": "A\nY\nZ\n"}


def test_an_edit_of_a_template_the_generator_lacks_fails(tmp_path: Path) -> None:
    with pytest.raises(TemplateEditError, match=r"010-test\.yaml: openapi-python-client 1\.0 has no template t\.jinja"):
        effective_templates(tmp_path, [edit_file(edit())], None, "1.0")


def test_own_templates_are_added_whole_and_cannot_also_be_edited(tmp_path: Path) -> None:
    installed, own = tmp_path / "installed", tmp_path / "own"
    (own / "sub").mkdir(parents=True)
    installed.mkdir()
    (own / "sub" / "t.jinja").write_text("mine\n", encoding="utf-8")
    assert effective_templates(installed, [], own, "1.0") == {"sub/t.jinja": "mine\n"}
    with pytest.raises(TemplateEditError, match=r"sub/t\.jinja is the project's own template"):
        effective_templates(installed, [edit_file(edit(), template="sub/t.jinja")], own, "1.0")


def test_write_templates_replaces_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "build" / "templates"
    write_templates({"a.jinja": "1", "sub/b.jinja": "2"}, out)
    write_templates({"c.jinja": "3"}, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["c.jinja"]
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["templates"]


def test_template_diff_shows_the_change_against_the_installed_file(tmp_path: Path) -> None:
    (tmp_path / "t.jinja").write_text("A\nB\n", encoding="utf-8")
    diff = template_diff(tmp_path, {"t.jinja": "A\nX\n", "new.jinja": "N"})
    assert diff.splitlines() == [
        "--- installed/t.jinja", "+++ effective/t.jinja", "@@ -1,2 +1,2 @@", " A", "-B", "+X",
        "--- /dev/null", "+++ effective/new.jinja", "@@ -0,0 +1 @@", "+N", "\\ No newline at end of file",
    ]  # fmt: skip


# The project's own edit files, against the installed generator.


def test_every_project_edit_applies_to_the_installed_generator() -> None:
    effective = build_effective(EDITS, OWN)
    edited = {f.template for f in load_edit_files(EDITS)}
    assert set(effective) == edited | {"models_init.py.jinja"}


def test_project_edit_files_are_one_concern_each_with_numbered_names() -> None:
    paths = edit_file_paths(EDITS)
    assert paths, "generator/edits is empty"
    for path in paths:
        assert path.name[:3].isdigit() and path.name[3] == "-", path.name
        load_edit_file(path)


def moved_anchor_copy(tmp_path: Path) -> Path:
    """A copy of the installed templates where one anchor moved (re-indented), as an upgrade might do."""
    installed = tmp_path / "templates"
    shutil.copytree(installed_templates(), installed)
    endpoint = installed / "endpoint_module.py.jinja"
    text = endpoint.read_text(encoding="utf-8")
    moved = text.replace('        "params": params,\n', '            "params": params,\n')
    assert moved != text
    endpoint.write_text(moved, encoding="utf-8")
    return installed


MOVED_MESSAGE = (
    "generator/edits/060-skip-empty-params.yaml: edit 'no-params-key': anchor found 0 times in "
    "endpoint_module.py.jinja of openapi-python-client {version}, expected 1 (anchor starts "
    "'{{% if endpoint.query_parameters %}}'); the installed template changed: re-anchor the edit or drop it"
)


def test_a_moved_anchor_fails_naming_the_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = moved_anchor_copy(tmp_path)
    monkeypatch.chdir(ROOT)
    with pytest.raises(TemplateEditError) as error:
        effective_templates(installed, load_edit_files(Path("generator/edits")), OWN, generator_version())
    assert str(error.value) == MOVED_MESSAGE.format(version=generator_version())


def test_a_moved_anchor_fails_the_generate_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The generate step (as make runs it) exits 1 with that message and writes nothing."""
    installed = moved_anchor_copy(tmp_path)
    monkeypatch.setattr("scripts.template_edits.installed_templates", lambda: installed)
    monkeypatch.chdir(ROOT)
    (tmp_path / "VERSION").write_text("1.0.0\n", encoding="utf-8")
    (tmp_path / "openapi.json").write_text("{}", encoding="utf-8")
    argv = ["generate", "--spec", str(tmp_path / "openapi.json"), "--config", "generator/config.yaml",
            "--edits", "generator/edits", "--own-templates", "generator/own-templates",
            "--effective-templates", str(tmp_path / "effective"), "--version-file", str(tmp_path / "VERSION"),
            "--out", str(tmp_path / "generated")]  # fmt: skip
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as exit_:
        run_main(generate_main)
    assert exit_.value.code == 1
    assert capsys.readouterr().err == f"error: {MOVED_MESSAGE.format(version=generator_version())}\n"
    assert not (tmp_path / "effective").exists()
    assert not any((tmp_path / "generated").iterdir())
