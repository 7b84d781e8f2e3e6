"""Helpers shared by the services tests (hooks, logging, telemetry, raw responses, testing kit)."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

API_KEY = "svc-apikey-SECRET-0123456789"
ACCESS_TOKEN = "svc-bearer-SECRET-0123456789abcdef"
SECRETS = (API_KEY, ACCESS_TOKEN)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"secret leaked into: {text}"


@dataclass
class Ticker:
    """A monotonic clock that moves only when told to."""

    now: float = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Records(logging.Handler):
    records: list[logging.LogRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        logging.Handler.__init__(self, level=logging.DEBUG)

    def __hash__(self) -> int:
        return id(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, level: int = logging.DEBUG) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= level]


@contextmanager
def captured(name: str = "tmdb_sdk", level: int = logging.DEBUG) -> Iterator[Records]:
    logger = logging.getLogger(name)
    handler, saved = Records(), logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)
