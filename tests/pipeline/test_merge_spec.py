"""scripts/merge.py: per-page documents into one OpenAPI 3.0.3 document, nothing lost silently."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from scripts.common import PipelineError, read_json, write_json
from scripts.merge import main, merge, operations, push_down_path_parameters
from tests.pipeline.tiny import document, operation, path_parameter, query_parameter


def _item(page: str, method: str, path: str, doc: dict[str, Any]) -> dict[str, Any]:
    return {"page": page, "operation": f"{method} {path}", "document": doc}


def _tiny_extracted() -> list[dict[str, Any]]:
    return [
        _item("/genres.md", "GET", "/3/genre/movie/list",
              document("GET", "/3/genre/movie/list", operation("moviesList1", "GENRES", "Genres"))),
        _item("/movie.md", "GET", "/3/movie/{movie_id}",
              document("GET", "/3/movie/{movie_id}", operation("details", "MOVIES", "Movie"),
                       path_parameters=[path_parameter("movie_id")])),
        _item("/account.md", "GET", "/3/account/{account_id}",
              document("GET", "/3/account/{account_id}", operation("details", "ACCOUNT", "Account"),
                       path_parameters=[path_parameter("account_id")])),
        _item("/v4/account.md", "GET", "/4/account/{account_object_id}",
              document("GET", "/4/account/{account_object_id}", operation("details", "ACCOUNT", "V4 account"),
                       version="v4", path_parameters=[path_parameter("account_object_id")])),
    ]  # fmt: skip


def _op(doc: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    op: dict[str, Any] = doc["paths"][path][method]
    return op


def test_path_parameters_move_into_each_operation_and_own_ones_win() -> None:
    doc = document("GET", "/3/x/{id}", operation("x", "MOVIES", "X"), path_parameters=[path_parameter("id")])
    item = doc["paths"]["/3/x/{id}"]
    item["parameters"].append(query_parameter("language"))
    item["delete"] = operation("y", "MOVIES", "Y")
    own_language = {**query_parameter("language"), "description": "the operation's own"}
    item["get"]["parameters"] = [own_language]
    before = copy.deepcopy(doc)

    pushed = push_down_path_parameters(doc)
    assert doc == before  # pure
    assert "parameters" not in pushed["paths"]["/3/x/{id}"]
    assert _op(pushed, "/3/x/{id}")["parameters"] == [path_parameter("id"), own_language]
    assert _op(pushed, "/3/x/{id}", "delete")["parameters"] == [path_parameter("id"), query_parameter("language")]


def test_tiny_merge_has_one_server_distinct_v4_tags_and_the_docs_operation_ids() -> None:
    merged = merge(_tiny_extracted())
    assert merged["openapi"] == "3.0.3"
    assert merged["servers"] == [{"url": "https://api.themoviedb.org"}]
    assert [t["name"] for t in merged["tags"]] == ["ACCOUNT", "GENRES", "MOVIES", "V4 ACCOUNT", "V4 LISTS"]
    assert merged["security"] == [{"bearerAuth": []}]
    assert _op(merged, "/4/account/{account_object_id}")["tags"] == ["V4 ACCOUNT"]
    ids = {f"{m.upper()} {p}": op["operationId"] for p, m, op in operations(merged)}
    assert ids == {  # as the pages give them, repeated ones too: the merge invents no name
        "GET /3/genre/movie/list": "moviesList1",
        "GET /3/movie/{movie_id}": "details",
        "GET /3/account/{account_id}": "details",
        "GET /4/account/{account_object_id}": "details",
    }
    assert _op(merged, "/3/movie/{movie_id}")["parameters"] == [path_parameter("movie_id")]
    assert merged["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_merge_does_not_depend_on_page_order() -> None:
    forward, backward = merge(_tiny_extracted()), merge(_tiny_extracted()[::-1])
    assert forward["paths"] == backward["paths"]  # operationIds included


def test_the_merge_leaves_operation_ids_alone() -> None:
    doc = document("GET", "/3/a", operation("details", "MOVIES", "A"))
    twin = document("GET", "/3/b", operation("details", "MOVIES", "B"))
    merged = merge([_item("/a.md", "GET", "/3/a", doc), _item("/b.md", "GET", "/3/b", twin)])
    assert [op["operationId"] for _, _, op in sorted(operations(merged))] == ["details", "details"]
    assert not any("_2" in str(op.get("operationId")) for _, _, op in operations(merged))


def test_same_operation_on_two_pages_is_fine_when_identical_and_an_error_when_not() -> None:
    items = _tiny_extracted()
    twin = copy.deepcopy(items[1]) | {"page": "/movie-copy.md"}
    assert merge([*items, twin]) == merge(items)
    _op(twin["document"], "/3/movie/{movie_id}")["summary"] = "Another summary"
    with pytest.raises(PipelineError, match=r"/movie-copy\.md: GET /3/movie/\{movie_id\} differs from the same "
                       r"operation in /movie\.md"):  # fmt: skip
        merge([*items, twin])


def test_two_components_under_one_name_are_an_error() -> None:
    items = _tiny_extracted()
    items[2]["document"]["components"]["securitySchemes"]["bearerAuth"]["bearerFormat"] = "JWT"
    with pytest.raises(PipelineError, match=r"/account\.md: component securitySchemes/bearerAuth differs from the one "
                       r"in /genres\.md"):  # fmt: skip
        merge(items)


def test_components_differing_between_v3_and_v4_are_an_error() -> None:
    items = _tiny_extracted()
    items[3]["document"]["components"]["securitySchemes"]["bearerAuth"]["bearerFormat"] = "JWT"
    with pytest.raises(PipelineError, match="component securitySchemes/bearerAuth differs between v3 and v4"):
        merge(items)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("info", {"title": "Other", "version": "2.0.0"}),
        ("tags", [{"name": "MOVIES"}]),
        ("security", [{"apiKeyAuth": []}]),
        ("servers", [{"url": "https://elsewhere.test"}]),
    ],
)
def test_top_level_fields_differing_within_a_version_are_an_error(key: str, value: Any) -> None:
    items = _tiny_extracted()
    items[2]["document"][key] = value
    with pytest.raises(PipelineError, match=rf"/account\.md: top-level `{key}` differs from the one in /genres\.md"):
        merge(items)


def test_v3_and_v4_security_differing_is_pushed_down_to_their_operations() -> None:
    items = _tiny_extracted()
    items[3]["document"]["security"] = [{"v4Bearer": []}]
    items[3]["document"]["components"]["securitySchemes"]["v4Bearer"] = {"type": "http", "scheme": "bearer"}
    own: list[dict[str, list[str]]] = [{"apiKeyAuth": []}]
    _op(items[0]["document"], "/3/genre/movie/list")["security"] = own
    merged = merge(items)
    assert "security" not in merged
    assert _op(merged, "/3/genre/movie/list")["security"] == own  # an operation's own choice is kept
    assert _op(merged, "/3/movie/{movie_id}")["security"] == [{"bearerAuth": []}]
    assert _op(merged, "/4/account/{account_object_id}")["security"] == [{"v4Bearer": []}]


def test_v3_and_v4_servers_differing_is_an_error() -> None:
    items = _tiny_extracted()
    items[3]["document"]["servers"] = [{"url": "https://elsewhere.test"}]
    with pytest.raises(PipelineError, match="v3 and v4 pages name different servers"):
        merge(items)


def test_unknown_top_level_field_is_an_error_not_dropped() -> None:
    items = _tiny_extracted()
    for item in items[:3]:
        item["document"]["externalDocs"] = {"url": "https://docs.test"}
    with pytest.raises(
        PipelineError, match=r"v3 pages carry top-level fields the merge does not know: \['externalDocs'\]"
    ):
        merge(items)


def test_path_outside_v3_and_v4_and_empty_input_are_errors() -> None:
    with pytest.raises(PipelineError, match=r"/odd\.md: path /5/x is neither /3/ nor /4/"):
        merge([_item("/odd.md", "GET", "/5/x", document("GET", "/5/x", operation("x", "X", "X")))])
    with pytest.raises(PipelineError, match="no operation documents to merge"):
        merge([])


def test_main_reads_extracted_and_writes_merged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_json(tmp_path / "extracted.json", _tiny_extracted())
    main(["--in", str(tmp_path / "extracted.json"), "--out", str(tmp_path / "merged.json")])
    assert read_json(tmp_path / "merged.json") == merge(_tiny_extracted())
    assert "merge: 4 operations, 5 tags" in capsys.readouterr().out


def test_missing_input_says_to_run_the_previous_step(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"extracted\.json: missing \(run the previous build step first\)"):
        main(["--in", str(tmp_path / "extracted.json"), "--out", str(tmp_path / "merged.json")])
