"""The catalogue of faults a misbehaving server plays, each with the outcome the client promises.

Shared by the fault tests (is the outcome right?) and the secrets tests (does any outcome leak?).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.reliability import bodies
from tests.reliability import runtime_api as rt
from tests.reliability.fault_server import Fault

JSON_TYPE = (("Content-Type", "application/json;charset=utf-8"),)
HTML_TYPE = (("Content-Type", "text/html"),)
MOVIE = json.dumps(bodies.movie()).encode()


@dataclass(frozen=True)
class Case:
    script: tuple[Fault, ...]
    error: type[Exception]
    mentions: tuple[str, ...]  # words the message must contain besides the operation
    max_hits: int  # attempts the client may make


TRANSPORT_FAULTS = {
    "reset mid-body": Case(
        (Fault("reset", body=MOVIE[:100], declared_length=len(MOVIE)),), rt.ConnectionError, (), rt.MAX_ATTEMPTS
    ),
    "slower than the timeout": Case((Fault(delay=3.0, body=MOVIE),), rt.TimeoutError, ("timeout",), rt.MAX_ATTEMPTS),
    "no response at all": Case((Fault("hang", delay=5.0),), rt.TimeoutError, ("timeout",), rt.MAX_ATTEMPTS),
    "body cut short": Case(
        (Fault("truncate", body=MOVIE[:100], declared_length=len(MOVIE)),), rt.ConnectionError, (), rt.MAX_ATTEMPTS
    ),
    "closed without a reply": Case((Fault("close"),), rt.ConnectionError, (), rt.MAX_ATTEMPTS),
    "gzip body that does not inflate": Case(
        (Fault(headers=(*JSON_TYPE, ("Content-Encoding", "gzip")), body=b"this was never gzip"),),
        rt.TransportError,
        ("decod",),
        rt.MAX_ATTEMPTS,
    ),
    "empty 200 body": Case((Fault(body=b""),), rt.ResponseError, ("json",), 1),
    "invalid JSON": Case((Fault(body=b'{"id": 550, "title": "Fight'),), rt.ResponseError, ("json",), 1),
    "HTML 502 from the CDN": Case(
        (Fault(status=502, headers=HTML_TYPE, body=bodies.cdn_error_page(502)),),
        rt.ServerError,
        ("502",),
        rt.MAX_ATTEMPTS,
    ),
    "HTML 503 from the CDN": Case(
        (Fault(status=503, headers=HTML_TYPE, body=bodies.cdn_error_page(503)),),
        rt.ServerError,
        ("503",),
        rt.MAX_ATTEMPTS,
    ),
    "HTML page with status 200": Case(
        (Fault(headers=HTML_TYPE, body=bodies.cdn_error_page(200)),), rt.ResponseError, (), 1
    ),
    "JSON error body, status 500": Case(
        (Fault(status=500, body=bodies.error(11, "Internal error: Something went wrong")),),
        rt.ServerError,
        ("500",),
        rt.MAX_ATTEMPTS,
    ),
    "JSON 401": Case(
        (Fault(status=401, body=bodies.error(7, "Invalid API key")),), rt.AuthenticationError, ("401",), 1
    ),
    "JSON 404": Case(
        (Fault(status=404, body=bodies.error(34, "The resource could not be found.")),), rt.NotFoundError, ("404",), 1
    ),
}

RATE_LIMITED = bodies.error(25, "Your request count (41) is over the allowed limit of 40.")
# Further error paths for the secrets tests: storms, and bodies that parse badly.
MORE_ERROR_PATHS: dict[str, tuple[Fault, ...]] = {
    "429 storm": (Fault(status=429, body=RATE_LIMITED),),
    "429 Retry-After 0": (Fault(status=429, headers=(*JSON_TYPE, ("Retry-After", "0")), body=RATE_LIMITED),),
    "429 Retry-After an hour": (Fault(status=429, headers=(*JSON_TYPE, ("Retry-After", "3600")), body=RATE_LIMITED),),
    "200 with a JSON list": (Fault(body=b"[1, 2, 3]"),),
    "200 with a JSON string": (Fault(body=b'"movie"'),),
    # An object where each operation documents one (account avatar, movie collection): no model takes it.
    "200 with wrong nested types": (
        Fault(body=json.dumps({"id": 1, "avatar": 7, "belongs_to_collection": 7}).encode()),
    ),
}
