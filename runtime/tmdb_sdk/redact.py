"""Keeps credentials out of messages, logs and reprs.

httpx writes full URLs, query string included, into its log lines and some exception messages, and
v3 sends the API key and session ids as query parameters. Secrets are removed two ways: by the
names of the parameters/headers that carry them, and by value for the secrets a client was given.
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from urllib.parse import unquote

import httpx

MASK = "***"
# Query/body parameters whose values are credentials or stand in for one.
SECRET_PARAMS = ("api_key", "session_id", "guest_session_id", "access_token", "request_token")

_PARAM_RE = re.compile(r"(?i)\b(" + "|".join(SECRET_PARAMS) + r")(=|\"?\s*:\s*\"?|%3D)([^&\s\"',}]+)")
_BEARER_RE = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
# Values shorter than this are not replaced by value (they would mask ordinary words).
_MIN_SECRET_LEN = 6

_known_lock = threading.Lock()
_known_secrets: frozenset[str] = frozenset()


def register_secrets(secrets: Iterable[str | None]) -> None:
    """Remember secrets so they are masked wherever they appear, even outside a known parameter."""
    global _known_secrets
    fresh = {s for s in secrets if s and len(s) >= _MIN_SECRET_LEN}
    if fresh <= _known_secrets:
        return
    with _known_lock:
        _known_secrets = _known_secrets | fresh


def redact(text: str) -> str:
    """`text` with every credential replaced by ***."""
    text = _PARAM_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _BEARER_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)
    for secret in _known_secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


# Path template segments that hold a secret (`/3/guest_session/{guest_session_id}/...`).
_SECRET_SEGMENTS = frozenset("{" + name + "}" for name in SECRET_PARAMS)


def public_url(url: httpx.URL, path_template: str | None = None) -> httpx.URL:
    """`url` with every credential masked: secret query parameters, and path segments that hold a
    secret (`/3/guest_session/{guest_session_id}/...`) when the template says which they are."""
    path = url.path
    if path_template is not None and any(segment in path_template for segment in _SECRET_SEGMENTS):
        template, actual = path_template.split("/"), path.split("/")
        if len(template) == len(actual):
            path = "/".join(MASK if t in _SECRET_SEGMENTS else a for t, a in zip(template, actual, strict=True))
    query = url.query.decode("ascii")
    if query:
        parts = []
        for part in query.split("&"):
            key, equals, _value = part.partition("=")
            parts.append(f"{key}={MASK}" if equals and unquote(key).lower() in SECRET_PARAMS else redact(part))
        query = "&".join(parts)
    return url.copy_with(path=redact(path), query=query.encode("ascii") or None)


def mask(secret: str | None) -> str | None:
    """How a repr shows a secret: `***` when there is one (none of its characters, as the README
    promises), None when there is none."""
    return MASK if secret else None


class RedactingFilter(logging.Filter):
    """Rewrites a log record's message with credentials masked (installed on httpx's loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()
# Filters apply only to records created on the logger itself, so each emitting logger is named.
_LOGGERS = ("tmdb_sdk", "httpx", "httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy")


def install_log_filter() -> None:
    """Attach the redacting filter to httpx's loggers once; runs only for records that are emitted."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
