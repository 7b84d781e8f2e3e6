"""Runs the README's examples as a user would: after the README's prelude, against the shipped
`tmdb_sdk.testing.FakeTMDB`, and checks them with `mypy --strict`.

An example is a ```python block right after an `<!-- example: NAME -->` line. Each `# -> text`
comment is a line the example must print, in order. The prelude is the block after `<!-- prelude -->`:
it starts a FakeTMDB and points the environment at it. The consumer test (`<!-- consumer-test: NAME -->`)
runs under pytest from the wheel in tests/services/test_testing_kit_wheel.py and is type-checked here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmdb_sdk.logs import uninstall as uninstall_log_switch
from tmdb_sdk.testing import FakeTMDB

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = r"^<!-- {kind}: (?P<name>[\w-]+) -->\n```python\n(?P<code>.*?)^```$"
EXAMPLE = re.compile(BLOCK.format(kind="example"), re.MULTILINE | re.DOTALL)
CONSUMER_TEST = re.compile(BLOCK.format(kind="consumer-test"), re.MULTILINE | re.DOTALL)
PRELUDE = re.compile(r"^<!-- prelude -->\n```python\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)
EXPECTED = re.compile(r"# -> (.*)$", re.MULTILINE)
FEATURES = {
    "hello-world", "models", "pagination", "errors", "retries", "images", "append", "cache", "rate-limit",
    "v3-auth", "v4-auth", "async", "dates", "testing-kit", "unknown-kinds",
}
ENVIRONMENT = ("TMDB_API_KEY", "TMDB_ACCESS_TOKEN", "TMDB_BASE_URL", "TMDB_LOG")


def examples() -> dict[str, str]:
    found: dict[str, str] = {}
    for match in EXAMPLE.finditer(README.read_text(encoding="utf-8")):
        assert match["name"] not in found, f"README.md: two examples named {match['name']!r}"
        found[match["name"]] = match["code"]
    return found


def prelude() -> str:
    matches = PRELUDE.findall(README.read_text(encoding="utf-8"))
    assert len(matches) == 1, "README.md: one <!-- prelude --> block, please"
    return str(matches[0])


@pytest.fixture
def readme_environment() -> Iterator[None]:
    """What the prelude and the examples set in os.environ, undone after each example."""
    saved = {name: os.environ.get(name) for name in ENVIRONMENT}
    for name in ENVIRONMENT:
        os.environ.pop(name, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        uninstall_log_switch()  # the logging example turns the log switch on


# The guide pages of the docs site are the README cut at these headings.
GUIDES = (
    "Paging", "Errors and retries", "Caching", "Rate limits across a fleet", "Sign a user in", "Async",
    "append_to_response", "Testing a service",
)


def test_the_readme_has_a_section_per_guide() -> None:
    headings = re.findall(r"^## (.+)$", README.read_text(encoding="utf-8"), re.MULTILINE)
    assert [guide for guide in GUIDES if guide not in headings] == []


def test_the_readme_shows_every_feature() -> None:
    assert FEATURES <= set(examples()), f"missing examples: {sorted(FEATURES - set(examples()))}"


def test_the_prelude_points_the_environment_at_a_fake_tmdb(readme_environment: None) -> None:
    namespace: dict[str, object] = {"__name__": "readme_prelude"}
    exec(compile(prelude(), "README.md:prelude", "exec"), namespace)  # noqa: S102 - the README's own code
    fake = namespace["fake"]
    assert isinstance(fake, FakeTMDB)
    try:
        assert os.environ["TMDB_BASE_URL"] == fake.url.rstrip("/")
        assert os.environ["TMDB_ACCESS_TOKEN"] == fake.access_token
    finally:
        fake.close()


@pytest.mark.parametrize("name", sorted(examples()))
def test_readme_example_prints_what_it_says_against_fake_tmdb(
    name: str, readme_environment: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = examples()[name]
    assert EXPECTED.findall(code), f"{name}: say what the example prints with '# ->' comments"
    namespace: dict[str, object] = {"__name__": f"readme_{name}"}
    exec(compile(prelude(), "README.md:prelude", "exec"), namespace)  # noqa: S102 - the README's own code
    fake = namespace["fake"]
    assert isinstance(fake, FakeTMDB)
    try:
        exec(compile(code, f"README.md:{name}", "exec"), namespace)  # noqa: S102 - the README's own code
    finally:
        fake.close()
    printed = capsys.readouterr().out.splitlines()
    assert printed == EXPECTED.findall(code)


def test_every_readme_example_passes_mypy_strict(tmp_path: Path) -> None:
    """Each example after the prelude, and the consumer test, as the modules a user would write."""
    text = README.read_text(encoding="utf-8")
    modules = {f"readme_{name.replace('-', '_')}.py": prelude() + "\n" + code for name, code in examples().items()}
    modules |= {f"readme_consumer_{m['name'].replace('-', '_')}.py": m["code"] for m in CONSUMER_TEST.finditer(text)}
    for filename, code in modules.items():
        (tmp_path / filename).write_text(code, encoding="utf-8")
    env = {**os.environ, "MYPYPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT / "runtime")])}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context",
         "--cache-dir", str(tmp_path / ".mypy_cache"), *sorted(modules)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(modules) >= len(FEATURES) + 1
