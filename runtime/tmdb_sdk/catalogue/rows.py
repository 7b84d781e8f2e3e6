"""The rows of the daily ID exports, one class per shape, each keeping the fields it does not know.

TMDB-FACTS, "Daily ID exports": movies {"adult", "id", "original_title", "popularity", "video"}, TV series
{"id", "original_name", "popularity"}, people {"adult", "id", "name", "popularity"}, and collections,
networks, keywords and companies {"id", "name"}. The adult sets have the shape of their main file.
Only `id` is required (an int); a known field that is missing or of another type is None, and its
value (if any) is kept in `extra` with the unknown fields, as the generated models keep theirs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, get_args

ExportKind = Literal[
    "movie", "tv_series", "person", "collection", "tv_network", "keyword", "production_company",
    "adult_movie", "adult_tv_series", "adult_person",
]  # fmt: skip
KINDS: tuple[str, ...] = get_args(ExportKind)


# The fast path: every field of the line known and of its type (type() lookups, not isinstance calls).
_FLAG = frozenset({bool, type(None)})
_TEXT = frozenset({str, type(None)})
_NUMBER = frozenset({int, float, type(None)})


def _text(data: dict[str, Any], name: str, extra: dict[str, Any]) -> str | None:
    value = data.get(name)
    if value is None or isinstance(value, str):
        return value
    extra[name] = value
    return None


def _number(data: dict[str, Any], name: str, extra: dict[str, Any]) -> float | None:
    value = data.get(name)
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    extra[name] = value
    return None


def _flag(data: dict[str, Any], name: str, extra: dict[str, Any]) -> bool | None:
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return value
    extra[name] = value
    return None


def _rest(data: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {} if data.keys() <= known else {k: v for k, v in data.items() if k not in known}


@dataclass(slots=True)
class MovieIdRow:
    """A line of movie_ids_… (and adult_movie_ids_…)."""

    id: int
    adult: bool | None = None
    original_title: str | None = None
    popularity: float | None = None
    video: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    _KNOWN = frozenset({"id", "adult", "original_title", "popularity", "video"})

    @classmethod
    def from_dict(cls, data: dict[str, Any], id: int) -> MovieIdRow:
        get = data.get
        adult, title, popularity, video = get("adult"), get("original_title"), get("popularity"), get("video")
        if (type(adult) in _FLAG and type(title) in _TEXT and type(popularity) in _NUMBER and type(video) in _FLAG
                and data.keys() <= cls._KNOWN):  # fmt: skip
            return cls(id, adult, title, popularity, video, {})
        extra = _rest(data, cls._KNOWN)
        return cls(id, _flag(data, "adult", extra), _text(data, "original_title", extra),
                   _number(data, "popularity", extra), _flag(data, "video", extra), extra)  # fmt: skip


@dataclass(slots=True)
class TvSeriesIdRow:
    """A line of tv_series_ids_… (and adult_tv_series_ids_…)."""

    id: int
    original_name: str | None = None
    popularity: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    _KNOWN = frozenset({"id", "original_name", "popularity"})

    @classmethod
    def from_dict(cls, data: dict[str, Any], id: int) -> TvSeriesIdRow:
        name, popularity = data.get("original_name"), data.get("popularity")
        if type(name) in _TEXT and type(popularity) in _NUMBER and data.keys() <= cls._KNOWN:
            return cls(id, name, popularity, {})
        extra = _rest(data, cls._KNOWN)
        return cls(id, _text(data, "original_name", extra), _number(data, "popularity", extra), extra)


@dataclass(slots=True)
class PersonIdRow:
    """A line of person_ids_… (and adult_person_ids_…)."""

    id: int
    adult: bool | None = None
    name: str | None = None
    popularity: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    _KNOWN = frozenset({"id", "adult", "name", "popularity"})

    @classmethod
    def from_dict(cls, data: dict[str, Any], id: int) -> PersonIdRow:
        adult, name, popularity = data.get("adult"), data.get("name"), data.get("popularity")
        if type(adult) in _FLAG and type(name) in _TEXT and type(popularity) in _NUMBER and data.keys() <= cls._KNOWN:
            return cls(id, adult, name, popularity, {})
        extra = _rest(data, cls._KNOWN)
        return cls(id, _flag(data, "adult", extra), _text(data, "name", extra), _number(data, "popularity", extra),
                   extra)  # fmt: skip


@dataclass(slots=True)
class NamedIdRow:
    """A line of collection_ids_…, tv_network_ids_…, keyword_ids_… or production_company_ids_…."""

    id: int
    name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    _KNOWN = frozenset({"id", "name"})

    @classmethod
    def from_dict(cls, data: dict[str, Any], id: int) -> NamedIdRow:
        name = data.get("name")
        if type(name) in _TEXT and data.keys() <= cls._KNOWN:
            return cls(id, name, {})
        extra = _rest(data, cls._KNOWN)
        return cls(id, _text(data, "name", extra), extra)


ExportRow: TypeAlias = MovieIdRow | TvSeriesIdRow | PersonIdRow | NamedIdRow
ROW_TYPES: dict[str, type[ExportRow]] = {
    "movie": MovieIdRow, "adult_movie": MovieIdRow, "tv_series": TvSeriesIdRow, "adult_tv_series": TvSeriesIdRow,
    "person": PersonIdRow, "adult_person": PersonIdRow, "collection": NamedIdRow, "tv_network": NamedIdRow,
    "keyword": NamedIdRow, "production_company": NamedIdRow,
}  # fmt: skip
