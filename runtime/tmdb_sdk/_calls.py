"""What happens around one call of a generated function: argument preparation, error translation
and result extraction. Pure helpers shared by the sync and async operations."""
from __future__ import annotations

import json
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from ._generated import Signature
from .errors import APIError, ConfigurationError, ResponseParseError, TMDBError, transport_error
from .redact import redact

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
        elif isinstance(value, (list, tuple)) and key != "body" and key not in sig.list_parameters:
            kwargs[key] = ",".join(str(item) for item in value)
    return kwargs


@dataclass(frozen=True, slots=True)
class _ParsingState:
    """Where a traceback left the generated parsing code: the innermost model and what it was given."""

    model: str
    response: httpx.Response | None
    # The value the innermost from_dict received, when that was not a JSON object.
    not_an_object: Any = None
    given_a_non_object: bool = False


def _json_type(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _parsing_state(tb: types.TracebackType | None) -> _ParsingState | None:
    """The state where the traceback ends; None when it never entered parsing code."""
    model, response, parsing = None, None, False
    source: Any = {}  # what the innermost from_dict was given
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name in _PARSING_FRAMES:
            parsing = True
            owner, seen = frame.f_locals.get("cls"), frame.f_locals.get("response")
            if isinstance(owner, type):
                model = owner.__name__
            if isinstance(seen, httpx.Response):
                response = seen
            if frame.f_code.co_name == "from_dict":
                source = frame.f_locals.get("src_dict", {})
        tb = tb.tb_next
    if not parsing:
        return None
    odd = not isinstance(source, Mapping)
    return _ParsingState(model or "the response model", response, source if odd else None, odd)


def _error_delivered_as_success(response: httpx.Response | None, name: str) -> APIError | None:
    """TMDB sends some errors (status_code 21, 40) with HTTP 200 and `success: false`."""
    if response is None:
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("success") is False and isinstance(data.get("status_code"), int):
        message = data.get("status_message")
        return APIError(
            response.status_code, data["status_code"], message if isinstance(message, str) else None, operation=name
        )
    return None


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
    if isinstance(exc, httpx.RequestError):  # transport failures, decoding errors, redirect loops
        return transport_error(exc, name)
    if isinstance(exc, httpx.InvalidURL):  # its message may quote the URL, query string and all
        return ConfigurationError(redact(f"{name}: invalid URL: {exc}"))
    if isinstance(exc, (KeyError, TypeError, ValueError, AttributeError)):
        state = _parsing_state(exc.__traceback__)
        if state is not None:
            if state.given_a_non_object:  # dict() of a list or str fails with a message about sequences
                problem = f"expected a JSON object, got {_json_type(state.not_an_object)}"
            else:
                problem = _problem(exc)
            return _error_delivered_as_success(state.response, name) or ResponseParseError(
                name, f"{state.model}: {problem}"
            )
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
