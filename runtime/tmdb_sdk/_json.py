"""JSON decoding for the runtime: orjson when it is installed (a dependency of the wheel), else json.

`loads` accepts what json.loads accepts and fails as it fails: orjson decodes the common case
(UTF-8, 64-bit integers, no NaN) 2-4x faster on TMDB's bodies (BENCHMARKS.md); anything orjson
refuses is handed to json.loads, which either decodes it (a 20-digit integer, NaN, UTF-16) or
raises json.JSONDecodeError with its usual message and position.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_orjson_loads: Callable[[bytes | bytearray | str], Any] | None
try:
    from orjson import JSONDecodeError as _OrjsonError
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - orjson is a dependency; this keeps a broken install working
    _orjson_loads = None

JSONDecodeError = json.JSONDecodeError


def loads(data: bytes | bytearray | str) -> Any:
    """The decoded JSON document (json.loads's result and errors, orjson's speed)."""
    if _orjson_loads is not None:
        try:
            return _orjson_loads(data)
        except _OrjsonError:
            pass
    return json.loads(data)
