"""The testing kit from the built wheel alone: its data file is packaged, and the README's consumer
test passes under pytest with the plugin enabled as the README says."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CONSUMER_TEST = re.compile(r"^<!-- consumer-test: (?P<name>[\w-]+) -->\n```python\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)
PLUGIN_LINE = 'pytest_plugins = ["tmdb_sdk.testing.pytest_plugin"]'


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheels = sorted((ROOT / "dist").glob("tmdb_sdk_internal-*.whl"))
    if not wheels:
        pytest.fail("dist/ has no wheel: run `make` first")
    target = tmp_path_factory.mktemp("wheel")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        assert "tmdb_generated/_stand_in.json.gz" in wheel.namelist()
        assert "tmdb_sdk/testing/pytest_plugin.py" in wheel.namelist()
        wheel.extractall(target)
    return target


def run(args: list[str], cwd: Path, wheel: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "PYTEST_", "PYTHON"))}
    env["PYTHONPATH"] = str(wheel)  # the wheel's packages only: not runtime/ or generated/
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_the_kit_runs_from_the_wheel(unpacked_wheel: Path, tmp_path: Path) -> None:
    script = (
        "import tmdb_sdk, tmdb_sdk.testing as kit\n"
        "with kit.FakeTMDB() as fake, fake.client() as tmdb:\n"
        "    print(tmdb.movies.details(550).title, tmdb_sdk.__file__)\n"
    )
    result = run(["-c", script], tmp_path, unpacked_wheel)
    assert result.returncode == 0, result.stderr
    title, location = result.stdout.split(maxsplit=1)[0], result.stdout.rsplit(maxsplit=1)[-1]
    assert title == "Finding" and location.startswith(str(unpacked_wheel))


@pytest.mark.parametrize("name", [m["name"] for m in CONSUMER_TEST.finditer(README.read_text(encoding="utf-8"))])
def test_the_readme_consumer_test_passes_under_pytest(name: str, unpacked_wheel: Path, tmp_path: Path) -> None:
    code = next(m["code"] for m in CONSUMER_TEST.finditer(README.read_text(encoding="utf-8")) if m["name"] == name)
    assert f"# conftest.py: {PLUGIN_LINE}" in code
    (tmp_path / "conftest.py").write_text(PLUGIN_LINE + "\n", encoding="utf-8")
    (tmp_path / "test_consumer.py").write_text(code, encoding="utf-8")
    result = run(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio", "test_consumer.py"],
                 tmp_path, unpacked_wheel)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b1 passed\b", result.stdout), result.stdout


def test_the_fixture_fails_a_test_whose_requests_break_the_spec(unpacked_wheel: Path, tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(PLUGIN_LINE + "\n", encoding="utf-8")
    (tmp_path / "test_bad.py").write_text(
        "def test_bad(tmdb_fake):\n"
        "    with tmdb_fake.client(retry=None) as tmdb:\n"
        "        try:\n"
        "            tmdb.movies.details(550, language='German')\n"
        "        except Exception:\n"
        "            pass  # a service that swallows errors still fails its test\n",
        encoding="utf-8",
    )
    result = run(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio", "test_bad.py"],
                 tmp_path, unpacked_wheel)
    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 error" in result.stdout and "request breaks the spec" in result.stdout
