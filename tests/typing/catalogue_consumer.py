"""A catalogue sync as a user would write it: checked with `mypy --strict` by test_catalogue_types.py.

Each "R" comment is the type mypy must reveal on its line, each "E" comment an error it must report. Never run.
"""
from __future__ import annotations

import datetime as dt
from typing import reveal_type

from tmdb_sdk import TMDB, AsyncTMDB
from tmdb_sdk.catalogue.bulk import Failed, Fetched, Gone
from tmdb_sdk.catalogue.checkpoint import RedisCheckpoint
from tmdb_sdk.catalogue.progress import BulkProgress


def report(state: BulkProgress) -> None:
    print(state.done, state.total)


def sync_catalogue(tmdb: TMDB) -> None:
    for changed in tmdb.changes.ids("movie", dt.date(2026, 12, 1)):
        reveal_type(changed)  # R: tmdb_sdk.catalogue.changes.ChangedId
        reveal_type(changed.adult)  # R: bool | None
    tmdb.changes.ids("movies", "2026-12-01")  # E: Argument 1 to "ids" of "ChangeIds" has incompatible type
    for row in tmdb.exports.ids("movie"):
        reveal_type(row)  # R: tmdb_sdk.catalogue.rows.MovieIdRow
        reveal_type(row.original_title)  # R: str | None
    for person in tmdb.exports.ids("adult_person", dt.date(2026, 12, 5)):
        reveal_type(person)  # R: tmdb_sdk.catalogue.rows.PersonIdRow
    for series in tmdb.exports.ids("tv_series", save_to="exports/"):
        reveal_type(series)  # R: tmdb_sdk.catalogue.rows.TvSeriesIdRow
    for company in tmdb.exports.ids("production_company"):
        reveal_type(company.name)  # R: str | None
    tmdb.exports.ids("movies")  # E: No overload variant of "ids" of "Exports" matches argument type "str"
    reveal_type(tmdb.exports.download("keyword", folder="exports/"))  # R: pathlib.Path
    for outcome in tmdb.bulk(tmdb.movies.details, [550, 551], append=["credits"], checkpoint="job.ckpt",
                             shard=(0, 2), progress=report):
        reveal_type(outcome)  # R: tmdb_sdk.catalogue.bulk.Fetched[tmdb_generated.models.movie_details.MovieDetails] | tmdb_sdk.catalogue.bulk.Gone | tmdb_sdk.catalogue.bulk.Failed
        if isinstance(outcome, Fetched):
            reveal_type(outcome.result)  # R: tmdb_generated.models.movie_details.MovieDetails
        elif isinstance(outcome, Gone):
            reveal_type(outcome.id)  # R: int
        else:
            reveal_type(outcome.error)  # R: tmdb_sdk.errors.TMDBError
    tmdb.bulk(tmdb.movies.details, [1], progress=print, shard=0)  # E: Argument "shard" to "bulk" of "TMDB" has incompatible type "int"


async def async_catalogue(tmdb: AsyncTMDB) -> None:
    async for changed in tmdb.changes.ids("tv", "2026-12-01", until="2026-12-05"):
        reveal_type(changed.id)  # R: int
    async for row in tmdb.exports.ids("collection"):
        reveal_type(row)  # R: tmdb_sdk.catalogue.rows.NamedIdRow
    checkpoint = RedisCheckpoint("redis://127.0.0.1:6379/0", key="people")
    async for outcome in tmdb.bulk(tmdb.people.details, range(10), checkpoint=checkpoint, concurrency=4):
        if isinstance(outcome, Fetched):
            reveal_type(outcome.result)  # R: tmdb_generated.models.person_details.PersonDetails
        elif isinstance(outcome, Failed):
            print(outcome.error)
