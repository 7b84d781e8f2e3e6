"""Fixtures for the release tests: the repository, a real local package index, make runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".venv"
USER, PASSWORD = "release-bot", "not-a-real-secret"


@dataclass(frozen=True)
class Index:
    url: str  # twine's upload URL
    simple: str  # PEP 503 simple API
    packages: Path  # the folder pypiserver serves


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_make(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`make` in `cwd` with the tool environment of this checkout (no second venv)."""
    command = ["make", "--no-print-directory", f"VENV={VENV}", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """pypiserver on 127.0.0.1: uploads need the htpasswd account, downloads are open."""
    from passlib.apache import HtpasswdFile

    root = tmp_path_factory.mktemp("index")
    packages = root / "packages"
    packages.mkdir()
    htpasswd = HtpasswdFile(str(root / "htpasswd"), new=True)
    htpasswd.set_password(USER, PASSWORD)
    htpasswd.save()
    port = free_port()
    log = (root / "pypiserver.log").open("w")
    command = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port)]
    command += ["-P", str(root / "htpasswd"), "-a", "update", "--disable-fallback", str(packages)]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}simple/", timeout=1)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"pypiserver did not start: {(root / 'pypiserver.log').read_text()}") from None
                time.sleep(0.2)
        yield Index(url=url, simple=f"{url}simple/", packages=packages)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def publish_env() -> dict[str, str]:
    return dict(os.environ, TWINE_USERNAME=USER, TWINE_PASSWORD=PASSWORD)


def index_only_pip_env() -> dict[str, str]:
    """No pip configuration at all (no find-links, extra indexes or constraints of this machine)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env
