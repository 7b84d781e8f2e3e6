"""scripts/generate.py: a warning-free generator run replaces generated/, anything else leaves it alone."""

from __future__ import annotations

import copy
import importlib.metadata
import importlib.util
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scripts.common import PipelineError, read_json, read_version, sha256_bytes, swap_into_place, write_json
from scripts.coverage import apply_rules
from scripts.generate import build_info, main
from scripts.merge import merge
from tests.pipeline.tiny import document, operation, path_parameter
from tests.pipeline.trees import tree_hash

CONFIG = Path("generator/config.yaml")
EDITS = Path("generator/edits")
OWN_TEMPLATES = Path("generator/own-templates")


def tiny_spec() -> dict[str, Any]:
    """Two operations, merged, then named by rule as the overlay step names what no overlay names."""
    merged = merge([
        {"page": "/m.md", "operation": "GET /3/movie/{movie_id}",
         "document": document("GET", "/3/movie/{movie_id}", operation("details", "MOVIES", "Details"),
                              path_parameters=[path_parameter("movie_id")])},
        {"page": "/l.md", "operation": "GET /4/list/{list_id}",
         "document": document("GET", "/4/list/{list_id}", operation("details", "LISTS", "Details"), version="v4",
                              path_parameters=[path_parameter("list_id")])},
    ])  # fmt: skip
    return apply_rules(merged, merged, [])[0]


def generate(tmp: Path, spec: dict[str, Any], config: Path = CONFIG, edits: Path = EDITS) -> None:
    write_json(tmp / "openapi.json", spec)
    (tmp / "VERSION").write_text("1.2.3\n", encoding="utf-8")
    main(["--spec", str(tmp / "openapi.json"), "--config", str(config), "--edits", str(edits),
          "--own-templates", str(OWN_TEMPLATES), "--effective-templates", str(tmp / "build" / "templates"),
          "--version-file", str(tmp / "VERSION"), "--out", str(tmp / "generated")])  # fmt: skip


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("generate")
    generate(tmp, tiny_spec())
    return tmp


def test_tiny_spec_generates_a_package_with_build_info(generated: Path) -> None:
    package = generated / "generated" / "tmdb_generated"
    assert sorted(p.relative_to(package / "api").as_posix() for p in (package / "api").rglob("*_details.py")) == [
        "movie/movie_details.py", "v4_list/v4_list_details.py",
    ]  # fmt: skip
    info = json.loads((package / "build-info.json").read_text(encoding="utf-8"))
    assert sorted(info.pop("inputs")) == ["generator", "overlays", "pages.lock"]  # scripts/build_inputs.py
    assert info == {
        "version": "1.2.3",
        "spec_sha256": sha256_bytes((generated / "openapi.json").read_bytes()),
        "generator": f"openapi-python-client {importlib.metadata.version('openapi-python-client')}",  # as installed
    }
    assert (package / "py.typed").exists()
    assert [p.name for p in generated.iterdir() if p.name.startswith(".")] == []  # no temporary folder left


def test_the_effective_templates_are_written_and_used(generated: Path) -> None:
    effective = generated / "build" / "templates"
    assert (effective / "models_init.py.jinja").read_bytes() == (OWN_TEMPLATES / "models_init.py.jinja").read_bytes()
    assert "if params:" in (effective / "endpoint_module.py.jinja").read_text(encoding="utf-8")
    package = generated / "generated" / "tmdb_generated"
    assert "_MODULE_OF" in (package / "models" / "__init__.py").read_text(encoding="utf-8")  # the own template
    details = (package / "api" / "movie" / "movie_details.py").read_text(encoding="utf-8")
    assert '"params": params' not in details  # 060-skip-empty-params


def test_a_stale_edit_fails_and_leaves_the_previous_package(generated: Path, tmp_path: Path) -> None:
    edits = tmp_path / "edits"
    edits.mkdir()
    (edits / "010-stale.yaml").write_text(
        "template: model.py.jinja\nreason: r\nedits:\n  - {name: gone, reason: r, anchor: no such text, count: 1,"
        " action: replace, text: x}\n", encoding="utf-8",
    )  # fmt: skip
    before = tree_hash(generated / "generated")
    with pytest.raises(PipelineError, match=r"010-stale\.yaml: edit 'gone': anchor found 0 times in model\.py\.jinja"):
        generate(generated, read_json(generated / "openapi.json"), edits=edits)
    assert tree_hash(generated / "generated") == before


