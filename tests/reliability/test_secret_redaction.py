"""With an API key, a bearer token and a session id in use, no error path shows any of them.

Looked at: the exception's str and repr, the full traceback text (chained causes included: httpx
puts the whole URL, query string and all, into its own messages), every record of the client's
loggers at DEBUG, and the repr/str of the client and of its results.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable

import pytest

from tests.reliability import runtime_api as rt
from tests.reliability.conftest import bounded
from tests.reliability.fault_catalogue import MORE_ERROR_PATHS, MOVIE, TRANSPORT_FAULTS
from tests.reliability.fault_server import Fault, refused_url

ERROR_PATHS = {name: case.script for name, case in TRANSPORT_FAULTS.items()} | MORE_ERROR_PATHS
CREDENTIALS = ["api_key", "bearer", "all"]


def assert_no_secret(where: str, texts: Iterable[str]) -> None:
    for text in texts:
        for secret in rt.SECRETS:
            assert secret not in text, f"{where} shows a secret: {text[:400]}"


def error_texts(error: BaseException) -> list[str]:
    return [str(error), repr(error), "".join(traceback.format_exception(error))]


def call_with_session(client):
    """The session id travels in the query string, where httpx's messages would show it."""
    return bounded(lambda: rt.account_details(client))


@pytest.mark.parametrize("credentials", CREDENTIALS)
@pytest.mark.parametrize("path", list(ERROR_PATHS))
def test_error_path_shows_no_secret(path, credentials, serve, client_for, debug_logs):
    server = serve(*ERROR_PATHS[path])
    client = client_for(server.base_url, credentials=credentials)
    with pytest.raises(rt.TMDBError) as caught:
        call_with_session(client)
    assert server.hits >= 1
    assert debug_logs.texts(), "the HTTP stack logged nothing: the log check would be vacuous"
    assert_no_secret("the error", error_texts(caught.value))
    assert_no_secret("a log record", debug_logs.texts())
    assert_no_secret("the client", [repr(client), str(client)])


@pytest.mark.parametrize("credentials", CREDENTIALS)
def test_refused_connection_shows_no_secret(credentials, client_for, debug_logs):
    client = client_for(refused_url(), credentials=credentials)
    with pytest.raises(rt.TMDBError) as caught:
        call_with_session(client)
    assert_no_secret("the error", error_texts(caught.value))
    assert_no_secret("a log record", debug_logs.texts())


@pytest.mark.parametrize("credentials", CREDENTIALS)
def test_success_path_shows_no_secret(credentials, serve, client_for, debug_logs):
    server = serve(Fault(body=MOVIE))
    client = client_for(server.base_url, credentials=credentials)
    result = bounded(lambda: rt.movie_details(client))
    assert_no_secret("the result", [repr(result), str(result)])
    assert_no_secret("a log record", debug_logs.texts())
    assert_no_secret("the client", [repr(client), str(client)])


def test_the_secrets_do_reach_the_server(serve, client_for):
    """Guards the tests above: the credentials are really sent, so their absence in texts means redaction."""
    server = serve(Fault(body=MOVIE))
    client = client_for(server.base_url, credentials="api_key")
    bounded(lambda: rt.account_details(client))
    client = client_for(server.base_url, credentials="bearer")
    bounded(lambda: rt.account_details(client))
    sent = " ".join(f"{r.target} {r.headers}" for r in server.requests)
    assert all(secret in sent for secret in rt.SECRETS)
