"""append_to_response: extra sub-resources in one details request, each parsed with the model of
the sub-resource's own operation (e.g. "credits" on movies_details -> movies_credits' model)."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from . import _generated
from ._defaults import MAX_APPEND_PARTS
from .errors import ResponseParseError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Appended(Generic[T]):
    """A details result and its appended parts, by the names they were requested with."""

    result: T
    parts: Mapping[str, Any]

    def __getitem__(self, part: str) -> Any:
        return self.parts[part]

    def __iter__(self) -> Iterator[str]:
        return iter(self.parts)


def plan(tag: str, name: str, parts: Sequence[str]) -> dict[str, type[Any] | None]:
    """The model for each requested part; ValueError naming the culprit for a part TMDB would not return."""
    if not name.endswith("_details"):
        raise TypeError(f"{name}: append_to_response works on details operations only")
    if isinstance(parts, str):
        raise TypeError(f"{name}: append must be a list of names, e.g. ['credits', 'images'], not a string")
    if not parts:
        raise ValueError(f"{name}: append needs at least one part")
    if len(parts) > MAX_APPEND_PARTS:
        raise ValueError(f"{name}: TMDB accepts at most {MAX_APPEND_PARTS} append_to_response parts, got {len(parts)}")
    models: dict[str, type[Any] | None] = {}
    for part in parts:
        action = part.replace("/", "_")
        if action not in _generated.actions(tag):
            raise ValueError(
                f"{name}: {part!r} is not a sub-resource of {tag}; choose from {', '.join(_generated.actions(tag))}"
            )
        models[part] = _generated.signature(_generated.load(tag, action)).result_model
    return models


def _typed_attribute(result: Any, part: str) -> Any:
    """The part as the details model already parsed it, when the model declares it.

    openapi-python-client names a property in snake_case without other characters and adds "_"
    when the name is a builtin: "credits" -> credits_, "watch/providers" -> watchproviders.
    """
    from tmdb_generated.types import Unset  # types.py imports attrs (~10 ms at import)

    name = re.sub(r"\W", "", part)
    for attribute in (name, f"{name}_"):
        value = getattr(result, attribute, None)
        if value is not None and not isinstance(value, Unset):
            return value
    return None


def extract(name: str, result: Any, models: Mapping[str, type[Any] | None]) -> Appended[Any]:
    """Pulls each appended part out of `result`, parsing the ones the details model left untyped."""
    extra: Mapping[str, Any] = getattr(result, "additional_properties", None) or (
        result if isinstance(result, Mapping) else {}
    )
    parts: dict[str, Any] = {}
    for part, model in models.items():
        raw = extra.get(part)
        if raw is None:
            typed = _typed_attribute(result, part)
            if typed is None:
                raise ResponseParseError(name, f"append_to_response part {part!r} is missing from the response")
            parts[part] = typed
        elif model is None or not isinstance(raw, Mapping):
            parts[part] = raw
        else:
            try:
                parts[part] = model.from_dict(raw)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                problem = f"append_to_response part {part!r} does not fit {model.__name__}: {exc!r}"
                raise ResponseParseError(name, problem) from None
    return Appended(result, parts)
