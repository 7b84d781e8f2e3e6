"""The runtime reads the operation index: every operation reachable, typed, and nothing introspected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tmdb_sdk import TMDB, AsyncTMDB
from tmdb_sdk._index import OPERATIONS, operation
from tmdb_sdk.operations import AsyncOperation, SyncOperation

RUNTIME = Path(__file__).resolve().parents[2] / "runtime" / "tmdb_sdk"


def test_every_operation_of_the_index_is_a_typed_client_attribute() -> None:
    assert len(OPERATIONS) == 173
    tmdb, atmdb = TMDB(api_key="k" * 20), AsyncTMDB(api_key="k" * 20)
    for operation_id, info in OPERATIONS.items():
        sync_root, async_root = (tmdb.v4, atmdb.v4) if info.version == 4 else (tmdb, atmdb)
        op = getattr(getattr(sync_root, info.resource), info.action)
        aop = getattr(getattr(async_root, info.resource), info.action)
        assert isinstance(op, SyncOperation) and isinstance(aop, AsyncOperation)
        assert op.info is info and aop.info is info and op.name == operation_id
        assert type(op).__doc__ and type(op).__doc__.startswith(f"tmdb.{info.qualname}(")
    tmdb.close()


def test_the_entry_of_an_operation() -> None:
    info = operation("movies_details")
    assert (info.method, info.path, info.version, info.paged) == ("GET", "/3/movie/{movie_id}", 3, False)
    assert [p.name for p in info.path_params] == ["movie_id"]
    assert info.append["credits"].attribute == "credits_"
    assert info.result_class().__name__ == "MovieDetails"
    assert info.cacheable and not operation("account_details").cacheable
    assert operation("search_movie").paged
    assert operation("v4_lists_create").body is not None
    with pytest.raises(KeyError, match="no operation 'movies_detail'"):
        operation("movies_detail")


def test_help_and_dir_show_the_operations_and_their_parameters() -> None:
    import inspect
    import pydoc

    with TMDB(api_key="k" * 20) as tmdb:
        assert {"movies", "search", "v4", "auth"} <= set(dir(tmdb))
        assert "details" in dir(tmdb.movies) and "lists" in dir(tmdb.v4)
        text = pydoc.render_doc(tmdb.movies.details, renderer=pydoc.plaintext)
        assert "tmdb.movies.details(movie_id: int, *, append_to_response:" in text
        assert "-> MovieDetails" in text and "Docs: https://" in text
        assert str(inspect.signature(tmdb.search.movie)).startswith("(*, query, ")
        assert "query: Text to search for." in pydoc.render_doc(tmdb.search.movie, renderer=pydoc.plaintext)


def test_the_runtime_introspects_nothing() -> None:
    """No pkgutil scan, signature reading of generated modules or traceback frame walking."""
    banned = re.compile(r"pkgutil|tb_frame|f_locals|tb_next|getsource|inspect\.signature|__traceback__|_get_kwargs")
    for path in RUNTIME.glob("*.py"):
        found = banned.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found}"
