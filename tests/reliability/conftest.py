"""Fixtures for the reliability suite: misbehaving servers, clients pointed at them, log capture.

Every server listens on 127.0.0.1 only and is closed at teardown; every client call that could
hang runs under `bounded`, which fails the test instead of waiting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from tests.reliability.fault_server import Fault, FaultServer

T = TypeVar("T")

# No fault in this suite may take longer than this to reach its outcome: a bounded retry budget
# with test-sized delays finishes far below it, a hang or an unbounded retry loop does not.
HANG_LIMIT = 15.0
# Loggers whose records are the client's: its own, and the HTTP stack under it. werkzeug's are
# pytest-httpserver's access log (the server's side, which sees the query string by design).
CLIENT_LOGGERS = ("tmdb_sdk", "tmdb_generated", "httpx", "httpcore", "hpack", "h11")


class Hang(AssertionError):
    pass


def bounded(call: Callable[[], T], limit: float = HANG_LIMIT) -> T:
    """Run `call` in a daemon thread; its result or exception, or `Hang` after `limit` seconds."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread as it is
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        raise Hang(f"no outcome after {limit} s: the client hangs or retries without bound")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture
def serve() -> Iterator[Callable[..., FaultServer]]:
    """serve(fault, fault, ...) -> a started FaultServer answering with those faults in order."""
    servers: list[FaultServer] = []

    def start(*script: Fault) -> FaultServer:
        server = FaultServer(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def client_for() -> Iterator[Callable[..., Any]]:
    """client_for(base_url, **options) -> a sync client with test-sized timeouts and retry delays."""
    from tests.reliability import runtime_api  # imported late: the fault server needs no runtime

    clients: list[Any] = []

    def make(base_url: str, **options: Any) -> Any:
        client = runtime_api.make_client(base_url, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


class RecordList(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> list[str]:
        """Each record as a handler would write it, plus its raw args (a formatter may show them)."""
        return [f"{self.format(r)} {r.args!r}" for r in self.records if r.name.split(".")[0] in CLIENT_LOGGERS]


@pytest.fixture
def debug_logs() -> Iterator[RecordList]:
    """Every record of the client's loggers at DEBUG, whatever the caller's logging setup."""
    handler = RecordList()
    saved = {}
    for name in CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for name, level in saved.items():
            logging.getLogger(name).removeHandler(handler)
            logging.getLogger(name).setLevel(level)
