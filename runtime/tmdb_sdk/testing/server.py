"""FakeTMDB: a local stand-in for TMDB on 127.0.0.1, for the tests of services that use the client.

It answers every operation of the spec the installed client was generated from with the docs'
recorded example (a body derived from the schema for the few without one), checks each request
against that spec (path, method, credentials, query parameters, request body), records it, and
lets a test queue other answers: any body, TMDB's error bodies, 429s with Retry-After, dropped
connections. A request that breaks the spec is answered as TMDB would (404 for an unknown path,
422 for a bad parameter, 401 without credentials) and recorded in `violations`; `check()` (run by
the pytest fixture after each test) fails on any violation and on queued answers never served.

Like TMDB, the recorded examples answer what was asked: a paged example echoes the `page` requested
(empty `results` past its `total_pages`), a details example carries the `append_to_response` parts
requested (each its own operation's example, under the part's name), and an id the spec rules out
(`/3/movie/0`) is TMDB's 404 with status_code 34.
"""
from __future__ import annotations

import difflib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

from ..status_codes import STATUS_CODES
from ._catalog import Catalog, Operation, catalog, filled
from .validation import coerce, errors

if TYPE_CHECKING:
    from .. import TMDB, AsyncTMDB

JSON_TYPE = "application/json;charset=utf-8"
_ERROR_BODY_BY_STATUS = {401: "Unauthorized", 404: "NotFound", 422: "UnprocessableEntity", 429: "TooManyRequests"}
MAX_BODY = 1 << 20
# Connections the listening socket queues before accepting them (socketserver's default of 5 makes a
# burst of concurrent clients wait for SYN retransmissions).
LISTEN_BACKLOG = 128


@dataclass(frozen=True)
class RecordedRequest:
    """One request the stand-in received."""

    operation: str | None  # the operationId it matched, None when it matched none
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: Any  # the decoded JSON body, None without one
    violations: tuple[str, ...] = ()

    def param(self, name: str) -> str | None:
        """The (first) value of query parameter `name`, None when it was not sent."""
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class _Answer:
    operation: str | None  # None: the next request of any operation
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    disconnect: bool = False
    remaining: int | None = 1  # None: every time
    label: str = ""


def error_body(data: Catalog, status: int, status_code: int | None = None, message: str | None = None) -> Any:
    """TMDB's error body for `status`: the recorded one, else one from TMDB's status_code catalogue."""
    body = dict(data.error_bodies.get(_ERROR_BODY_BY_STATUS.get(status, ""), {}))
    if not body:
        code = next((c for c, known in STATUS_CODES.items() if known.http_status == status), 11)
        body = {"success": False, "status_code": code, "status_message": STATUS_CODES[code].meaning.capitalize() + "."}
    body = {key: value for key, value in body.items() if key in ("success", "status_code", "status_message")}
    if status_code is not None:
        body["status_code"] = status_code
    if message is not None:
        body["status_message"] = message
    return body


