"""The `tmdb_sdk` logger and the TMDB_LOG switch.

`TMDB_LOG=info` writes one line per call to stderr: operation, method, path template, status (or
the error), elapsed time, attempt and cache status. `TMDB_LOG=debug` adds a line per retry and
httpx's own request lines. Every record passes the redaction filter (credentials become ***), on
the logger and on the handler, so records of child loggers are covered too.

Without TMDB_LOG nothing is configured: the logger follows the application's logging setup (a
handler at INFO on `tmdb_sdk` or the root logger shows the same lines).
"""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import Any

from .redact import RedactingFilter

ENV_LOG = "TMDB_LOG"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

logger = logging.getLogger("tmdb_sdk")
_FILTER = RedactingFilter()


class _SwitchHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler TMDB_LOG installs (recognised so that it is installed once). It writes to the
    current sys.stderr, looked up per record, so a later redirection of stderr is followed."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_from_env(environ: Mapping[str, str] = os.environ) -> None:
    """Apply TMDB_LOG (debug|info); another value is reported once and otherwise ignored."""
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    value = environ.get(ENV_LOG, "").strip().lower()
    if not value:
        return
    level = LEVELS.get(value)
    if level is None:
        if not getattr(configure_from_env, "warned", False):
            configure_from_env.warned = True  # type: ignore[attr-defined]
            logger.warning("%s=%r is not one of: %s; ignored", ENV_LOG, value, ", ".join(LEVELS))
        return
    handler = next((h for h in logger.handlers if isinstance(h, _SwitchHandler)), None)
    if handler is None:
        handler = _SwitchHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(_FILTER)
        logger.addHandler(handler)
    logger.setLevel(level)
    httpx_logger = logging.getLogger("httpx")
    if level == logging.DEBUG:
        if handler not in httpx_logger.handlers:
            httpx_logger.addHandler(handler)
        httpx_logger.setLevel(logging.DEBUG)


def uninstall() -> None:
    """Undo what TMDB_LOG configured (its handler, and the levels it set); for tests mostly."""
    for name in ("tmdb_sdk", "httpx"):
        target = logging.getLogger(name)
        for handler in [h for h in target.handlers if isinstance(h, _SwitchHandler)]:
            target.removeHandler(handler)
            target.setLevel(logging.NOTSET)
