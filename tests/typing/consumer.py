"""A consumer's script, as a user would write it: checked with `mypy --strict` by test_facade_types.py.

Each "R" comment is the type mypy must reveal on its line, each "E" comment an error it must report. Never run.
"""
from __future__ import annotations

from typing import reveal_type

from tmdb_sdk import TMDB, AsyncTMDB


def sync_calls(tmdb: TMDB) -> None:
    movie = tmdb.movies.details(550, language="en-US")
    reveal_type(movie)  # R: tmdb_generated.models.movie_details.MovieDetails
    print(movie.titel)  # E: "MovieDetails" has no attribute "titel"
    tmdb.movies.details("550")  # E: Argument 1 to "__call__" of "MoviesDetails" has incompatible type "str"
    tmdb.movies.details(550, langauge="en")  # E: Unexpected keyword argument "langauge"
    tmdb.movies.detials(550)  # E: "Movies" has no attribute "detials"
    tmdb.search.movie("fight")  # E: Too many positional arguments
    for item in tmdb.search.movie.items(query="fight", max_items=5):
        reveal_type(item)  # R: tmdb_generated.models.movie_summary.MovieSummary
    for page in tmdb.search.movie.pages(query="fight", max_pages=2):
        reveal_type(page)  # R: tmdb_generated.models.movie_page.MoviePage
    tmdb.movies.details.items(550)  # E: "MoviesDetails" has no attribute "items"
    appended = tmdb.movies.details.with_appended(550, append=["credits", "watch/providers"])
    reveal_type(appended.result)  # R: tmdb_generated.models.movie_details.MovieDetails
    reveal_type(appended["credits"])  # R: tmdb_generated.models.credits_.Credits
    reveal_type(appended["watch/providers"])  # R: tmdb_generated.models.watch_providers.WatchProviders
    tmdb.movies.details.with_appended(550, append=["casts"])  # E: List item 0 has incompatible type "Literal['casts']"
    user_lists = tmdb.v4.lists.details(7)
    reveal_type(user_lists)  # R: tmdb_generated.models.v4_list_details.V4ListDetails
    print(tmdb.v4.movies)  # E: "V4Resources" has no attribute "movies"


async def async_calls(tmdb: AsyncTMDB) -> None:
    pending = reveal_type(tmdb.movies.details(550))  # R: typing.Coroutine[Any, Any, tmdb_generated.models.movie_details.MovieDetails]
    movie = await pending
    reveal_type(movie)  # R: tmdb_generated.models.movie_details.MovieDetails
    print(movie.titel)  # E: "MovieDetails" has no attribute "titel"
    async for item in tmdb.movie_lists.popular.items(max_items=2):
        reveal_type(item)  # R: tmdb_generated.models.movie_summary.MovieSummary
    appended = await tmdb.tv_seasons.details.with_appended(1399, 1, append=["credits"])
    reveal_type(appended["credits"])  # R: tmdb_generated.models.credits_.Credits
    user_lists = await tmdb.v4.lists.details(7)
    reveal_type(user_lists)  # R: tmdb_generated.models.v4_list_details.V4ListDetails
