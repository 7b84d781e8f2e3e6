"""Helpers for the release tests: the repository, make runs, pip and twine environments."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

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
    # A make running these tests (`make test`) passes its flags down through the environment: drop them.
    env = {
        k: v for k, v in (env or os.environ).items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    }
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=300, check=False)


def publish_env() -> dict[str, str]:
    return dict(os.environ, TWINE_USERNAME=USER, TWINE_PASSWORD=PASSWORD)


def index_only_pip_env() -> dict[str, str]:
    """No pip configuration at all (no find-links, extra indexes or constraints of this machine)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


# Not copied: the tool environment (make uses this checkout's through VENV=), git's metadata, caches.
_NOT_COPIED = (".venv", ".git", "mutants", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")


def built_copy(target: Path) -> Path:
    """A copy of this checkout with its build outputs, every mtime kept, so that make finds it up to
    date, beside a link to the docs mirror the checkout uses (../shared). Tests that run make targets
    which may rebuild (`make publish` depends on the dist) run there, never in the working checkout."""
    checkout = target / REPO.name
    shutil.copytree(REPO, checkout, ignore=shutil.ignore_patterns(*_NOT_COPIED), symlinks=True)
    shared = REPO.parent / "shared"
    if shared.exists():
        (target / "shared").symlink_to(shared)
    return checkout
