"""Keeping a catalogue in sync: the change lists, the daily ID exports, and bulk fetching (issue 24).

    for changed in tmdb.changes.ids("movie", since=date(2026, 11, 20)): ...        # changes.py
    for row in tmdb.exports.ids("movie"): ...                                        # exports.py
    for outcome in tmdb.bulk(tmdb.movies.details, ids, checkpoint="job.ckpt"): ...   # bulk.py

Each module holds its logic once, as coroutines doing their I/O through tmdb_sdk._io; the sync and async
forms only run them. The names below load their module on first use (`from tmdb_sdk.catalogue import
Fetched`); nothing here is imported with `tmdb_sdk`.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bulk import Failed as Failed
    from .bulk import Fetched as Fetched
    from .bulk import Gone as Gone
    from .bulk import Outcome as Outcome
    from .bulk import in_shard as in_shard
    from .changes import ChangedId as ChangedId
    from .changes import ChangeKind as ChangeKind
    from .checkpoint import Checkpoint as Checkpoint
    from .checkpoint import FileCheckpoint as FileCheckpoint
    from .checkpoint import RedisCheckpoint as RedisCheckpoint
    from .exports import read_file as read_file
    from .progress import BulkProgress as BulkProgress
    from .rows import ExportKind as ExportKind
    from .rows import ExportRow as ExportRow
    from .rows import MovieIdRow as MovieIdRow
    from .rows import NamedIdRow as NamedIdRow
    from .rows import PersonIdRow as PersonIdRow
    from .rows import TvSeriesIdRow as TvSeriesIdRow
else:  # type checkers see the imports above, not this
    _WHERE = {
        "Failed": "bulk", "Fetched": "bulk", "Gone": "bulk", "Outcome": "bulk", "in_shard": "bulk",
        "ChangedId": "changes", "ChangeKind": "changes",
        "Checkpoint": "checkpoint", "FileCheckpoint": "checkpoint", "RedisCheckpoint": "checkpoint",
        "read_file": "exports", "BulkProgress": "progress",
        "ExportKind": "rows", "ExportRow": "rows", "MovieIdRow": "rows", "NamedIdRow": "rows", "PersonIdRow": "rows",
        "TvSeriesIdRow": "rows",
    }  # fmt: skip

    def __getattr__(name: str) -> Any:
        module = _WHERE.get(name)
        if module is None:
            raise AttributeError(f"module 'tmdb_sdk.catalogue' has no attribute {name!r}")
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)
