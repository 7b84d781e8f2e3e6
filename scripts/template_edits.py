"""The project's template edits, applied to the installed generator's own templates.

usage: python -m scripts.template_edits --edits generator/edits --own generator/own-templates
           [--out build/templates] [--diff]

The project never copies openapi-python-client's templates. Each concern is one file
`generator/edits/NNN-concern.yaml`:

    template: property_templates/union_property.py.jinja   # under openapi_python_client/templates
    reason: why this file exists (one concern)
    edits:
      - name: short-name
        reason: why
        anchor: |          # exact text of the installed template (after earlier edits)
          ...
        count: 1           # how many times the anchor must match
        action: replace    # replace | before | after
        text: |
          ...new text...

Edit files are applied in name order; within a file, edits apply in order, each to the text
the previous ones left. An anchor matching any other number of times than `count` fails the
build, naming the edit file, the edit and the installed generator version: a stale edit never
passes silently. Templates that are wholly the project's own live in `--own` and are used as
they are (they may not also be edited).

The effective templates folder (`--out`) holds only the templates that differ from the
installed ones; openapi-python-client looks there first, then in its own package. `--diff`
prints the effective change against the installed templates as a unified diff.
"""
from __future__ import annotations

import argparse
import difflib
import importlib.metadata
import importlib.util
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from scripts.common import PipelineError, load_yaml, run_main, swap_into_place

GENERATOR_DIST = "openapi-python-client"
GENERATOR_MODULE = "openapi_python_client"
ACTIONS = ("replace", "before", "after")
_FILE_KEYS = ("template", "reason", "edits")
_EDIT_KEYS = ("name", "reason", "anchor", "count", "action", "text")


class TemplateEditError(PipelineError):
    """An edit file is malformed, or no longer fits the installed templates."""


@dataclass(frozen=True)
class Edit:
    name: str
    reason: str
    anchor: str
    count: int
    action: str
    text: str


@dataclass(frozen=True)
class EditFile:
    path: Path
    template: str
    reason: str
    edits: tuple[Edit, ...]


def generator_version() -> str:
    """The version of the installed generator (not the pinned one: they differ until `make venv`)."""
    try:
        return importlib.metadata.version(GENERATOR_DIST)
    except importlib.metadata.PackageNotFoundError as exc:
        raise PipelineError(f"{GENERATOR_DIST} is not installed in {sys.prefix}") from exc


