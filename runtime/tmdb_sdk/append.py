"""append_to_response: sub-resources in one details request, each typed as the sub-resource's own result.

The parts an operation accepts, and the attribute of the details model that holds each one, come from
the index (overlays 055/057 declare them on the details models). `with_appended` and a plain call with
`append_to_response=` give the same typed objects: `appended["credits"]` is `movie.credits_`, checked
to be present.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._defaults import MAX_APPEND_PARTS
from .errors import ArgumentError, ResponseParseError

if TYPE_CHECKING:
    from ._index import OperationInfo

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Appended(Generic[T]):
    """A details result and its appended parts, by the names they were requested with.

    The generated facade types `appended["credits"]` per part (e.g. `Credits` on movies.details).
    """

    result: T
    parts: Mapping[str, Any]

    def __getitem__(self, part: str) -> Any:
        return self.parts[part]

    def __iter__(self) -> Iterator[str]:
        return iter(self.parts)


def plan(info: OperationInfo, parts: Sequence[str]) -> tuple[str, ...]:
    """The parts to request; ArgumentError naming the culprit for a part TMDB would not return."""
    name = info.operation_id
    if not info.append:
        raise ArgumentError(f"{name}: append_to_response works on details operations only")
    if isinstance(parts, str):
        raise ArgumentError(f"{name}: append must be a list of names, e.g. ['credits', 'images'], not a string")
    if not parts:
        raise ArgumentError(f"{name}: append needs at least one part")
    if len(parts) > MAX_APPEND_PARTS:
        raise ArgumentError(f"{name}: TMDB accepts at most {MAX_APPEND_PARTS} append_to_response parts, got {len(parts)}")
    for part in parts:
        if part not in info.append:
            raise ArgumentError(f"{name}: {part!r} is not a sub-resource of {info.tag}; choose from {', '.join(info.append)}")
    return tuple(parts)


def extract(info: OperationInfo, result: Any, parts: Sequence[str]) -> Appended[Any]:
    """Each requested part, as the details model parsed it; ResponseParseError for a part TMDB left out."""
    found: dict[str, Any] = {}
    for part in parts:
        value = getattr(result, info.append[part].attribute, None)
        if value is None or type(value).__name__ == "Unset":
            raise ResponseParseError(info.operation_id, f"append_to_response part {part!r} is missing from the response")
        found[part] = value
    return Appended(result, found)
