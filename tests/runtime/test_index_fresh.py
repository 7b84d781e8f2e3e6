"""tmdb_sdk._index read from scratch: every field of an entry, the text and classes derived from it.

The module caches what it builds (the index, each entry, each model class), so tests that only use the
shared OPERATIONS see what an earlier test built. These build their own, so that a mistake in the
building itself fails here (mutation testing found it untested, MUTATION.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from tmdb_generated._operations import OPERATIONS as RAW
from tmdb_sdk._index import OperationInfo, Param, Part, _info, _Operations, operation

ENTRY: dict[str, Any] = {
    "tag": "tag-value",
    "resource": "resource-value",
    "action": "action-value",
    "version": 4,
    "module": "module-value",
    "method": "PATCH",
    "path": "/4/x/{x_id}",
    "path_params": (("x_id", "x_id_wire", "int", True, None),),
    "query_params": (("page", "page_wire", "int", False, 1), ("query", "query", "str", True, None)),
    "list_params": ("with_genres",),
    "body": ("tmdb_generated.models.v4_lists_create_body", "V4ListsCreateBody", True),
    "result": ("tmdb_generated.models.v4_list_created", "V4ListCreated", 201),
    "paged": True,
    "append": {"credits": ("credits_", "movies_credits", "tmdb_generated.models.movie_credits", "MovieCredits")},
    "cacheable": False,
}


def test_every_field_of_an_entry_is_read() -> None:
    info = _info("op-id", ENTRY)
    x_id = Param("x_id", "x_id_wire", "int", True, None)
    page, query = Param("page", "page_wire", "int", False, 1), Param("query", "query", "str", True, None)
    assert (info.operation_id, info.tag, info.resource, info.action, info.version) == (
        "op-id",
        "tag-value",
        "resource-value",
        "action-value",
        4,
    )
    assert (info.module, info.method, info.path) == ("module-value", "PATCH", "/4/x/{x_id}")
    assert info.path_params == (x_id,)
    assert info.query_params == (page, query)
    assert info.list_params == frozenset({"with_genres"})
    assert info.body == ENTRY["body"] and info.result == ENTRY["result"]
    assert info.paged is True and info.cacheable is False
    assert info.append == {
        "credits": Part("credits_", "movies_credits", "tmdb_generated.models.movie_credits", "MovieCredits")
    }
    assert info.params == {"x_id": x_id, "page": page, "query": query}
    assert info.path_names == frozenset({"x_id"})
    assert info.qualname == "v4.resource-value.action-value"


def test_the_signature_text_lists_positional_then_keyword_parameters() -> None:
    assert _info("a", ENTRY).signature_text() == "(x_id, *, page=None, query, body)"
    optional_body = ENTRY | {"body": ("m", "M", False), "query_params": ()}
    assert _info("b", optional_body).signature_text() == "(x_id, *, body=None)"
    nothing = ENTRY | {"body": None, "query_params": (), "path_params": ()}
    assert _info("c", nothing).signature_text() == "()"
    assert _info("d", nothing | {"path_params": ENTRY["path_params"]}).signature_text() == "(x_id)"


def test_model_classes_are_imported_once_and_none_without_a_model() -> None:
    info = _info("a", ENTRY)
    result, body = info.result_class(), info.body_class()
    assert (result.__name__, result.__module__) == ("V4ListCreated", "tmdb_generated.models.v4_list_created")
    assert (body.__name__, body.__module__) == ("V4ListsCreateBody", "tmdb_generated.models.v4_lists_create_body")
    assert info.result_class() is result and info.body_class() is body
    info._classes["V4ListCreated"] = int  # the cache is what answers the second time
    assert info.result_class() is int
    without = _info("b", ENTRY | {"body": None, "result": ("tmdb_generated.models.x", None, 204)})
    assert without.result_class() is None and without.body_class() is None
    assert _info("c", ENTRY | {"result": None}).result_class() is None


def test_a_fresh_index_reads_the_generated_one_and_keeps_what_it_built() -> None:
    index = _Operations()
    assert len(index) == len(RAW) == 173
    assert list(index) == list(RAW)
    assert index.raw is RAW
    details = index["movies_details"]
    assert isinstance(details, OperationInfo) and details.path == "/3/movie/{movie_id}"
    assert details.operation_id == "movies_details"
    assert index["movies_details"] is details
    assert dict(index.items())["search_movie"].paged


def test_an_unknown_operation_is_named() -> None:
    with pytest.raises(KeyError) as caught:
        operation("movies_detail")
    assert caught.value.args == ("the TMDB spec has no operation 'movies_detail'",)
    with pytest.raises(KeyError):
        _Operations()["movies_detail"]