def installed_templates() -> Path:
    """openapi_python_client/templates of the installed generator, found without importing it."""
    spec = importlib.util.find_spec(GENERATOR_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise PipelineError(f"{GENERATOR_DIST} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "templates"


def _where(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _text(data: Mapping[str, Any], key: str, where: str, empty: bool = False) -> str:
    value = data.get(key)
    if not isinstance(value, str) or (not empty and not value.strip()):
        wanted = "a string" if empty else "a non-empty string"
        raise TemplateEditError(f"{where}: `{key}` must be {wanted}, got {value!r}")
    return value


def _keys(data: Any, expected: tuple[str, ...], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise TemplateEditError(f"{where}: expected a mapping with keys {', '.join(expected)}, got {type(data).__name__}")
    missing = [k for k in expected if k not in data]
    unknown = sorted(str(k) for k in data if k not in expected)
    if missing or unknown:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(unknown)}"] if unknown else [])
        raise TemplateEditError(f"{where}: {'; '.join(parts)} (expected keys: {', '.join(expected)})")
    return data


def parse_edit(data: Any, where: str) -> Edit:
    fields = _keys(data, _EDIT_KEYS, where)
    name = _text(fields, "name", where)
    where = f"{where} ({name!r})"
    count = fields["count"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise TemplateEditError(f"{where}: `count` must be a whole number >= 1, got {count!r}")
    action = fields["action"]
    if action not in ACTIONS:
        raise TemplateEditError(f"{where}: `action` must be one of {', '.join(ACTIONS)}, got {action!r}")
    text = _text(fields, "text", where, empty=action == "replace")
    return Edit(name, _text(fields, "reason", where), _text(fields, "anchor", where), count, action, text)


def parse_edit_file(data: Any, path: Path) -> EditFile:
    """Check an edit file's shape; every problem names the file (and the edit)."""
    where = _where(path)
    fields = _keys(data, _FILE_KEYS, where)
    template = _text(fields, "template", where)
    pure = PurePosixPath(template)
    if pure.is_absolute() or ".." in pure.parts or "\\" in template:
        raise TemplateEditError(f"{where}: `template` must be a path under the generator's templates, got {template!r}")
    edits = fields["edits"]
    if not isinstance(edits, list) or not edits:
        raise TemplateEditError(f"{where}: `edits` must be a non-empty list, got {edits!r}")
    parsed = tuple(parse_edit(edit, f"{where}: edits[{i}]") for i, edit in enumerate(edits))
    names = [edit.name for edit in parsed]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise TemplateEditError(f"{where}: edit names must be unique, repeated: {', '.join(repeated)}")
    return EditFile(path, pure.as_posix(), _text(fields, "reason", where), parsed)


def load_edit_file(path: Path) -> EditFile:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateEditError(f"{_where(path)}: not valid YAML: {exc}") from exc
    return parse_edit_file(data, path)


def edit_file_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in {".yaml", ".yml"}) if folder.is_dir() else []


def load_edit_files(folder: Path) -> list[EditFile]:
    return [load_edit_file(path) for path in edit_file_paths(folder)]


def apply_edit(text: str, edit: Edit) -> tuple[str, int]:
    """(new text, number of anchor matches); the text is unchanged unless the count is right."""
    found = text.count(edit.anchor)
    if found != edit.count:
        return text, found
    new = {"replace": edit.text, "before": edit.text + edit.anchor, "after": edit.anchor + edit.text}[edit.action]
    return text.replace(edit.anchor, new), found


def apply_edits(text: str, edit_file: EditFile, version: str) -> str:
    """Apply one file's edits in order; a missing or ambiguous anchor fails, naming the edit."""
    for edit in edit_file.edits:
        text, found = apply_edit(text, edit)
        if found != edit.count:
            first = edit.anchor.strip().splitlines()[0]
            raise TemplateEditError(
                f"{_where(edit_file.path)}: edit {edit.name!r}: anchor found {found} times in "
                f"{edit_file.template} of {GENERATOR_DIST} {version}, expected {edit.count} "
                f"(anchor starts {first!r}); the installed template changed: re-anchor the edit or drop it"
            )
    return text


def own_template_paths(folder: Path | None) -> dict[str, Path]:
    if folder is None or not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def effective_templates(
    installed: Path, edit_files: Iterable[EditFile], own: Path | None, version: str
) -> dict[str, str]:
    """Template path -> text, for every template that differs from the installed one."""
    result: dict[str, str] = {}
    own_paths = own_template_paths(own)
    for edit_file in edit_files:
        if edit_file.template in own_paths:
            raise TemplateEditError(
                f"{_where(edit_file.path)}: {edit_file.template} is the project's own template "
                f"({_where(own_paths[edit_file.template])}): change that file instead"
            )
        source = installed / edit_file.template
        if edit_file.template not in result and not source.is_file():
            raise TemplateEditError(
                f"{_where(edit_file.path)}: {GENERATOR_DIST} {version} has no template {edit_file.template}"
            )
        current = result.get(edit_file.template)
        if current is None:
            current = source.read_text(encoding="utf-8")
        result[edit_file.template] = apply_edits(current, edit_file, version)
    for name, path in own_paths.items():
        result[name] = path.read_text(encoding="utf-8")
    return dict(sorted(result.items()))


def build_effective(edits: Path, own: Path | None) -> dict[str, str]:
    """The effective templates of the installed generator with this project's edits."""
    return effective_templates(installed_templates(), load_edit_files(edits), own, generator_version())


def write_templates(templates: Mapping[str, str], out: Path) -> Path:
    """Materialise `templates` as the folder `out`, replacing what was there."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}-") as tmp:
        staged = Path(tmp) / out.name
        for name, text in templates.items():
            (staged / name).parent.mkdir(parents=True, exist_ok=True)
            (staged / name).write_text(text, encoding="utf-8")
        staged.mkdir(exist_ok=True)
        swap_into_place(staged, out)
    return out


def template_diff(installed: Path, templates: Mapping[str, str]) -> str:
    """Unified diff of each effective template against the installed one (/dev/null if new)."""
    chunks: list[str] = []
    for name, text in templates.items():
        source = installed / name
        before = source.read_text(encoding="utf-8").splitlines(keepends=True) if source.is_file() else []
        chunks += difflib.unified_diff(
            before, text.splitlines(keepends=True),
            fromfile=f"installed/{name}" if before else "/dev/null", tofile=f"effective/{name}",
        )  # fmt: skip
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=Path, required=True, help="folder of NNN-concern.yaml edit files")
    parser.add_argument("--own", type=Path, help="folder of the project's own whole templates")
    parser.add_argument("--out", type=Path, help="write the effective templates folder here")
    parser.add_argument("--diff", action="store_true", help="print the change against the installed templates")
    args = parser.parse_args(argv)
    templates = build_effective(args.edits, args.own)
    if args.out is not None:
        write_templates(templates, args.out)
        print(f"template-edits: {len(templates)} templates ({GENERATOR_DIST} {generator_version()}) -> {args.out}")
    if args.diff:
        print(template_diff(installed_templates(), templates), end="")


if __name__ == "__main__":
    run_main(main)
