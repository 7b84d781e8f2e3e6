"""A bulk job run as its own process by test_bulk.py (which kills it with SIGKILL mid-run).

usage: python bulk_job.py BASE_URL CHECKPOINT OUTPUT COUNT
Fetches movies 1..COUNT with a file checkpoint and appends each finished id to OUTPUT, flushed.
"""
from __future__ import annotations

import sys

from tmdb_sdk import TMDB
from tmdb_sdk.catalogue.bulk import Failed


def main(base_url: str, checkpoint: str, output: str, count: int) -> None:
    with TMDB(api_key="k", base_url=base_url) as tmdb, open(output, "a", encoding="utf-8") as out:
        for outcome in tmdb.bulk(tmdb.movies.details, range(1, count + 1), concurrency=4, checkpoint=checkpoint):
            if not isinstance(outcome, Failed):
                out.write(f"{outcome.id}\n")
                out.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
