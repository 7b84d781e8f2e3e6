"""Keeping a catalogue in sync: the change lists, the daily ID exports, and bulk fetching (issue 24).

    for changed in tmdb.changes.ids("movie", since=date(2026, 11, 20)): ...    # changes.py
    for row in tmdb.exports.ids("movie"): ...                                    # exports.py
    for outcome in tmdb.bulk(tmdb.movies.details, ids, checkpoint="job.ckpt"): ...  # bulk.py

Each module holds its logic once, as coroutines doing their I/O through tmdb_sdk._io; the sync and async
forms only run them. Nothing here is imported with `tmdb_sdk`: each module loads on first use.
"""
