"""What happens around one call of a generated function: argument preparation, error translation
and result extraction. Pure helpers shared by the sync and async operations."""
from __future__ import annotations

import json
import types
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from ._generated import Signature
from .errors import APIError, ResponseParseError, TMDBError, transport_error

# Frames of generated code that turn a response into a model: an exception raised under one of
# them is a body that does not fit the model, not a mistake in the call.
_PARSING_FRAMES = frozenset({"_parse_response", "_build_response", "from_dict"})


def prepare_kwargs(name: str, sig: Signature, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Lets callers pass a plain dict as `body` and a list for comma-separated parameters."""
    for key, value in kwargs.items():
        if key == "body" and isinstance(value, Mapping) and sig.body_model is not None:
            try:
                kwargs[key] = sig.body_model.from_dict(value)
            except (KeyError, TypeError, ValueError) as exc:
                raise TypeError(f"{name}: body does not fit {sig.body_model.__name__}: {exc!r}") from None
        elif isinstance(value, (list, tuple)) and key != "body":
            kwargs[key] = ",".join(str(item) for item in value)
    return kwargs


def _parsing_model(tb: types.TracebackType | None) -> str | None:
    """The model being parsed where the traceback ends, or None when it never entered parsing code."""
    model, parsing = None, False
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name in _PARSING_FRAMES:
            parsing = True
            owner = tb.tb_frame.f_locals.get("cls")
            if isinstance(owner, type):
                model = owner.__name__
        tb = tb.tb_next
    if not parsing:
        return None
    return model or "the response model"


def _problem(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}" if exc.args else "missing field"
    if isinstance(exc, json.JSONDecodeError):
        return f"body is not JSON ({exc.msg} at position {exc.pos})"
    return f"{type(exc).__name__}: {exc}"


def translate(exc: Exception, name: str) -> BaseException:
    """The exception to raise for `exc` from operation `name` (the same object when already right)."""
    if isinstance(exc, APIError):
        if exc.operation is None:
            exc.operation = name
        return exc
    if isinstance(exc, TMDBError):
        return exc
    if isinstance(exc, httpx.TransportError):
        return transport_error(exc, name)
    if isinstance(exc, (KeyError, TypeError, ValueError, AttributeError)):
        model = _parsing_model(exc.__traceback__)
        if model is not None:
            return ResponseParseError(name, f"{model}: {_problem(exc)}")
    return exc


def result_of(name: str, parsed: Any, content: bytes) -> Any:
    """The parsed model; for a success status the spec does not describe, the decoded JSON (or None)."""
    if parsed is not None:
        return parsed
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError as exc:
        raise ResponseParseError(name, _problem(exc)) from None


def page_fields(result: Any) -> tuple[int | None, int | None, Sequence[Any]]:
    """(page, total_pages, results) of a paged response, from a generated model or a plain dict."""
    if isinstance(result, Mapping):
        page, total, items = result.get("page"), result.get("total_pages"), result.get("results")
    else:
        page, total, items = (getattr(result, key, None) for key in ("page", "total_pages", "results"))
    return (
        int(page) if isinstance(page, (int, float)) else None,
        int(total) if isinstance(total, (int, float)) else None,
        items if isinstance(items, list) else [],
    )
