"""The debug CLI (`tmdb`, `python -m tmdb_sdk`), run as a subprocess against the testing kit's FakeTMDB
through TMDB_BASE_URL: commands made from the index, JSON out, --raw, v4, help, and the exit codes."""

from __future__ import annotations

import json
import os
import pty
import select
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from tmdb_sdk.cli import EXIT_CODES, exit_code
from tmdb_sdk.errors import ConnectionError, NotFoundError, ServerError, TimeoutError
from tmdb_sdk.testing import FakeTMDB

ROOT = Path(__file__).resolve().parents[2]
PYTHONPATH = os.pathsep.join([str(ROOT / "runtime"), str(ROOT / "generated")])


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTMDB]:
    with FakeTMDB() as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(fake: FakeTMDB) -> None:
    fake.reset()


def environ(fake: FakeTMDB | None, **changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "PYTEST_"))}
    env.update(fake.environ if fake is not None else {})
    env["PYTHONPATH"] = PYTHONPATH
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def tmdb(*argv: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tmdb_sdk", *argv], env=dict(env), capture_output=True, text=True,
                          timeout=60, check=False)


def test_details_with_parts_and_a_language(fake: FakeTMDB) -> None:
    run = tmdb("movies", "details", "550", "--append", "credits", "--append", "images,videos", "--language", "de",
               env=environ(fake))
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("\n") == 1  # not a terminal: one line of JSON
    assert json.loads(run.stdout)["title"]
    sent = fake.calls("movies_details")[-1]
    assert sent.path == "/3/movie/550"
    assert sent.param("append_to_response") == "credits,images,videos" and sent.param("language") == "de"


def test_options_take_the_python_name_or_the_dashed_one_typed_by_the_index(fake: FakeTMDB) -> None:
    run = tmdb("--pretty", "search", "movie", "--query", "fight club", "--primary-release-year", "1999",
               "--include_adult", "false", "--page", "2", env=environ(fake))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("{\n  ")  # --pretty
    sent = fake.calls("search_movie")[-1]
    assert (sent.param("query"), sent.param("primary_release_year"), sent.param("include_adult"), sent.param("page")) \
        == ("fight club", "1999", "false", "2")
    assert tmdb("search", "movie", "--query", "x", "--page", "two", env=environ(fake)).returncode == 2


def test_raw_shows_status_and_headers(fake: FakeTMDB) -> None:
    fake.respond("genres_movie_list", headers={"X-Probe": "yes"})
    run = tmdb("--raw", "genres", "movie_list", env=environ(fake))
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout)
    assert shown["status"] == 200 and shown["headers"]["x-probe"] == "yes"
    assert shown["body"]["genres"][0]["name"]


def test_v4_takes_the_token_from_the_environment(fake: FakeTMDB) -> None:
    run = tmdb("v4", "lists", "details", "7", env=environ(fake, TMDB_API_KEY=None))
    assert run.returncode == 0, run.stderr
    assert fake.calls("v4_lists_details")[-1].path == "/4/list/7"
    assert fake.calls("v4_lists_details")[-1].headers["authorization"] == f"Bearer {fake.access_token}"
    no_token = tmdb("v4", "lists", "details", "7", env=environ(fake, TMDB_ACCESS_TOKEN=None))
    assert no_token.returncode == 3 and "v4 accepts only a bearer token" in no_token.stderr


def test_a_body_as_json(fake: FakeTMDB) -> None:
    run = tmdb("movies", "add_rating", "550", "--body", '{"value": 8.5}', env=environ(fake))
    assert run.returncode == 0, run.stderr
    assert fake.calls("movies_add_rating")[-1].body == {"value": 8.5}


