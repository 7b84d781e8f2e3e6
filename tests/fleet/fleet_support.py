"""Real parts of the fleet tests (also used by bench/cache_limiter.py): a redis-server on a free
loopback port with its own directory, and the TMDB stand-in (standin.py) in its own process.

redis-server is Debian's package; `make test` installs it when missing (scripts/ensure_test_deps.sh).
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

from tests.clock_support import FakeClock

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
API_KEY = "fleet-apikey-SECRET-0123456789abcdef"
ACCESS_TOKEN = "fleet-bearer-SECRET-eyJhbGciOiJIUzI1NiJ9-0123456789"
SECRETS = (API_KEY, ACCESS_TOKEN)
START_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server_binary() -> str:
    found = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
    if found is None:
        raise RuntimeError("redis-server is not installed: run scripts/ensure_test_deps.sh (apt-get install redis-server)")
    return found


class RedisServer:
    """redis-server on 127.0.0.1:<free port>, no persistence, files under `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, port: int | None = None) -> Self:
        """Starts the server (on `port`, else a free one: retried if another process takes it first)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            self.port = port or free_port()
            self.process = subprocess.Popen(
                [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
                 "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                 "--logfile", str(self.directory / "redis.log")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            if self._wait_ready():
                return self
            self.stop()
            if port is not None:
                break
        raise RuntimeError(f"redis-server did not start; see {self.directory / 'redis.log'}")

    def _wait_ready(self) -> bool:
        import redis

        client = redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5)
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    return False
                try:
                    if client.ping():
                        return True
                except redis.RedisError:
                    time.sleep(0.05)
            return False
        finally:
            client.close()

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def kill(self) -> None:
        """Stops the server the hard way (SIGKILL), as a crash would."""
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.wait(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class StandInProcess:
    """tests/fleet/standin.py in its own process."""

    def __init__(self, limit: int = 50, movie_max_age: int = 60) -> None:
        self.limit = limit
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "standin.py"), "--limit", str(limit), "--movie-max-age", str(movie_max_age)],
            stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError(f"the TMDB stand-in did not start: {line!r}")
        self.port = int(line)
        self.base_url = f"http://127.0.0.1:{self.port}"

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.base_url}/__stats", timeout=5) as answer:
            return dict(json.load(answer))

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.base_url}/__reset", method="POST")
        with urllib.request.urlopen(request, timeout=5):
            pass

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def redis_dump(url: str) -> list[bytes]:
    """Every key and every value stored in the Redis at `url`, as bytes, whatever the key's type."""
    import redis

    client = redis.Redis.from_url(url)
    found: list[bytes] = []
    try:
        for key in client.scan_iter(count=500):
            found.append(key)
            kind = client.type(key)
            if kind == b"string":
                found.append(client.get(key) or b"")
            elif kind == b"list":
                found.extend(client.lrange(key, 0, -1))
            elif kind == b"hash":
                for field, value in client.hgetall(key).items():
                    found += [field, value]
            elif kind == b"zset":
                found.extend(member for member, _ in client.zrange(key, 0, -1, withscores=True))
            elif kind == b"set":
                found.extend(client.smembers(key))
            else:
                found.append(client.dump(key) or b"")
    finally:
        client.close()
    return found

__all__ = [
    "ACCESS_TOKEN", "API_KEY", "SECRETS", "FakeClock", "RedisServer", "StandInProcess", "free_port", "redis_dump",
    "redis_server_binary",
]


def run_workers(
    configs: list[dict[str, Any]], env: dict[str, str], watchdog: float, during: Callable[[], None] = lambda: None
) -> tuple[list[dict[str, Any]], float]:
    """Starts one fleet_worker.py per config, lets them all go at once and collects their results:
    (each worker's result, the wall time they were told to go). `during` runs in this process meanwhile;
    every worker is killed after `watchdog` seconds."""
    workers = [
        subprocess.Popen(
            [sys.executable, str(HERE / "fleet_worker.py"), json.dumps(config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO, env=env,
        )
        for config in configs
    ]
    timer = threading.Timer(watchdog, lambda: [w.kill() for w in workers])
    timer.start()
    try:
        for process in workers:
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        go = time.time()
        for process in workers:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        during()
        results = []
        for process in workers:
            assert process.stdout is not None
            results.append(json.loads(process.stdout.readline()))
            process.wait(timeout=watchdog)
    finally:
        timer.cancel()
        for process in workers:
            if process.poll() is None:
                process.kill()
    return results, go