def _assert_fails_and_keeps(generated: Path, spec: dict[str, Any], config: Path, message: str) -> None:
    before = tree_hash(generated / "generated")
    saved_spec = (generated / "openapi.json").read_bytes()
    try:
        with pytest.raises(PipelineError, match=message):
            generate(generated, spec, config)
        assert tree_hash(generated / "generated") == before
        assert [p.name for p in generated.iterdir() if p.name.startswith(".")] == []
    finally:
        (generated / "openapi.json").write_bytes(saved_spec)


def test_generator_warning_fails_and_leaves_the_previous_package(generated: Path) -> None:
    spec = copy.deepcopy(tiny_spec())
    spec["paths"]["/3/movie/{movie_id}"]["get"]["requestBody"] = {
        "content": {"application/xml": {"schema": {"type": "string"}}}
    }
    _assert_fails_and_keeps(
        generated, spec, CONFIG,
        r"(?s)openapi-python-client failed on .*openapi\.json.*WARNING parsing GET /3/movie/\{movie_id\}.*"
        r"Unsupported content type application/xml",
    )  # fmt: skip


def test_generator_failure_fails_and_leaves_the_previous_package(generated: Path) -> None:
    _assert_fails_and_keeps(
        generated, {"openapi": "3.0.3"}, CONFIG, r"(?s)failed on .*Failed to parse OpenAPI document"
    )


def test_bad_generator_config_is_named(generated: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG.read_text(encoding="utf-8") + "class_overrides: 5\n", encoding="utf-8")
    _assert_fails_and_keeps(generated, read_json(generated / "openapi.json"), config,
                            rf"(?s)with {config} \(exit 2\).*Unable to parse config")  # fmt: skip


def test_version_must_be_semantic(tmp_path: Path) -> None:
    (tmp_path / "VERSION").write_text("1.2.3\n", encoding="utf-8")
    assert read_version(tmp_path / "VERSION") == "1.2.3"
    (tmp_path / "VERSION").write_text("v1.2\n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"VERSION: expected a semantic version like 1\.2\.3, got 'v1\.2'"):
        read_version(tmp_path / "VERSION")


def test_build_info_is_stable_json() -> None:
    text = build_info("1.0.0", "ab" * 32, "9.9.9")
    assert json.loads(text) == {"version": "1.0.0", "spec_sha256": "ab" * 32, "generator": "openapi-python-client 9.9.9"}
    assert text == build_info("1.0.0", "ab" * 32, "9.9.9") and text.endswith("}\n")


def test_the_runtime_reads_build_info_from_the_json(generated: Path) -> None:
    """_build_info.py is only a view of build-info.json: edit the JSON, the module follows."""
    package = generated / "generated" / "tmdb_generated"
    spec = importlib.util.spec_from_file_location("build_info_view", package / "_build_info.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    info = json.loads((package / "build-info.json").read_text(encoding="utf-8"))
    assert (module.__version__, module.SPEC_SHA256, module.GENERATOR) == (
        info["version"], info["spec_sha256"], info["generator"],
    )  # fmt: skip


def test_swap_replaces_the_target_and_leaves_no_old_copy(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "f").write_text("new", encoding="utf-8")
    swap_into_place(tmp_path / "new", tmp_path / "out")  # no previous target
    (tmp_path / "newer").mkdir()
    (tmp_path / "newer" / "g").write_text("newer", encoding="utf-8")
    swap_into_place(tmp_path / "newer", tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["g"]


def test_a_warning_fails_the_run_even_when_the_generator_exits_0(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def quiet_success_with_a_warning(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        out = Path(command[command.index("--output-path") + 1])
        out.mkdir(parents=True)
        (out / "__init__.py").write_text("", encoding="utf-8")
        return subprocess.CompletedProcess(command, 0, stdout="Generating\nWarning: something was skipped\n", stderr="")

    monkeypatch.setattr(subprocess, "run", quiet_success_with_a_warning)
    _assert_fails_and_keeps(
        generated, read_json(generated / "openapi.json"), CONFIG, r"(?s)\(exit 0\):.*Warning: something was skipped"
    )
