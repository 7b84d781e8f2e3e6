"""Entry point: configuration, credentials on the wire, lazy namespaces, views, closing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from runtime_support import ACCESS_TOKEN, API_KEY, FakeClock, assert_no_secret
from tmdb_sdk import KEEP, TMDB, AsyncTMDB, ConfigurationError, RetryPolicy
from tmdb_sdk.client import resolve_settings

ROOT = Path(__file__).resolve().parents[2]


def test_settings_come_from_arguments_then_environment_then_defaults() -> None:
    env = {
        "TMDB_API_KEY": "env-key-0123456789",
        "TMDB_ACCESS_TOKEN": "env-token-0123456789",
        "TMDB_BASE_URL": "http://127.0.0.1:9/",
    }
    from_env = resolve_settings(None, None, None, 10.0, RetryPolicy(), None, environ=env)
    assert from_env.credentials.api_key == "env-key-0123456789"
    assert from_env.credentials.access_token == "env-token-0123456789"
    assert from_env.base_url == "http://127.0.0.1:9"
    from_args = resolve_settings("arg-key-0123456789", None, "https://x", 3.0, RetryPolicy(), None, environ=env)
    assert from_args.credentials.api_key == "arg-key-0123456789"
    assert (from_args.base_url, from_args.timeout) == ("https://x", 3.0)
    defaults = TMDB("k" * 20)._settings
    assert defaults.base_url == "https://api.themoviedb.org"
    assert defaults.retry == RetryPolicy()
    assert defaults.timeout == 10.0


def test_missing_credentials_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TMDB_API_KEY", raising=False)
    monkeypatch.delenv("TMDB_ACCESS_TOKEN", raising=False)
    with pytest.raises(ConfigurationError, match="TMDB_API_KEY"):
        TMDB()


def test_environment_variables_configure_the_client(
    monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer, base_url: str
) -> None:
    monkeypatch.setenv("TMDB_API_KEY", API_KEY)
    monkeypatch.setenv("TMDB_BASE_URL", base_url)
    httpserver.expect_request("/3/genre/movie/list", query_string={"api_key": API_KEY}).respond_with_json(
        {"genres": [{"id": 28, "name": "Action"}]}
    )
    with TMDB() as tmdb:
        assert tmdb.genres.movie_list().genres[0].name == "Action"


def test_api_key_goes_in_the_query_on_v3(httpserver: HTTPServer, tmdb: TMDB) -> None:
    httpserver.expect_request("/3/movie/550", query_string={"api_key": API_KEY, "language": "de-DE"}).respond_with_json(
        {"id": 550, "title": "Fight Club"}
    )
    movie = tmdb.movies.details(550, language="de-DE")
    assert (movie.id, movie.title) == (550, "Fight Club")
    request, _ = httpserver.log[0]
    assert "Authorization" not in request.headers


def test_bearer_token_goes_in_the_header_and_wins_over_a_key(httpserver: HTTPServer, base_url: str) -> None:
    httpserver.expect_request(
        "/3/movie/550", headers={"Authorization": f"Bearer {ACCESS_TOKEN}"}, query_string=""
    ).respond_with_json({"id": 550, "title": "Fight Club"})
    with TMDB(api_key=API_KEY, access_token=ACCESS_TOKEN, base_url=base_url) as tmdb:
        assert tmdb.movies.details(550).id == 550


def test_v4_needs_a_bearer_token_and_says_so_before_any_request(httpserver: HTTPServer, tmdb: TMDB) -> None:
    with pytest.raises(ConfigurationError, match="v4 accepts only a bearer token") as caught:
        tmdb.v4.lists.details(list_id=1)
    assert_no_secret(str(caught.value))
    assert httpserver.log == []


def test_v4_operations_use_the_bearer_token(httpserver: HTTPServer, bearer_tmdb: TMDB) -> None:
    httpserver.expect_request("/4/list/7", headers={"Authorization": f"Bearer {ACCESS_TOKEN}"}).respond_with_json(
        {"id": 7, "name": "Mine", "page": 1, "total_pages": 1, "results": []}
    )
    assert bearer_tmdb.v4.lists.details(list_id=7).name == "Mine"


def test_a_dict_body_is_turned_into_the_generated_body_model(httpserver: HTTPServer, bearer_tmdb: TMDB) -> None:
    httpserver.expect_request("/4/list/7", method="PUT", json={"name": "Renamed"}).respond_with_json(
        {"success": True, "status_code": 12, "status_message": "The item/record was updated successfully."}
    )
    result = bearer_tmdb.v4.lists.update(7, body={"name": "Renamed"})
    assert (result.success, result.status_code) == (True, 12)
    assert result.status_message == "The item/record was updated successfully."


def test_importing_the_runtime_imports_no_operation_or_model() -> None:
    code = (
        "import sys, tmdb_sdk; from tmdb_sdk import TMDB; TMDB(api_key='k' * 20).close();"
        "print(sorted(m for m in sys.modules if m.startswith(('tmdb_generated.api.', 'tmdb_generated.models',"
        " 'tmdb_generated._facade.'))))"
    )
    paths = os.pathsep.join(str(ROOT / p) for p in ("generated", "runtime"))
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": paths},
    )
    assert out.stdout.strip() == "[]"


def test_namespaces_are_built_lazily_from_the_index(tmdb: TMDB) -> None:
    op = tmdb.collections.details
    assert op.name == "collections_details"
    assert op.info.module == "tmdb_generated.api.collections.collections_details"
    assert tmdb.collections.details is op  # kept after the first access
    assert "details" in dir(tmdb.collections)
    assert "movies" in dir(tmdb)
    assert tmdb.v4.lists.clear.name == "v4_lists_clear"
    assert "lists" in dir(tmdb.v4)


def test_unknown_names_list_the_valid_ones(tmdb: TMDB) -> None:
    with pytest.raises(AttributeError, match="resources: .*movies"):
        tmdb.film  # noqa: B018
    with pytest.raises(AttributeError, match="operations: .*details"):
        tmdb.movies.detail  # noqa: B018
    with pytest.raises(AttributeError, match="v4 has no resource 'movies'; resources: account, auth, lists"):
        tmdb.v4.movies  # noqa: B018
    with pytest.raises(AttributeError):
        tmdb.v4_lists  # noqa: B018 - v4 tags live under tmdb.v4 only


def test_a_wrong_argument_stays_a_type_error(tmdb: TMDB) -> None:
    with pytest.raises(TypeError, match="langauge"):
        tmdb.movies.details(550, langauge="en")


def test_repr_masks_credentials(base_url: str) -> None:
    with TMDB(api_key=API_KEY, access_token=ACCESS_TOKEN, base_url=base_url) as tmdb:
        text = repr(tmdb) + str(tmdb) + repr(tmdb.with_options(retry=None)) + repr(tmdb._settings)
    assert_no_secret(text)
    assert "***" in text


def test_with_options_shares_the_pool_and_changes_only_what_is_asked(
    httpserver: HTTPServer, tmdb: TMDB, fake_clock: FakeClock
) -> None:
    httpserver.expect_request("/3/movie/1").respond_with_json({"id": 1, "title": "Movie 1"})
    view = tmdb.with_options(access_token=ACCESS_TOKEN, timeout=KEEP)
    assert view._pool is tmdb._pool
    assert view._settings.timeout == tmdb._settings.timeout
    assert view.movies.details(1).id == 1
    request, _ = httpserver.log[0]
    assert request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    view.close()  # a view leaves the pool open
    assert tmdb.movies.details(1).id == 1


def test_close_closes_the_pool(base_url: str) -> None:
    tmdb = TMDB(api_key=API_KEY, base_url=base_url)
    assert not tmdb.is_closed
    with tmdb:
        pass
    assert tmdb.is_closed


async def test_async_client_mirrors_the_sync_one(httpserver: HTTPServer, atmdb: AsyncTMDB) -> None:
    httpserver.expect_request("/3/movie/550", query_string={"api_key": API_KEY}).respond_with_json(
        {"id": 550, "title": "Fight Club"}
    )
    assert (await atmdb.movies.details(550)).id == 550
    assert atmdb.movies.details.name == "movies_details"
    with pytest.raises(ConfigurationError):
        await atmdb.v4.lists.details(list_id=1)
    assert_no_secret(repr(atmdb))


async def test_async_close_closes_the_pool(base_url: str) -> None:
    tmdb = AsyncTMDB(api_key=API_KEY, base_url=base_url)
    async with tmdb:
        pass
    assert tmdb.is_closed


def test_a_supplied_transport_is_used(base_url: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url.path))
        return httpx.Response(200, json={"id": 5, "title": "Movie 5"})

    with TMDB(api_key=API_KEY, base_url=base_url, transport=httpx.MockTransport(handler)) as tmdb:
        assert tmdb.movies.details(5).id == 5
    assert seen == ["/3/movie/5"]


def test_lists_are_joined_with_commas_except_for_list_parameters() -> None:
    from tmdb_sdk._core import bind
    from tmdb_sdk._index import OperationInfo, Param

    ids, fields = Param("ids", "ids", "list", False, None), Param("fields", "fields", "str", False, None)
    info = OperationInfo(
        operation_id="fake_list",
        tag="fake",
        resource="fake",
        action="list",
        version=3,
        module="fake",
        method="GET",
        path="/3/fake",
        path_params=(),
        query_params=(ids, fields),
        list_params=frozenset({"ids"}),
        body=None,
        result=None,
        paged=False,
        append={},
        cacheable=True,
        params={"ids": ids, "fields": fields},
        path_names=frozenset(),
    )
    assert bind(info, (), {"ids": [1, 2], "fields": ["a", "b"]}).query == {"ids": [1, 2], "fields": "a,b"}


def test_a_dict_body_that_does_not_fit_names_the_operation(httpserver: HTTPServer, bearer_tmdb: TMDB) -> None:
    with pytest.raises(TypeError, match="v4_lists_create: body does not fit"):
        bearer_tmdb.v4.lists.create(body={"description": "no name"})
    assert httpserver.log == []


def test_a_resource_named_like_a_builtin_is_reachable_by_its_tag() -> None:
    # The generator puts the credits operations in a folder named credits_ (credits is a builtin).
    tmdb = TMDB(api_key=API_KEY)
    try:
        assert "credits" in dir(tmdb) and "credits_" not in dir(tmdb)
        assert tmdb.credits.details.name == "credits_details"
        assert dir(tmdb.credits) == ["details"]
    finally:
        tmdb.close()