@pytest.mark.parametrize(
    ("argv", "queue", "code", "said"),
    [
        (["movies", "details", "550"], None, 0, ""),
        (["movies", "detials", "550"], None, 2, "invalid choice: 'detials'"),
        (["movies", "details", "x"], None, 2, "invalid int value: 'x'"),
        (["search", "movie"], None, 2, "missing required argument: query"),
        (["movies", "details", "1", "--append", "credit"], None, 2, "--append: credit is not a part of movies.details"),
        (["movies", "details", "1"], (401, 7), 3, "AuthenticationError"),
        (["movies", "details", "1"], (404, 34), 4, "NotFoundError: movies_details failed with HTTP 404"),
        (["movies", "details", "1"], (429, 25), 5, "RateLimitError"),
        (["movies", "details", "1"], (500, 11), 6, "ServerError"),
        (["movies", "details", "1"], (400, 22), 6, "BadRequestError"),
    ],
)
def test_exit_codes_follow_the_error_class(
    fake: FakeTMDB, argv: list[str], queue: tuple[int, int] | None, code: int, said: str
) -> None:
    if queue is not None:
        status, status_code = queue
        if status == 429:
            fake.queue_rate_limit(retry_after=0, times=5)
        else:
            fake.queue_error(status, status_code=status_code, times=5)
    run = tmdb(*argv, env=environ(fake))
    assert run.returncode == code, run.stderr
    assert said in run.stderr
    if code:
        assert run.stdout == ""


def test_no_credentials_is_a_configuration_error(fake: FakeTMDB) -> None:
    run = tmdb("movies", "details", "1", env=environ(fake, TMDB_API_KEY=None, TMDB_ACCESS_TOKEN=None))
    assert run.returncode == 3 and "ConfigurationError: no TMDB credentials" in run.stderr


def test_a_refused_connection_is_a_transport_error() -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = environ(None, TMDB_API_KEY="k" * 32, TMDB_BASE_URL=f"http://127.0.0.1:{port}")
    run = tmdb("movies", "details", "1", env=env)
    assert run.returncode == 7 and "ConnectionError" in run.stderr


def test_raw_errors_show_status_headers_and_body(fake: FakeTMDB) -> None:
    fake.queue_error(404, status_code=34, headers={"X-Probe": "missing"})
    run = tmdb("--raw", "movies", "details", "1", env=environ(fake))
    assert run.returncode == 4
    shown = json.loads(run.stdout)
    assert shown["status"] == 404 and shown["headers"]["x-probe"] == "missing" and shown["body"]["status_code"] == 34


def test_the_exit_code_table() -> None:
    assert [exit_code(e) for e in (NotFoundError(404), ServerError(503), TimeoutError("t"), ConnectionError("c"))] \
        == [4, 6, 7, 7]
    assert {code for _cls, code in EXIT_CODES} == {2, 3, 4, 5, 6, 7}


def test_help_lists_resources_and_an_operation_s_parameters() -> None:
    top = tmdb("--help", env=environ(None))
    assert top.returncode == 0
    for resource in ("movies", "movie_lists", "tv_series", "search", "v4"):
        assert f"\n    {resource} " in top.stdout
    assert "exit codes: 0 ok, 2 usage" in top.stdout
    details = tmdb("movies", "details", "--help", env=environ(None))
    assert details.returncode == 0
    assert "usage: tmdb movies details [-h] [--language STR] [--append PART] movie_id" in details.stdout
    assert "movie_id        int, required" in details.stdout
    assert "Details (GET /3/movie/{movie_id}: tmdb.movies.details" in details.stdout  # the summary, from the index
    assert "    details           Details\n" in tmdb("movies", "--help", env=environ(None)).stdout
    assert "credits," in details.stdout and "watch/providers" in details.stdout
    search = tmdb("search", "movie", "--help", env=environ(None)).stdout
    assert "--query STR" in search and "str, required" in search and "--page INT" in search
    v4 = tmdb("v4", "--help", env=environ(None)).stdout
    assert "account" in v4 and "lists" in v4


def test_pretty_on_a_terminal(fake: FakeTMDB) -> None:
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "tmdb_sdk", "genres", "movie_list"], env=environ(fake),
                                   stdout=follower, stderr=subprocess.PIPE)
        os.close(follower)
        chunks: list[bytes] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the follower side closed: the process is done
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif process.poll() is not None:
                break
        assert process.wait(timeout=30) == 0
    finally:
        os.close(leader)
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    assert text.startswith('{\n  "genres": [\n')


def test_the_console_script_is_declared_and_packaged() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert declared == {"tmdb": "tmdb_sdk.cli:main"}
    wheels = sorted((ROOT / "dist").glob("tmdb_sdk_internal-*.whl"))
    if not wheels:
        pytest.fail("dist/ has no wheel: run `make` first")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        entry_points = next(n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt"))
        assert "tmdb = tmdb_sdk.cli:main" in wheel.read(entry_points).decode()
        assert "tmdb_sdk/__main__.py" in wheel.namelist()
