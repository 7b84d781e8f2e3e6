"""TMDB's `status_code` catalogue (from TMDB-FACTS), used to explain errors in plain words."""
from __future__ import annotations

from typing import NamedTuple


class StatusCode(NamedTuple):
    http_status: int
    meaning: str


STATUS_CODES: dict[int, StatusCode] = {
    1: StatusCode(200, "success"),
    3: StatusCode(401, "authentication failed: you do not have permissions to access the service"),
    5: StatusCode(422, "invalid parameters"),
    6: StatusCode(404, "invalid id: the pre-requisite id is invalid or not found"),
    7: StatusCode(401, "invalid API key"),
    8: StatusCode(403, "duplicate entry: the data you tried to submit already exists"),
    9: StatusCode(503, "service offline"),
    10: StatusCode(401, "suspended API key"),
    11: StatusCode(500, "internal error"),
    12: StatusCode(201, "item updated"),
    13: StatusCode(200, "item deleted"),
    14: StatusCode(401, "authentication failed"),
    15: StatusCode(500, "failed"),
    16: StatusCode(401, "device denied"),
    17: StatusCode(401, "session denied"),
    18: StatusCode(400, "validation failed"),
    19: StatusCode(406, "invalid Accept header"),
    20: StatusCode(422, "date range is over 14 days"),
    21: StatusCode(200, "entry not found (an error delivered with HTTP 200)"),
    22: StatusCode(400, "invalid page: pages start at 1 and end at 500"),
    23: StatusCode(400, "invalid date: format needs to be YYYY-MM-DD"),
    24: StatusCode(504, "backend server timeout"),
    25: StatusCode(429, "request count over the allowed limit"),
    26: StatusCode(400, "a username and password are required"),
    27: StatusCode(400, "too many append_to_response objects: the maximum is 20"),
    28: StatusCode(400, "invalid timezone"),
    29: StatusCode(400, "this action needs confirm=true"),
    30: StatusCode(401, "invalid username and/or password"),
    31: StatusCode(401, "account disabled"),
    32: StatusCode(401, "email not verified"),
    33: StatusCode(401, "invalid request token"),
    34: StatusCode(404, "the resource could not be found"),
    35: StatusCode(401, "invalid token"),
    36: StatusCode(401, "the token lacks write permission"),
    37: StatusCode(404, "session not found"),
    38: StatusCode(401, "no permission to edit this resource"),
    39: StatusCode(401, "this resource is private"),
    40: StatusCode(200, "nothing to update"),
    41: StatusCode(422, "the request token has not been approved by the user"),
    42: StatusCode(405, "request method not supported for this endpoint"),
    43: StatusCode(502, "could not connect to the backend server"),
    44: StatusCode(500, "invalid ID"),
    45: StatusCode(403, "this user has been suspended"),
    46: StatusCode(503, "API under maintenance"),
    47: StatusCode(400, "input is not valid"),
}


def describe(status_code: int | None) -> str | None:
    """TMDB's meaning of a `status_code`, or None when it is not in the catalogue."""
    if status_code is None:
        return None
    entry = STATUS_CODES.get(status_code)
    return entry.meaning if entry else None
