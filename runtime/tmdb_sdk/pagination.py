"""When to fetch the next page: TMDB pages run 1..total_pages, never beyond 500.

The iteration must end whatever the server says: it stops after an empty page, at `total_pages`, at
page 500 and at `max_pages`, and raises PaginationError when the page number a server answers with does
not advance (one that always answers page 1 would otherwise be asked for page 2 forever). It goes on
from the page the server says it sent, so the pages asked for strictly increase up to 500: no server
can make it ask more than 500 times.
"""
from __future__ import annotations

from ._defaults import MAX_PAGE
from .errors import ArgumentError, PaginationError


def check_bounds(max_pages: int | None, max_items: int | None = None, start_page: int = 1) -> None:
    if max_pages is not None and max_pages < 1:
        raise ArgumentError(f"max_pages must be at least 1, got {max_pages}")
    if max_items is not None and max_items < 0:
        raise ArgumentError(f"max_items must not be negative, got {max_items}")
    if not 1 <= start_page <= MAX_PAGE:
        raise ArgumentError(f"start_page must be between 1 and {MAX_PAGE}, got {start_page}")


def check_answer(operation: str, previous: int, requested: int, answered: int | None, total_pages: int | None) -> int:
    """The page the server answered with (`requested` when it did not say); PaginationError when that
    number does not advance past `previous`, the page answered before (start_page - 1 at first)."""
    if answered is None:
        return requested
    if answered <= previous:
        raise PaginationError(operation, requested, answered, total_pages)
    return answered


def next_page(page: int, total_pages: int | None, fetched: int, max_pages: int | None, got_items: bool) -> int | None:
    """The page to fetch after `page` (the one just fetched), or None when the iteration is over."""
    if not got_items or total_pages is None or page >= min(total_pages, MAX_PAGE):
        return None
    if max_pages is not None and fetched >= max_pages:
        return None
    return page + 1
