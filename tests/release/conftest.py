"""Fixtures for the release tests: a built copy of the checkout, a real local package index."""

from __future__ import annotations

import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.release.support import PASSWORD, USER, Index, built_copy, free_port, run_make


@pytest.fixture(scope="session")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built copy of the checkout for `make publish` and the like (tests/release/support.py)."""
    copy = built_copy(tmp_path_factory.mktemp("checkout"))
    # Nothing to do after `make` (file times are kept); else (an input touched since) it rebuilds here.
    built = run_make("all", cwd=copy)
    assert built.returncode == 0, f"make in the copy failed: {built.stdout}{built.stderr}"
    return copy


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """pypiserver on 127.0.0.1: uploads need the htpasswd account, downloads are open."""
    with warnings.catch_warnings():  # passlib 1.7.4 imports the stdlib `crypt`, deprecated since 3.11
        warnings.simplefilter("ignore", DeprecationWarning)
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
