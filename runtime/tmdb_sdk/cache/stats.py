"""What the cache did with a request: the outcome on `response.extensions["tmdb_cache"]`, and the counts."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import httpx

EXTENSION = "tmdb_cache"
CacheOutcome = Literal["hit", "miss", "revalidated", "bypass"]


def outcome(response: httpx.Response) -> CacheOutcome:
    """What hishel did, by the status it put on `response.extensions["caching"]`."""
    status = response.extensions.get("caching")
    if not status:
        return "miss"
    if status["from_cache"]:
        return "revalidated" if status["revalidated"] else "hit"
    return "miss"


@dataclass(slots=True)
class CacheStats:
    """What this process's cache layers did, counted per outcome."""

    hits: int = 0
    revalidated: int = 0
    misses: int = 0
    bypassed: int = 0

    def count(self, outcome: CacheOutcome) -> None:
        if outcome == "hit":
            self.hits += 1
        elif outcome == "revalidated":
            self.revalidated += 1
        elif outcome == "miss":
            self.misses += 1
        else:
            self.bypassed += 1
