"""The wheel's long description is the README for users (without its opening `make` / `make test` block),
and the `[otel]` extra installs what the README's OpenTelemetry example imports."""
from __future__ import annotations

import ast
import importlib.metadata
import re
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from hatch_build import MAINTAINERS_ONLY, long_description

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def metadata() -> Message:
    wheels = sorted((ROOT / "dist").glob("tmdb_sdk_internal-*.whl"))
    if not wheels:
        pytest.fail("dist/ has no wheel: run `make` first")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(wheel.read(name).decode("utf-8"))


def test_the_readme_opens_with_the_two_commands_for_maintainers() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = MAINTAINERS_ONLY
    block = text[text.index(start) + len(start):text.index(end)]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip() and "```" not in line]
    assert commands == ["make", "make test"]
    assert text.index(start) < text.index("\n## ")  # before any section for users


def test_the_wheels_long_description_is_the_readme_for_users(metadata: Message) -> None:
    body = metadata.get_payload()
    assert isinstance(body, str)
    assert metadata["Description-Content-Type"] == "text/markdown"
    expected = long_description(README.read_text(encoding="utf-8")).strip()
    assert body.strip() == expected, "the wheel's long description is not README.md for users: run `make`"
    assert body.startswith("# tmdb-sdk-internal\n\nA typed Python client")
    assert "make test" not in body and "maintainers only" not in body
    for heading in ("## Install", "## Hello world", "## Paging", "## Testing a service"):
        assert f"\n{heading}\n" in body


@pytest.mark.parametrize(
    "text",
    [
        "# t\n\nno markers\n",
        f"# t\n{MAINTAINERS_ONLY[1]}\nmake\n{MAINTAINERS_ONLY[0]}\n",
        f"# t\n{MAINTAINERS_ONLY[0]}\nmake\n{MAINTAINERS_ONLY[1]}\n{MAINTAINERS_ONLY[0]}\n",
    ],
)
def test_a_readme_without_its_markers_fails_the_build_naming_them(text: str) -> None:
    with pytest.raises(ValueError, match="the long description needs the markers"):
        long_description(text)


def test_the_marked_block_alone_is_left_out() -> None:
    start, end = MAINTAINERS_ONLY
    assert long_description(f"# t\n\n{start}\nmake\n{end}\n\nFor users.\n") == "# t\n\nFor users.\n"


def distribution_of(module: str) -> str:
    """The installed distribution holding `module`'s files."""
    path = module.replace(".", "/")
    wanted = {f"{path}.py", f"{path}/__init__.py"}
    for dist in importlib.metadata.distributions():
        if any(str(file) in wanted for file in dist.files or ()):
            return str(dist.metadata["Name"]).lower().replace("_", "-")
    raise AssertionError(f"no installed distribution holds {module}")


def test_the_otel_extra_installs_what_the_readme_example_imports(metadata: Message) -> None:
    text = README.read_text(encoding="utf-8")
    code = re.search(r"^<!-- example: telemetry -->\n```python\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    assert code, "README.md: no telemetry example"
    modules = {node.module for node in ast.walk(ast.parse(code[1])) if isinstance(node, ast.ImportFrom) and node.module}
    needed = {distribution_of(m) for m in modules if m.startswith("opentelemetry")}
    assert "opentelemetry-sdk" in needed
    otel = set()
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is not None and requirement.marker.evaluate({"extra": "otel"}):
            otel.add(requirement.name.lower())
    assert needed <= otel, f"[otel] installs {sorted(otel)}, the README's example needs {sorted(needed)}"
