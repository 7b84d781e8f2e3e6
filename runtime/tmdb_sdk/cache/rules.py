"""Freshness by the response headers: the Date hishel ages entries by, minimum TTLs, what a shared cache
may keep (RFC 9111 §3.5) and for how long a 200 stays fresh."""
from __future__ import annotations

from collections.abc import Mapping
from email.utils import formatdate, mktime_tz, parsedate_tz
from types import MappingProxyType
from typing import Any

import httpx

from ..errors import ConfigurationError

# A set of minimum TTLs for data that changes rarely: configuration, genre and certification lists
# for a day, a movie's details for ten minutes.
SUGGESTED_MIN_TTL: Mapping[str, float] = MappingProxyType({
    "configuration": 86400.0,
    "genres": 86400.0,
    "certifications": 86400.0,
    "movies_details": 600.0,
})


def rule_names() -> frozenset[str]:
    """What a min_ttl key may name: an operationId, or a resource or tag (`genres`, `v4_lists`), from the index."""
    from .._index import OPERATIONS

    raw = OPERATIONS.raw
    return frozenset(raw) | {entry[key] for entry in raw.values() for key in ("tag", "resource")}


def check_min_ttl(rules: Mapping[str, Any]) -> None:
    """ConfigurationError for a key no request would ever match (a typo caches nothing), or a bad number."""
    if not rules:
        return  # the index is not loaded for a Cache without rules
    known = rule_names()
    for name, seconds in rules.items():
        if name not in known:
            import difflib  # only on the error path

            match = difflib.get_close_matches(str(name), sorted(known), n=1)
            hint = f"; did you mean {match[0]!r}?" if match else ""
            raise ConfigurationError(
                f"Cache min_ttl: {name!r} is no operationId or resource of TMDB{hint} (keys are e.g. 'genres', "
                "'movies_details')"
            )
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ConfigurationError(f"Cache min_ttl[{name!r}] takes seconds (a number), got {type(seconds).__name__}")


def min_ttl(rules: Mapping[str, float], names: tuple[str, ...]) -> float | None:
    """The minimum TTL of the first of `names` that has a rule."""
    for name in names:
        ttl = rules.get(name)
        if ttl is not None:
            return ttl
    return None


def with_date_and_min_ttl(response: httpx.Response, min_ttl: float | None, now: float) -> None:
    """Adds a Date header when missing (hishel ages entries by it) and applies a minimum TTL."""
    headers = response.headers
    date = headers.get("date")
    received = parsedate_tz(date) if date else None
    if received is None:
        headers["date"] = formatdate(now, usegmt=True)
        age = 0.0
    else:
        age = max(0.0, now - mktime_tz(received))
    if not min_ttl or response.status_code not in (200, 304):
        return
    directives = [d.strip() for d in headers.get("cache-control", "").split(",") if d.strip()]
    lowered = [d.lower() for d in directives]
    if any(d.startswith(("private", "no-store")) for d in lowered):
        return
    current = next((d for d in lowered if d.startswith("max-age=")), None)
    wanted = int(min_ttl + age)
    if current is not None:
        try:
            if int(current.split("=", 1)[1].strip('"')) >= wanted:
                return
        except ValueError:
            pass
    kept = [d for d, low in zip(directives, lowered, strict=True)
            if not low.startswith(("max-age=", "s-maxage=", "no-cache", "public"))]
    headers["cache-control"] = ", ".join(["public", f"max-age={wanted}", *kept])


def shareable(headers: Any) -> bool:
    """RFC 9111 §3.5: a shared cache stores a response to an authenticated request only when told so."""
    value = (headers.get("cache-control") or "").lower()
    return "public" in value or "s-maxage" in value or "must-revalidate" in value


def fresh_for(headers: httpx.Headers, now: float) -> float:
    """Seconds a 200 stays fresh for a shared cache by its Cache-Control, Date and Age; 0 when unsure.

    Stricter than hishel (no Expires, no heuristics), so the memo never serves what hishel would not.
    """
    value = headers.get("cache-control")
    if not value:
        return 0.0
    max_age = s_maxage = None
    for directive in value.lower().split(","):
        name, _, argument = directive.strip().partition("=")
        if name in ("no-cache", "no-store", "private", "must-understand"):
            return 0.0
        if name in ("max-age", "s-maxage"):
            try:
                seconds = int(argument.strip().strip('"'))
            except ValueError:
                return 0.0
            if name == "max-age":
                max_age = seconds
            else:
                s_maxage = seconds
    lifetime = s_maxage if s_maxage is not None else max_age
    if not lifetime or "*" in headers.get("vary", ""):
        return 0.0
    date = headers.get("date")
    parsed = parsedate_tz(date) if date else None
    if parsed is None:
        return 0.0
    try:
        age = max(0.0, now - mktime_tz(parsed)) + int(headers.get("age", "0"))
    except ValueError:
        return 0.0
    return max(0.0, lifetime - age)
