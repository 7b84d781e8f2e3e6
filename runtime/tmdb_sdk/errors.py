"""The one exception hierarchy of the runtime.

TMDBError
├── ConfigurationError            missing or unusable credentials/settings, found before any request
├── ClientClosedError             a call on a closed client (or a view of one); also a RuntimeError
├── ArgumentError                 a call's arguments cannot work (also a TypeError and a ValueError)
├── APIError                      TMDB answered with an HTTP error status
│   ├── BadRequestError           400, 422 (ValidationError is an alias)
│   ├── AuthenticationError       401
│   ├── PermissionDeniedError     403
│   ├── NotFoundError             404
│   ├── RateLimitError            429, with retry_after
│   └── ServerError               5xx
├── TransportError                no usable HTTP answer
│   ├── TimeoutError              (also a builtins.TimeoutError)
│   └── ConnectionError           (also a builtins.ConnectionError)
├── ResponseParseError            a 2xx body that does not fit the operation's model
│   └── PaginationError           a paged answer whose page number does not advance
└── ExportError                   a daily ID export cut short, corrupt or malformed (file and line)
    └── ExportNotFoundError       the export file is not published (404/403)

Messages never carry credentials: everything shown passes through `redact`.
"""
from __future__ import annotations

import builtins
import html
import json
import re
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from ._call_limits import deadline_message
from .redact import public_url, redact
from .status_codes import describe


class TMDBError(Exception):
    """Base of every error the runtime raises."""


class ConfigurationError(TMDBError, ValueError):
    """Settings that cannot work, e.g. a v4 call with only an API key."""


class ClientClosedError(TMDBError, RuntimeError):
    """A call on a client that was closed (or on a with_options() view of one): make a new client."""


class ArgumentError(TMDBError, TypeError, ValueError):
    """A call's arguments cannot work: unknown or missing parameters, an id of the wrong type, a bad part.

    Raised before anything is sent. It is also a TypeError and a ValueError, the builtins Python
    raises for such mistakes, so `except TypeError` around a call keeps working.
    """


