"""scripts/validate.py: only a valid OpenAPI 3.0 document becomes the final spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.apply_overlays import read_overlay
from scripts.common import PipelineError, read_json, write_json
from scripts.overlay import apply_overlay
from scripts.validate import main, validation_errors
from tests.pipeline.tiny import document, operation


def _spec() -> dict:
    return document("GET", "/3/movie/{movie_id}", operation("movies_details", "MOVIES", "Details"))


def test_valid_document_is_written_as_the_final_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _spec()
    spec["paths"]["/3/movie/{movie_id}"]["get"]["parameters"] = [
        {"name": "movie_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    ]
    write_json(tmp_path / "overlaid.json", spec)
    main(["--in", str(tmp_path / "overlaid.json"), "--out", str(tmp_path / "openapi.json")])
    assert read_json(tmp_path / "openapi.json") == spec
    assert "is valid OpenAPI 3.0.3" in capsys.readouterr().out


def test_invalid_document_names_the_file_and_where_it_is_wrong(tmp_path: Path) -> None:
    spec = _spec()  # a path template whose parameter is never declared, and a response without a description
    del spec["paths"]["/3/movie/{movie_id}"]["get"]["responses"]["200"]["description"]
    write_json(tmp_path / "overlaid.json", spec)
    with pytest.raises(PipelineError) as error:
        main(["--in", str(tmp_path / "overlaid.json"), "--out", str(tmp_path / "openapi.json")])
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'overlaid.json'}: not a valid OpenAPI 3.0 document:")
    assert "paths//3/movie/{movie_id}/get/responses/200: {'content': " in message
    assert "(root): Path parameter 'movie_id' for 'get' operation in '/3/movie/{movie_id}' was not resolved" in message
    assert not (tmp_path / "openapi.json").exists()


def test_error_list_is_bounded() -> None:
    spec = _spec()
    spec["paths"] = {f"/3/x{i}": {"get": {"responses": {"200": {}}}} for i in range(30)}
    assert len(validation_errors(spec, limit=5)) == 5


def _overlay_file(path: Path, target: str, action: str) -> Path:
    path.write_text(f"overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n"
                    f"  - target: \"{target}\"\n    description: test\n    {action}\n", encoding="utf-8")  # fmt: skip
    return path


@pytest.mark.parametrize("breaking", [0, 1, 2, 3])
def test_invalid_result_names_the_overlay_that_made_it_invalid(tmp_path: Path, breaking: int) -> None:
    merged = _spec()
    merged["paths"]["/3/movie/{movie_id}"]["get"]["parameters"] = [
        {"name": "movie_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    ]
    overlays = [_overlay_file(tmp_path / f"{i}0-fine.yaml", "$.info", f"update: {{x-step: {i}}}") for i in range(4)]
    _overlay_file(overlays[breaking], "$.paths['/3/movie/{movie_id}'].get.responses", "remove: true")
    broken = merged
    for path in overlays:
        broken, _ = apply_overlay(broken, read_overlay(path), str(path))
    write_json(tmp_path / "merged.json", merged)
    write_json(tmp_path / "overlaid.json", broken)
    with pytest.raises(PipelineError, match=rf"not a valid OpenAPI 3\.0 document \(made invalid by "
                       rf"{overlays[breaking]}\):\n  paths//3/movie/{{movie_id}}/get: 'responses' is a required"):  # fmt: skip
        main(["--in", str(tmp_path / "overlaid.json"), "--out", str(tmp_path / "openapi.json"),
              "--merged", str(tmp_path / "merged.json"), "--overlays", str(tmp_path)])  # fmt: skip


def test_document_invalid_before_the_overlays_is_said_so(tmp_path: Path) -> None:
    spec = _spec()
    del spec["paths"]["/3/movie/{movie_id}"]["get"]["responses"]
    write_json(tmp_path / "merged.json", spec)
    with pytest.raises(PipelineError, match=r"document \(already invalid before the overlays\)"):
        main(["--in", str(tmp_path / "merged.json"), "--out", str(tmp_path / "openapi.json"),
              "--merged", str(tmp_path / "merged.json"), "--overlays", str(tmp_path / "none")])  # fmt: skip
