"""Runs the examples of the README's "Keeping a catalogue in sync" guide against loopback stand-ins of
TMDB and its export host (FakeTMDB has no export host, so these are not among the README examples that
tests/runtime/test_readme.py runs). An example is a ```python block right after a
`<!-- catalogue-example: NAME -->` line; each `# -> text` comment is a line it must print, in order."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from catalogue_support import Answer, ChangesHost, DetailsHost, ExportHost, Loopback, export_bytes, name_of

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "README.md"
EXAMPLE = re.compile(r"^<!-- catalogue-example: (?P<name>[\w-]+) -->\n```python\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)
EXPECTED = re.compile(r"# -> (.*)$", re.MULTILINE)


def examples() -> dict[str, str]:
    return {m["name"]: m["code"] for m in EXAMPLE.finditer(GUIDE.read_text(encoding="utf-8"))}


@pytest.fixture
def tmdb_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """One loopback server for all of it: the export host (today's file not out yet), the movie change
    list (4 ids changed yesterday, and an adult one), and movie details (12 gone, 13 failing)."""
    today = dt.datetime.now(dt.UTC).date()
    exports = ExportHost()
    exports.files[name_of("movie", today - dt.timedelta(days=1))] = export_bytes(
        [{"adult": i == 99, "id": i, "original_title": f"M{i}", "popularity": 1.0, "video": False}
         for i in (10, 11, 12, 13, 14, 99)])  # fmt: skip
    changes = ChangesHost(changes={"movie": {today - dt.timedelta(days=1): [
        (10, False), (11, False), (12, False), (13, False), (99, True)]}})  # fmt: skip
    details = DetailsHost(gone={12}, broken={13})

    def answer(path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        if path.startswith("/p/exports/"):
            return exports.answer(path, query, headers)
        if path.endswith("/changes"):
            return changes.answer(path, query, headers)
        return details.answer(path, query, headers)

    with Loopback(answer) as loopback:
        monkeypatch.setenv("TMDB_API_KEY", "guide-key")
        monkeypatch.delenv("TMDB_ACCESS_TOKEN", raising=False)
        monkeypatch.setenv("TMDB_BASE_URL", loopback.url)
        monkeypatch.setenv("TMDB_EXPORTS_URL", loopback.url + "/p/exports")
        monkeypatch.chdir(tmp_path)
        yield
        for seen in loopback.seen:  # the export host never got the key
            if seen.path.startswith("/p/exports/"):
                assert "api_key" not in seen.query


def test_the_guide_has_its_examples() -> None:
    assert set(examples()) == {"catalogue-sync", "catalogue-sync-async"}


@pytest.mark.parametrize("name", ["catalogue-sync", "catalogue-sync-async"])
def test_guide_example_runs_and_prints_what_it_says(
    name: str, tmdb_env: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = examples()[name]
    exec(compile(code, f"README.md:{name}", "exec"), {"__name__": "__main__"})  # noqa: S102 - the guide's own code
    printed = capsys.readouterr().out.splitlines()
    assert printed == EXPECTED.findall(code)
    if name == "catalogue-sync":
        assert sorted(map(int, (tmp_path / "movies.ckpt").read_text().split())) == [10, 11, 12]


def test_guide_examples_type_check_strictly(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    files = []
    for name, code in examples().items():
        path = tmp_path / f"{name.replace('-', '_')}.py"
        path.write_text(code, encoding="utf-8")
        files.append(str(path))
    env = {**os.environ, "MYPYPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT / "runtime")])}
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