class APIError(TMDBError):
    """TMDB answered with an HTTP error status; carries TMDB's own `status_code` and `status_message`.

    Like openai's APIStatusError it carries the response: `headers`, `body` (the text of its first BODY_LIMIT
    bytes), and the request's `method`, `url` and `path`; credentials are masked in all of them (the api_key
    and session parameters, and path segments that hold a session id).
    """

    headers: httpx.Headers
    body: str | None = None
    url: str | None = None

    def __init__(
        self,
        http_status: int,
        status_code: int | None = None,
        status_message: str | None = None,
        *,
        operation: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(http_status, status_code, status_message)
        self.http_status = http_status
        self.status_code = status_code
        self.status_message = status_message
        self.operation = operation
        self.method = method
        self.path = path
        self.headers = httpx.Headers()

    def __str__(self) -> str:
        where = self.operation or (f"{self.method} {self.path}" if self.method else "request")
        parts = [f"{where} failed with HTTP {self.http_status}"]
        if self.status_code is not None:
            parts.append(f"TMDB status_code {self.status_code}")
        text = self.status_message or describe(self.status_code)
        if not text and self.body and self.body.strip():  # not TMDB's JSON (a CDN's HTML page): a glimpse of it
            text = _snippet(self.body)
        message = ", ".join(parts) + (f": {text}" if text else "")
        return redact(message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class BadRequestError(APIError):
    """400 or 422: the request's parameters or body were refused."""


ValidationError = BadRequestError


class AuthenticationError(APIError):
    """401: missing, invalid or insufficient credentials."""


class PermissionDeniedError(APIError):
    """403: e.g. a duplicate entry or a suspended user."""


class NotFoundError(APIError):
    """404: the resource does not exist."""


class RateLimitError(APIError):
    """429 after retries gave up; `retry_after` is TMDB's wait in seconds when it sent one."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after

    def __str__(self) -> str:
        base = super().__str__()
        return base if self.retry_after is None else f"{base} (retry after {self.retry_after:g}s)"


class ServerError(APIError):
    """5xx: TMDB or its CDN failed."""


class TransportError(TMDBError):
    """The request got no usable HTTP answer; `host` and `attempts` say where and how often it was tried."""

    host: str | None = None
    attempts: int | None = None


class TimeoutError(TransportError, builtins.TimeoutError):
    """A connect, read, write or pool timeout."""


class ConnectionError(TransportError, builtins.ConnectionError):
    """The connection could not be made or broke."""


class ResponseParseError(TMDBError):
    """A successful response whose body does not fit the operation's model.

    `model` and `field` say where (the innermost model and its JSON key), `path` the keys from the
    operation's model down to it, when the generated parsing code could tell.
    """

    def __init__(
        self, operation: str, problem: str, *, model: str | None = None, field: str | None = None,
        path: tuple[str, ...] = (),
    ) -> None:
        super().__init__(redact(f"{operation}: response could not be parsed: {problem}"))
        self.operation = operation
        self.problem = problem
        self.model, self.field, self.path = model, field, path



class PaginationError(ResponseParseError):
    """`.pages()`/`.items()` got a page number that does not advance (page 1 again when page 2 was asked
    for): asking on could loop forever, so the iteration stops with this error. `requested`, `answered`
    and `total_pages` say what."""

    def __init__(self, operation: str, requested: int, answered: int, total_pages: int | None) -> None:
        of = "" if total_pages is None else f" of {total_pages}"
        problem = f"asked for page {requested}, the server answered page {answered}{of}"
        super().__init__(operation, problem)
        self.args = (redact(f"{operation}: paging stopped: {problem}"),)
        self.requested, self.answered, self.total_pages = requested, answered, total_pages

_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: BadRequestError,
    429: RateLimitError,
}


def error_class(http_status: int) -> type[APIError]:
    if http_status >= 500:
        return ServerError
    return _BY_STATUS.get(http_status, APIError)


def _error_body(content: bytes) -> tuple[int | None, str | None]:
    """TMDB's (status_code, status_message) from an error body; (None, None) when it is not TMDB's JSON."""
    try:
        data = json.loads(content)
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    code, message = data.get("status_code"), data.get("status_message")
    return (code if isinstance(code, int) else None), (message if isinstance(message, str) else None)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


# An error keeps this much of the body's text; its message shows at most SNIPPET characters of a non-JSON body.
BODY_LIMIT = 64 * 1024
SNIPPET = 200
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def _snippet(text: str) -> str:
    """The start of a body's text as one line: markup dropped (a CDN's HTML error page reads as its words)."""
    words = " ".join(html.unescape(_TAGS.sub(" ", text)).split()) or " ".join(text.split())
    return words if len(words) <= SNIPPET else words[: SNIPPET - 3] + "..."


def error_from_response(response: httpx.Response, now: float, operation: str | None = None) -> APIError:
    """The APIError for an HTTP error response whose body has been read: with its headers, its text and the
    request's URL, credentials masked."""
    status_code, status_message = _error_body(response.content)
    cls = error_class(response.status_code)
    request = response.request
    info = request.extensions.get("tmdb_operation")  # its path template says which segments are secret
    url = public_url(request.url, getattr(info, "path", None))
    fields: dict[str, Any] = {"operation": operation, "method": request.method, "path": url.path}
    if cls is RateLimitError:
        fields["retry_after"] = parse_retry_after(response.headers.get("Retry-After"), now)
    error = cls(response.status_code, status_code, status_message, **fields)
    error.headers = httpx.Headers([(k, redact(v)) for k, v in response.headers.multi_items()])
    error.body = redact(response.content[:BODY_LIMIT].decode(response.encoding or "utf-8", errors="replace"))
    error.url = str(url)
    return error


def transport_error(exc: httpx.RequestError, request: httpx.Request, operation: str | None) -> TransportError:
    """The runtime's error for an httpx transport failure: the host and the attempts made, no credential."""
    where = operation or f"{request.method} {request.url.path}"
    cls: type[TransportError] = TransportError
    if isinstance(exc, httpx.TimeoutException):
        cls = TimeoutError
    elif isinstance(exc, (httpx.NetworkError, httpx.ProtocolError, httpx.ProxyError)):
        cls = ConnectionError
    attempts = request.extensions.get("tmdb_attempts", 1)
    host = f"{request.url.host}:{request.url.port}" if request.url.port else request.url.host
    detail = str(exc) or "no detail"
    tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
    reached = deadline_message(exc, request)  # the whole call's deadline (issue 21), not one step's timeout
    if reached is not None:
        what, detail = f"{reached}, talking to {host}", f"{type(exc).__name__}: {detail}"
    else:
        what = f"{type(exc).__name__} talking to {host}"
    error = cls(redact(f"{where}: {what} ({tries}): {detail}"))
    error.host, error.attempts = host, attempts
    return error


class ExportError(TMDBError):
    """A daily ID export that cannot be read: missing, cut short, not gzip, or a line that is not a row.

    `file` names the export file (or its URL), `line` the 1-based line where reading stopped (None when
    the failure is not tied to a line, e.g. the download).
    """

    def __init__(self, message: str, *, file: str, line: int | None = None) -> None:
        where = file if line is None else f"{file}, line {line}"
        super().__init__(redact(f"{where}: {message}"))
        self.file = file
        self.line = line


class ExportNotFoundError(ExportError):
    """The export file is not published (HTTP 404 or 403): not out yet today, or older than TMDB keeps."""
