"""Which stored entry a 304 completes, when several replicas stored the same URL (TMDB's ETags are weak).

hishel matches a 304 to its stored entries by a strong ETag, then by Last-Modified, then only when one
entry is stored; a 304 with a weak ETag and two entries matches none, and the call would be sent again
in full. Here the 304 completes the call whatever it carries:
- an entry whose ETag equals the 304's by the weak comparison (RFC 9110 §8.8.3.2: the opaque tags are
  equal, either or both may be weak), which RFC 9110 §13.1.2 allows for If-None-Match on a GET;
- else an entry with the 304's Last-Modified;
- else the entry whose validators the conditional request carried: the freshest (hishel sends those of
  the entry with the newest Date), which the 304 says still matches the resource (RFC 9110 §13.1.2).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import hishel


def opaque_tag(etag: str | None) -> str | None:
    """The opaque tag of an entity tag (`W/"x"` and `"x"` -> `"x"`), or None for a missing or malformed one."""
    if etag is None:
        return None
    tag = etag.strip()
    if tag.startswith(("W/", "w/")):
        tag = tag[2:]
    return tag if len(tag) >= 2 and tag[0] == tag[-1] == '"' and '"' not in tag[1:-1] else None


def weak_match(first: str | None, second: str | None) -> bool:
    """RFC 9110 §8.8.3.2's weak comparison of two entity tags; False when either is missing or malformed."""
    tag = opaque_tag(first)
    return tag is not None and tag == opaque_tag(second)


def completed_entry(entries: list[hishel.Entry], not_modified: hishel.Headers) -> hishel.Entry:
    """The entry a 304 with headers `not_modified` completes, of hishel's candidates (freshest first)."""
    etag = not_modified.get("etag")
    if etag is not None:
        for entry in entries:
            if weak_match(entry.response.headers.get("etag"), etag):
                return entry
    modified = not_modified.get("last-modified")
    if modified:
        for entry in entries:
            if entry.response.headers.get("last-modified") == modified:
                return entry
    return entries[0]
