"""The clients a user would otherwise pick, each pointed at the bench server and called the way its
documentation shows. Imported only by the calls section; the peers live in the bench environment
(`.venv-bench`, requirements/bench.txt), never in the wheel's dependencies.

How each is pointed at the local server (none of them takes a base URL argument):
- requests.Session: the URL is the bench server's.
- tmdbsimple 2.9.8: `TMDB.__init__` builds `base_uri` from a literal; the bench replaces
  `tmdbsimple.base.TMDB._get_complete_url` (the one method that reads it) for the duration of the run.
  Its requests go through `tmdbsimple.REQUESTS_SESSION = requests.Session()`, as its README advises,
  but it sends `Connection: close` with every request, so each call opens a new connection (the
  server closes it, as TMDB does).
- tmdbv3api 1.10.0: each object sets `self._base` in `__init__`; the bench sets it on the object.
  Its response cache (an lru_cache keyed by URL) is turned off (`tmdb.cache = False`): with it,
  299 of 300 identical calls would never reach the server. It has no public "create request token"
  call (its Authentication logs in from the constructor), so the bench calls the method that
  constructor uses, `_create_request_token`.
- themoviedb 2.0.2 (`TMDb`, `aioTMDb`): the host is `ClientConfig.host`; the bench sets
  `client._config.host`. Both are opened as context managers, so they keep one session.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

API_KEY = "bench-key"
SEARCH_QUERY = "animation"


@contextlib.contextmanager
def tmdbsimple_at(base_url: str) -> Iterator[Any]:
    import requests
    import tmdbsimple
    from tmdbsimple.base import TMDB

    original = TMDB._get_complete_url
    TMDB._get_complete_url = lambda self, path: f"{base_url}/3/{path}"  # type: ignore[method-assign]
    tmdbsimple.API_KEY = API_KEY
    tmdbsimple.REQUESTS_SESSION = session = requests.Session()
    try:
        yield tmdbsimple
    finally:
        TMDB._get_complete_url = original  # type: ignore[method-assign]
        session.close()


def sync_peers(base_url: str, kind: str, stack: contextlib.ExitStack) -> dict[str, Callable[[], Any]]:
    """name -> a call of `kind` (details | search | token), returning the peer's own result object."""
    import requests
    import themoviedb
    import tmdbv3api

    session = stack.enter_context(requests.Session())
    url, params = {
        "details": ("/3/movie/550", {}),
        "search": ("/3/search/movie", {"query": SEARCH_QUERY}),
        "token": ("/3/authentication/token/new", {}),
    }[kind]
    params = {"api_key": API_KEY, **params}
    simple = stack.enter_context(tmdbsimple_at(base_url))

    v3 = tmdbv3api.TMDb()
    v3.api_key, v3.cache = API_KEY, False
    v3_auth = tmdbv3api.Authentication.__new__(tmdbv3api.Authentication)  # its __init__ logs in
    tmdbv3api.TMDb.__init__(v3_auth)
    v3_movie, v3_search = tmdbv3api.Movie(), tmdbv3api.Search()
    for obj in (v3_movie, v3_search, v3_auth):
        obj._base = f"{base_url}/3"

    tmdb = stack.enter_context(themoviedb.TMDb(api_key=API_KEY))
    tmdb._config.host = base_url

    calls: dict[str, dict[str, Callable[[], Any]]] = {
        "details": {
            "tmdbsimple": lambda: simple.Movies(550).info(),
            "tmdbv3api": lambda: v3_movie.details(550),
            "themoviedb (sync)": lambda: tmdb.movie(550).details(),
        },
        "search": {
            "tmdbsimple": lambda: simple.Search().movie(query=SEARCH_QUERY),
            "tmdbv3api": lambda: v3_search.movies(SEARCH_QUERY),
            "themoviedb (sync)": lambda: tmdb.search().movies(SEARCH_QUERY),
        },
        "token": {
            "tmdbsimple": lambda: simple.Authentication().token_new(),
            "tmdbv3api": lambda: v3_auth._create_request_token(),
            "themoviedb (sync)": lambda: tmdb.authentication().create_token(),
        },
    }
    full = base_url + url
    return {"requests.Session": lambda: session.get(full, params=params).json(), **calls[kind]}


async def async_peers(
    base_url: str, kind: str, stack: contextlib.AsyncExitStack
) -> dict[str, Callable[[], Awaitable[Any]]]:
    """name -> an awaitable call of `kind` through each async peer and the raw aiohttp probe."""
    import aiohttp
    import themoviedb

    tmdb = await stack.enter_async_context(themoviedb.aioTMDb(api_key=API_KEY))
    tmdb._config.host = base_url
    session = await stack.enter_async_context(aiohttp.ClientSession())
    url, params = {
        "details": ("/3/movie/550", {}),
        "search": ("/3/search/movie", {"query": SEARCH_QUERY}),
        "token": ("/3/authentication/token/new", {}),
    }[kind]
    full, params = base_url + url, {"api_key": API_KEY, **params}

    async def raw() -> Any:
        async with session.get(full, params=params) as response:
            return json.loads(await response.read())

    peer = {
        "details": lambda: tmdb.movie(550).details(),
        "search": lambda: tmdb.search().movies(SEARCH_QUERY),
        "token": lambda: tmdb.authentication().create_token(),
    }[kind]
    return {"themoviedb aioTMDb": peer, "raw aiohttp (probe)": raw}
