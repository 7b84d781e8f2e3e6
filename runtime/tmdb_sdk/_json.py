"""JSON decoding for the runtime: orjson when it is installed (a dependency of the wheel), else json.

`loads` accepts what json.loads accepts and fails as it fails: orjson decodes the common case
(UTF-8, no NaN) 2-4x faster on TMDB's bodies (BENCHMARKS.md); anything orjson refuses is handed to
json.loads, which either decodes it (NaN, UTF-16) or raises json.JSONDecodeError with its usual
message and position. One difference is left: an integer beyond 64 bits (none in TMDB's schemas:
ids, counts and runtimes are far below) may come back as a float. orjson is imported on the first
call (~2.5 ms kept out of `import tmdb_sdk`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

JSONDecodeError = json.JSONDecodeError

_fast: Callable[[bytes | bytearray | str], Any] | None = None
_refused: type[Exception] = ValueError


def _load_orjson() -> Callable[[bytes | bytearray | str], Any]:
    global _fast, _refused
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; this keeps a broken install working
        _fast = json.loads
    else:
        _fast, _refused = orjson.loads, orjson.JSONDecodeError
    return _fast


def loads(data: bytes | bytearray | str) -> Any:
    """The decoded JSON document (json.loads's result and errors, orjson's speed)."""
    fast = _fast or _load_orjson()
    try:
        return fast(data)
    except _refused:
        return json.loads(data)
