"""generator/edits/010-cast-shadowing.yaml: a field named `cast` no longer shadows typing.cast in from_dict.

Also guards the generated package as a whole: no generated function may assign a local that
shadows a function it calls (the class of defect `cast` belongs to).
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scripts.template_edits import build_effective, write_templates

ROOT = Path(__file__).resolve().parents[1]
EDITS = ROOT / "generator" / "edits"
OWN_TEMPLATES = ROOT / "generator" / "own-templates"
GENERATED = ROOT / "generated" / "tmdb_generated"

# The smallest document that shows the defect: TMDB's credits shape, with `crew` untyped.
SPEC = """
openapi: 3.0.3
info: {title: cast shadowing, version: "1"}
paths:
  /credits:
    get:
      operationId: get_credits
      responses:
        "200":
          description: credits
          content:
            application/json:
              schema:
                type: object
                properties:
                  %s
"""
CAST = "cast: {type: array, items: {type: object, properties: {name: {type: string}}}}"
CREW = "crew: {type: array, items: {}}"


def generate(tmp: Path, properties: list[str], templates: bool) -> Any:
    spec = tmp / "spec.yaml"
    spec.write_text(SPEC % "\n                  ".join(properties), encoding="utf-8")
    # a package name of its own per test: importlib caches modules by name
    out = tmp / f"client_{'custom' if templates else 'stock'}_{abs(hash(str(tmp)))}"
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec),
               "--meta", "none", "--output-path", str(out), "--fail-on-warning"]  # fmt: skip
    if templates:
        effective = write_templates(build_effective(EDITS, OWN_TEMPLATES), tmp / "templates")
        command += ["--custom-template-path", str(effective)]
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=tmp)
    sys.path.insert(0, str(tmp))
    try:
        module = importlib.import_module(f"{out.name}.models.get_credits_response_200")
    finally:
        sys.path.remove(str(tmp))
    return module.GetCreditsResponse200


@pytest.mark.parametrize("order", [[CAST, CREW], [CREW, CAST]], ids=["cast-first", "crew-first"])
def test_credits_with_an_untyped_sibling_parse(tmp_path: Path, order: list[str]) -> None:
    model = generate(tmp_path, order, templates=True)
    parsed = model.from_dict({"cast": [{"name": "Ed Norton"}], "crew": [{"job": "Director"}]})
    assert parsed.cast[0].name == "Ed Norton" and parsed.crew == [{"job": "Director"}]
    assert parsed.to_dict() == {"cast": [{"name": "Ed Norton"}], "crew": [{"job": "Director"}]}


def test_the_stock_template_still_has_the_defect(tmp_path: Path) -> None:
    """If this starts failing, upstream fixed it and generator/edits/010-cast-shadowing.yaml can go."""
    model = generate(tmp_path, [CAST, CREW], templates=False)
    with pytest.raises(TypeError, match="not callable"):
        model.from_dict({"cast": [], "crew": []})


def shadowing_locals(source: str) -> list[str]:
    """Functions that assign a local with the name of a function they call (e.g. `cast`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            stored = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            called = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
            found += [f"{node.name}: {name}" for name in sorted(stored & called)]
    return found


def test_shadowing_check_sees_the_defect() -> None:
    assert shadowing_locals("def f(d):\n    cast = []\n    return cast(int, d)\n") == ["f: cast"]


def test_no_generated_function_shadows_a_function_it_calls() -> None:
    assert GENERATED.is_dir(), "run `make` first: the generated package is missing"
    problems = [f"{path.relative_to(GENERATED)}: {hit}" for path in sorted(GENERATED.rglob("*.py"))
                for hit in shadowing_locals(path.read_text(encoding="utf-8"))]  # fmt: skip
    assert problems == []
