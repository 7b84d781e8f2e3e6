"""Runs the README's client examples against a local stand-in for TMDB.

An example is a ```python block right after an `<!-- example: NAME -->` line. Each `# -> text`
comment is a line the example must print, in order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from runtime_support import ACCESS_TOKEN, API_KEY, CONFIGURATION
from tmdb_sdk.logs import uninstall as uninstall_log_switch
from werkzeug import Request, Response

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLE = re.compile(r"^<!-- example: (?P<name>[\w-]+) -->\n```python\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)
EXPECTED = re.compile(r"# -> (.*)$", re.MULTILINE)
FEATURES = {"connect", "pagination", "errors", "retries", "images", "append", "v3-auth", "v4-auth", "async", "dates"}


def examples() -> dict[str, str]:
    found: dict[str, str] = {}
    for match in EXAMPLE.finditer(README.read_text(encoding="utf-8")):
        assert match["name"] not in found, f"README.md: two examples named {match['name']!r}"
        found[match["name"]] = match["code"]
    return found


MOVIE = {
    "id": 550,
    "title": "Fight Club",
    "poster_path": "/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg",
}
APPENDED = {
    "credits": {"id": 550, "cast": [{"id": 819, "name": "Edward Norton"}], "crew": []},
    "images": {"id": 550, "backdrops": [], "logos": [], "posters": [{"file_path": "/p.jpg"}]},
}


def paged(request: Request) -> Any:
    page = int(request.args.get("page", 1))
    results = [{"id": n, "title": f"Movie {n}"} for n in (2 * page - 1, 2 * page)]
    return {"page": page, "results": results, "total_pages": 3, "total_results": 6}


def movie(request: Request) -> Any:
    parts = request.args.get("append_to_response", "")
    return {**MOVIE, **{part: APPENDED[part] for part in parts.split(",") if part}}


ROUTES: dict[tuple[str, str], Callable[[Request], Any]] = {
    ("GET", "/3/movie/550"): movie,
    ("GET", "/3/genre/movie/list"): lambda r: {"genres": [{"id": 28, "name": "Action"}]},
    ("GET", "/3/movie/popular"): paged,
    ("GET", "/3/search/movie"): paged,
    ("GET", "/3/configuration"): lambda r: CONFIGURATION,
    ("GET", "/3/authentication/token/new"): lambda r: {
        "success": True,
        "expires_at": "2024-12-26 14:43:54 UTC",
        "request_token": "req-token-1",
    },
    ("POST", "/3/authentication/session/new"): lambda r: {"success": True, "session_id": "session-1234567"},
    ("GET", "/3/movie/550/account_states"): lambda r: {
        "id": 550,
        "favorite": False,
        "rated": False,
        "watchlist": False,
    },
    ("DELETE", "/3/authentication/session"): lambda r: {"success": True},
    ("GET", "/3/authentication/guest_session/new"): lambda r: {
        "success": True,
        "guest_session_id": "guest-1234567",
        "expires_at": "2024-12-27 14:43:54 UTC",
    },
    ("POST", "/4/auth/request_token"): lambda r: {"success": True, "status_code": 1, "request_token": "req-token-4"},
    ("POST", "/4/auth/access_token"): lambda r: {
        "success": True,
        "access_token": "user-token-1234567",
        "account_id": "4bc889XXXXXXXXXXXXXXXXXX",
    },
    ("GET", "/4/account/4bc889XXXXXXXXXXXXXXXXXX/lists"): lambda r: {
        "page": 1,
        "results": [],
        "total_pages": 1,
        "total_results": 0,
    },
    ("POST", "/3/authentication/session/convert/4"): lambda r: {"success": True, "session_id": "session-7654321"},
    ("DELETE", "/4/auth/access_token"): lambda r: {"success": True, "status_code": 1},
}
NOT_FOUND = {"success": False, "status_code": 34, "status_message": "The resource you requested could not be found."}


def fake_tmdb(request: Request) -> Response:
    authorised = request.headers.get("Authorization", "").startswith("Bearer ") or (
        "api_key" in request.args and not request.path.startswith("/4/")
    )
    if not authorised:
        body, status = {"success": False, "status_code": 7, "status_message": "Invalid API key"}, 401
    elif (route := ROUTES.get((request.method, request.path))) is not None:
        body, status = route(request), 200
    else:
        body, status = NOT_FOUND, 404
    return Response(json.dumps(body), status=status, content_type="application/json")


@pytest.fixture
def tmdb_env(httpserver: HTTPServer, base_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    httpserver.expect_request(re.compile(".*")).respond_with_handler(fake_tmdb)
    monkeypatch.setenv("TMDB_API_KEY", API_KEY)
    monkeypatch.setenv("TMDB_ACCESS_TOKEN", ACCESS_TOKEN)
    monkeypatch.setenv("TMDB_BASE_URL", base_url)
    monkeypatch.setenv("TMDB_LOG", "")  # the logging example sets it: undone after each example
    yield
    uninstall_log_switch()


def test_the_readme_shows_every_feature() -> None:
    assert FEATURES <= set(examples()), f"missing examples: {sorted(FEATURES - set(examples()))}"


@pytest.mark.parametrize("name", sorted(examples()))
def test_readme_example_runs_and_prints_what_it_says(
    name: str, tmdb_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = examples()[name]
    assert EXPECTED.findall(code), f"{name}: say what the example prints with '# ->' comments"
    exec(compile(code, f"README.md:{name}", "exec"), {"__name__": f"readme_{name}"})  # noqa: S102
    printed = capsys.readouterr().out.splitlines()
    assert printed == EXPECTED.findall(code)