class FakeTMDB:
    """A stand-in for api.themoviedb.org on a free 127.0.0.1 port; use it as a context manager.

    api_key / access_token: the credentials `client()` and `environ` hand out (any non-empty API key
    or bearer token is accepted, as a missing one is what breaks a service in practice).
    """

    def __init__(self, *, api_key: str = "test-api-key", access_token: str = "test-access-token") -> None:
        self.api_key, self.access_token = api_key, access_token
        self.strict = True  # check() fails on violations and unused queued answers
        self.catalog = catalog()
        self._lock = threading.Lock()
        self._queue: list[_Answer] = []
        self._defaults: dict[str, _Answer] = {}
        self._requests: list[RecordedRequest] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is None:
            server = _Server(("127.0.0.1", 0), _Handler)
            server.daemon_threads = True
            server.fake = self  # type: ignore[attr-defined]
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeTMDB", daemon=True
            )
            self._thread.start()
        return self

    def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The base URL to give the client (`TMDB(base_url=fake.url)`)."""
        if self._server is None:
            raise RuntimeError("FakeTMDB is not started: use it as a context manager or call start()")
        host, port = self._server.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}"

    @property
    def environ(self) -> dict[str, str]:
        """TMDB_BASE_URL, TMDB_API_KEY and TMDB_ACCESS_TOKEN pointing a client at this stand-in."""
        return {"TMDB_BASE_URL": self.url, "TMDB_API_KEY": self.api_key, "TMDB_ACCESS_TOKEN": self.access_token}

    def client(self, **options: Any) -> TMDB:
        """A TMDB client on this stand-in (bearer token; `options` go to TMDB(...))."""
        from .. import TMDB

        options.setdefault("access_token", self.access_token)
        return TMDB(base_url=self.url, **options)

    def async_client(self, **options: Any) -> AsyncTMDB:
        from .. import AsyncTMDB

        options.setdefault("access_token", self.access_token)
        return AsyncTMDB(base_url=self.url, **options)

    # -- scripting answers ------------------------------------------------------------------------

    def operation(self, operation_id: str) -> Operation:
        try:
            return self.catalog.operations[operation_id]
        except KeyError:
            known = sorted(self.catalog.operations)
            match = difflib.get_close_matches(operation_id, known, n=1)
            hint = f"did you mean {match[0]!r}?" if match else f"e.g. {known[:5]}"
            raise KeyError(f"no operation {operation_id!r} in the spec; {hint}") from None

    def example(self, operation_id: str, name: str | None = None) -> Any:
        """The body the stand-in answers `operation_id` with: its recorded example (`name`, default the first)."""
        op = self.operation(operation_id)
        examples = op.examples()
        if name is not None:
            for _status, example_name, body in examples:
                if example_name == name:
                    return body
            raise KeyError(f"{operation_id} has no example {name!r}; examples: {[n for _, n, _ in examples]}")
        if examples:
            return examples[0][2]
        return filled(op.success_schema or {}, self.catalog.schemas)

    def respond(
        self, operation: str, body: Any = None, *, status: int = 200, headers: Mapping[str, str] | None = None,
        example: str | None = None, times: int | None = 1,
    ) -> None:
        """Answer `operation` with `body` (or its recorded example named `example`), `times` times
        (None: from now on, until reset)."""
        if body is None:
            body = self.example(operation, example)
        answer = _Answer(operation, status, body, dict(headers or {}), remaining=times, label=f"respond({operation})")
        self._add(answer, operation)

    def queue_error(
        self, status: int, *, operation: str | None = None, status_code: int | None = None, message: str | None = None,
        headers: Mapping[str, str] | None = None, times: int = 1,
    ) -> None:
        """The next request (of `operation`, if given) gets HTTP `status` with TMDB's error body."""
        body = error_body(self.catalog, status, status_code, message)
        self._add(_Answer(operation, status, body, dict(headers or {}), remaining=times,
                          label=f"queue_error({status}, operation={operation!r})"), operation)

    def queue_rate_limit(self, *, operation: str | None = None, retry_after: float = 0, times: int = 1) -> None:
        """The next request (of `operation`, if given) gets 429 with `Retry-After` and status_code 25."""
        self._add(_Answer(operation, 429, error_body(self.catalog, 429), {"Retry-After": f"{retry_after:g}"},
                          remaining=times, label=f"queue_rate_limit(operation={operation!r})"), operation)

    def queue_disconnect(self, *, operation: str | None = None, times: int = 1) -> None:
        """The next request (of `operation`, if given) is read, then its connection closed without an answer."""
        self._add(_Answer(operation, 0, None, disconnect=True, remaining=times,
                          label=f"queue_disconnect(operation={operation!r})"), operation)

    def _add(self, answer: _Answer, operation: str | None) -> None:
        if operation is not None:
            self.operation(operation)  # fail now on a misspelt operationId
        if answer.remaining is not None and answer.remaining < 1:
            raise ValueError("times must be at least 1 (or None: every time)")
        with self._lock:
            if answer.remaining is None and operation is not None:
                self._defaults[operation] = answer
            else:
                self._queue.append(answer)

    def reset(self) -> None:
        """Forget queued answers, answers set with times=None, and recorded requests."""
        with self._lock:
            self._queue.clear()
            self._defaults.clear()
            self._requests.clear()

    # -- what happened ----------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def calls(self, operation: str) -> list[RecordedRequest]:
        """The requests that matched `operation`."""
        return [r for r in self.requests if r.operation == operation]

    @property
    def violations(self) -> list[str]:
        return [f"{r.method} {r.path}: {v}" for r in self.requests for v in r.violations]

    @property
    def pending(self) -> list[str]:
        """Queued answers no request has used up."""
        with self._lock:
            return [answer.label for answer in self._queue]

    def check(self) -> None:
        """AssertionError naming every request that broke the spec and every queued answer left unused."""
        problems = [f"request breaks the spec: {v}" for v in self.violations]
        problems += [f"queued answer never served: {label}" for label in self.pending]
        if problems:
            raise AssertionError("FakeTMDB:\n  " + "\n  ".join(problems))

    # -- serving ----------------------------------------------------------------------------------

    def _take(self, operation: str) -> _Answer | None:
        with self._lock:
            for index, answer in enumerate(self._queue):
                if answer.operation in (None, operation):
                    if answer.remaining is not None:
                        answer.remaining -= 1
                        if answer.remaining == 0:
                            del self._queue[index]
                    return answer
            return self._defaults.get(operation)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def handle(self, method: str, target: str, headers: Mapping[str, str], raw_body: bytes) -> _Answer:
        """The answer to one request, recorded with what it broke."""
        split = urlsplit(target)
        path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        body: Any = None
        problems: list[str] = []
        if raw_body:
            try:
                body = json.loads(raw_body)
            except ValueError:
                body = raw_body.decode("utf-8", errors="replace")
                problems.append("the request body is not JSON")
        op, on_path = self.catalog.match(method, path)
        answer: _Answer | None = None
        if op is None:
            if on_path:
                problems.append(f"{method} is not an operation of this path (it has {sorted(o.method for o in on_path)})")
                answer = _Answer(None, 405, error_body(self.catalog, 405, 42, "Invalid method."))
            else:
                problems.append("no TMDB operation has this path")
                answer = _Answer(None, 404, error_body(self.catalog, 404))
        else:
            auth = self._auth_problem(op, headers, query)
            if auth is not None:
                problems.append(auth)
                answer = _Answer(op.operation_id, 401, error_body(self.catalog, 401))
            else:
                problems += self._request_problems(op, path, query, headers, raw_body, body)
                answer = self._refusal(op.operation_id, problems)
        self._record(RecordedRequest(
            op.operation_id if op else None, method, path, query, {k.lower(): v for k, v in headers.items()}, body,
            tuple(problems),
        ))
        if answer is not None:
            return answer
        assert op is not None
        return self._take(op.operation_id) or _Answer(op.operation_id, _success_status(op), self._answer_body(op, query))

    def _refusal(self, operation_id: str, problems: list[str]) -> _Answer | None:
        """TMDB's answer to a request with `problems` (each still a violation): 404 (status_code 34) when
        only path parameters are wrong (no resource there: an id below 1, a word where a number goes),
        400 (status_code 22) when only the page is out of 1..500, else 422 (status_code 5) naming them all."""
        if not problems:
            return None
        if all(problem.startswith("path parameter ") for problem in problems):
            return _Answer(operation_id, 404, error_body(self.catalog, 404, 34))
        if all(problem.startswith("query parameter page:") for problem in problems):
            known = STATUS_CODES[22]
            message = "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."
            return _Answer(operation_id, known.http_status, error_body(self.catalog, known.http_status, 22, message))
        return _Answer(operation_id, 422, error_body(self.catalog, 422, 5, "tmdb_sdk.testing: " + "; ".join(problems)))

    def _answer_body(self, op: Operation, query: Mapping[str, list[str]]) -> Any:
        """The operation's example, made to answer this request: the page asked for, the parts appended."""
        body = self.example(op.operation_id)
        if not isinstance(body, dict):
            return body
        parts = (query.get("append_to_response") or [""])[0]
        if parts:
            body = {**body, **self._parts(op.operation_id, parts.split(","))}
        if isinstance(body.get("page"), int) and isinstance(body.get("results"), list):
            page = _int((query.get("page") or ["1"])[0]) or 1
            total = body.get("total_pages")
            past_the_end = isinstance(total, int) and page > total
            body = {**body, "page": page, "results": [] if past_the_end else body["results"]}
        return body

    def _parts(self, operation_id: str, names: list[str]) -> dict[str, Any]:
        """Each append_to_response part the operation offers, as its own operation's example; like TMDB,
        a part it does not offer is left out. The parts come from the operation index."""
        from .._index import OPERATIONS

        offered = OPERATIONS[operation_id].append if operation_id in OPERATIONS else {}
        return {name: self.example(offered[name].operation_id) for name in names if name in offered}

    def _auth_problem(self, op: Operation, headers: Mapping[str, str], query: Mapping[str, list[str]]) -> str | None:
        authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        has = {
            "bearerAuth": authorization.startswith("Bearer ") and bool(authorization[7:].strip()),
            "apiKeyAuth": bool((query.get("api_key") or [""])[0]),
        }
        if not op.security or any(all(has.get(scheme, False) for scheme in requirement) for requirement in op.security):
            return None
        wanted = " or ".join(" and ".join(requirement) for requirement in op.security)
        return f"no credentials TMDB accepts for {op.operation_id} (it needs {wanted})"

    def _request_problems(
        self, op: Operation, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str], raw_body: bytes,
        body: Any,
    ) -> list[str]:
        problems = []
        schemas = self.catalog.schemas
        values = dict(zip(_names(op.path), path.split("/"), strict=False))
        for parameter in op.parameters:
            name, schema = parameter["name"], parameter["schema"]
            if parameter["in"] == "path":
                text = values.get(name, "")
                problems += errors(coerce(text, schema, schemas), schema, schemas, f"path parameter {name}")
                continue
            sent = query.get(name)
            if sent is None:
                if parameter["required"]:
                    problems.append(f"missing required query parameter {name!r}")
                continue
            if len(sent) > 1:
                problems.append(f"query parameter {name!r} sent {len(sent)} times")
            problems += errors(coerce(sent[0], schema, schemas), schema, schemas, f"query parameter {name}")
        allowed = {p["name"] for p in op.parameters if p["in"] == "query"}
        if any("apiKeyAuth" in requirement for requirement in op.security):
            allowed.add("api_key")
        problems += [f"unknown query parameter {name!r}" for name in sorted(query) if name not in allowed]
        if op.body is None:
            if raw_body:
                problems.append("a request body was sent; the operation takes none")
        elif not raw_body:
            if op.body["required"]:
                problems.append("the required request body is missing")
        elif not isinstance(body, str):  # a body that is not JSON at all is reported by handle()
            content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
            if "json" not in content_type:
                problems.append(f"request body sent as {content_type or 'no content type'}, not JSON")
            problems += errors(body, op.body["schema"], schemas, "request body")
        return problems


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _names(template: str) -> list[str]:
    """Each segment's parameter name ('' for literal segments), aligned with path.split('/')."""
    return [part[1:-1] if part.startswith("{") else "" for part in template.split("/")]


def _success_status(op: Operation) -> int:
    statuses = sorted(s for s in op.responses if s.isdigit())
    return int(statuses[0]) if statuses else 200


class _Server(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # an idle keep-alive connection is dropped after this
    server_version = "FakeTMDB"
    # The head and the body go out in two writes: with Nagle's algorithm the body would wait for the
    # client's delayed ACK (about 40 ms a call on Linux loopback).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the test reads `requests`; stderr stays quiet

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, MAX_BODY)) if length else b""
        fake: FakeTMDB = self.server.fake  # type: ignore[attr-defined]
        answer = fake.handle(self.command, self.path, dict(self.headers.items()), raw)
        if answer.disconnect:
            self.close_connection = True
            return
        payload = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        headers = {"Content-Type": JSON_TYPE, **answer.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve
