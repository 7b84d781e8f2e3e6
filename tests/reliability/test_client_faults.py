"""The client against a server that misbehaves on purpose: every fault ends in a documented outcome.

Outcome = a parsed result, or one of tmdb_sdk's typed errors whose message names the operation and
what went wrong, reached within a bounded number of attempts -- never a bare KeyError/TypeError/
JSONDecodeError, never a hang.
"""

from __future__ import annotations

import pytest

from tests.reliability import runtime_api as rt
from tests.reliability.conftest import bounded
from tests.reliability.fault_catalogue import MOVIE, TRANSPORT_FAULTS
from tests.reliability.fault_server import Fault, refused_url


def assert_names_operation(error: BaseException, *words: str) -> None:
    text = str(error).lower()
    assert any(name in text for name in rt.OPERATION_NAMES), f"message does not name the operation: {error}"
    for word in words:
        assert word.lower() in text, f"message does not say {word!r}: {error}"


@pytest.mark.parametrize("name", list(TRANSPORT_FAULTS))
def test_fault_ends_in_typed_error(name, serve, client_for):
    case = TRANSPORT_FAULTS[name]
    server = serve(*case.script)
    client = client_for(server.base_url)
    with pytest.raises(rt.TMDBError) as caught:
        bounded(lambda: rt.movie_details(client))
    assert isinstance(caught.value, case.error), f"{name}: {type(caught.value).__name__}: {caught.value}"
    assert_names_operation(caught.value, *case.mentions)
    assert 1 <= server.hits <= case.max_hits, f"{name}: {server.hits} attempts"


def test_connection_refused_is_a_connection_error(client_for):
    client = client_for(refused_url())
    with pytest.raises(rt.ConnectionError) as caught:
        bounded(lambda: rt.movie_details(client))
    assert_names_operation(caught.value)


def test_transient_fault_then_success_is_retried(serve, client_for):
    server = serve(Fault("reset", body=MOVIE[:50], declared_length=len(MOVIE)), Fault(body=MOVIE))
    client = client_for(server.base_url)
    result = bounded(lambda: rt.movie_details(client))
    assert rt.field(result, "title") == "Fight Club"
    assert server.hits == 2


@pytest.mark.parametrize(
    "headers",
    [(), (("Content-Type", "text/plain"),), (("Content-Type", "text/html;charset=utf-8"),)],
    ids=["missing", "text/plain", "text/html"],
)
def test_json_body_with_missing_or_wrong_content_type_is_parsed(headers, serve, client_for):
    server = serve(Fault(headers=headers, body=MOVIE))
    client = client_for(server.base_url)
    result = bounded(lambda: rt.movie_details(client))
    assert rt.field(result, "id") == 550


@pytest.mark.parametrize(("body", "kind"), [(b"[1, 2]", "list"), (b'"movie"', "str"), (b"42", "int")])
def test_body_of_the_wrong_json_type_is_named(body, kind, serve, client_for):
    server = serve(Fault(body=body))
    client = client_for(server.base_url)
    with pytest.raises(rt.ResponseError) as caught:
        bounded(lambda: rt.movie_details(client))
    assert_names_operation(caught.value, "JSON object", kind)  # what was expected, and what came
