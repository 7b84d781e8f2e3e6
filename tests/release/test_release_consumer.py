"""A consumer's view: publish to a real local index, install from it alone, call the API.

pypiserver runs on 127.0.0.1 with an htpasswd account; `make publish`, run in a built copy of
this checkout (the `checkout` fixture), uploads its dist/ to it. The runtime dependencies are put on the same index (downloaded
with pip's ordinary configuration, pinned by requirements/tools.lock), because the
consumer's pip gets no other source: no configuration file, no find-links, no extra index.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from scripts.publish import versions_on_index
from tests.release.support import REPO, Index, index_only_pip_env, publish_env, run_make

RUNTIME_DEPENDENCIES = ["httpx", "attrs", "python-dateutil", "sniffio", "orjson", "httptools", "hishel[httpx]"]
NETWORK_PATH = "/3/network/{network_id}"

CONSUMER = textwrap.dedent(
    """
    import importlib
    import importlib.metadata
    import json
    import sys

    import tmdb_sdk  # noqa: F401 - the hand-written runtime must import from the wheel
    from tmdb_generated import AuthenticatedClient

    module_name, base_url = sys.argv[1], sys.argv[2]
    operation = importlib.import_module(module_name)
    client = AuthenticatedClient(base_url=base_url, token="consumer-token")
    response = operation.sync_detailed(network_id="213", client=client)
    distribution = importlib.metadata.distribution("tmdb-sdk-internal")
    print(json.dumps({
        "status": int(response.status_code),
        "parsed": response.parsed.to_dict(),
        "version": distribution.version,
        "build_info": json.loads(distribution.read_text("extra_metadata/build-info.json")),
        "tmdb_generated": importlib.import_module("tmdb_generated").__file__,
    }))
    """
)


def operation_module(path: str) -> str:
    """The generated module calling `path`, found in the build: its name follows the spec's tags."""
    api = REPO / "generated" / "tmdb_generated" / "api"
    hits = sorted(p for p in api.rglob("*.py") if f'"{path}"' in p.read_text(encoding="utf-8"))
    assert len(hits) == 1, f"expected one generated module for {path}, found {hits}"
    return ".".join(hits[0].relative_to(REPO / "generated").with_suffix("").parts)


def put_dependencies_on(index: Index) -> None:
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:"]
    command += ["-c", str(REPO / "requirements" / "tools.lock"), "-d", str(index.packages), *RUNTIME_DEPENDENCIES]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        pytest.skip(f"runtime dependencies cannot be downloaded for the local index (offline?): {result.stderr[-500:]}")


def build_info() -> dict[str, Any]:
    record: dict[str, Any] = json.loads((REPO / "generated" / "tmdb_generated" / "build-info.json").read_text())
    return record


def test_publish_install_from_the_index_alone_and_call_an_operation(
    index: Index, checkout: Path, tmp_path: Path, httpserver: HTTPServer
) -> None:
    published = run_make("publish", f"REPOSITORY_URL={index.url}", env=publish_env(), cwd=checkout)
    assert published.returncode == 0, published.stdout + published.stderr
    expected = build_info()
    assert versions_on_index(index.simple, "tmdb-sdk-internal") == {expected["version"]}

    put_dependencies_on(index)
    venv = tmp_path / "consumer"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--index-url", index.simple, "tmdb-sdk-internal"],
        capture_output=True, text=True, env=index_only_pip_env(), timeout=300, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    assert f"Looking in indexes: {index.simple}\n" in install.stdout, "pip looked beyond the internal index"

    network = {"id": 213, "name": "Netflix", "headquarters": "Los Gatos, California, United States"}
    httpserver.expect_request(
        "/3/network/213", method="GET", headers={"Authorization": "Bearer consumer-token"}
    ).respond_with_json(network)
    script = tmp_path / "consumer.py"
    script.write_text(CONSUMER, encoding="utf-8")
    ran = subprocess.run(
        [str(python), str(script), operation_module(NETWORK_PATH), httpserver.url_for("/").rstrip("/")],
        capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    seen = json.loads(ran.stdout)
    assert seen["status"] == 200
    assert seen["parsed"]["headquarters"] == network["headquarters"]
    assert seen["version"] == expected["version"]
    assert seen["build_info"] == expected
    assert seen["tmdb_generated"].startswith(str(venv)), "imported from the checkout instead of the installed wheel"


def test_publishing_the_same_version_twice_is_refused(index: Index, checkout: Path) -> None:
    first = run_make("publish", f"REPOSITORY_URL={index.url}", env=publish_env(), cwd=checkout)
    # The first test may already have published this version to the module's index.
    assert first.returncode == 0 or "already on" in first.stderr, first.stdout + first.stderr
    again = run_make("publish", f"REPOSITORY_URL={index.url}", env=publish_env(), cwd=checkout)
    assert again.returncode != 0
    assert f"tmdb-sdk-internal {build_info()['version']} is already on {index.simple}" in again.stderr
    assert "uploaded" not in again.stdout
