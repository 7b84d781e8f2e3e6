"""The fault server itself: each scripted fault reaches a plain httpx client as the fault it claims to be.

If these fail, the client fault tests would be testing nothing.
"""

from __future__ import annotations

import httpx
import pytest

from tests.reliability.fault_server import Fault, refused_url

BODY = b'{"id": 550, "title": "Fight Club"}'


def get(url: str) -> httpx.Response:
    return httpx.get(f"{url}/3/movie/550?x=1", timeout=0.3)


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault("reset", body=BODY[:10], declared_length=len(BODY)), httpx.ReadError),
        (Fault("truncate", body=BODY[:10], declared_length=len(BODY)), httpx.RemoteProtocolError),
        (Fault("hang", delay=2.0), httpx.ReadTimeout),
        (Fault(delay=2.0), httpx.ReadTimeout),
        (Fault("close"), httpx.RemoteProtocolError),
    ],
    ids=["reset", "truncate", "hang", "slow", "close"],
)
def test_fault_reaches_the_client(fault, error, serve):
    server = serve(fault)
    with pytest.raises(error):
        get(server.base_url)
    assert server.hits == 1
    assert server.requests[0].target == "/3/movie/550?x=1"


def test_script_plays_in_order_then_repeats_its_last_fault(serve):
    server = serve(Fault(status=503, body=b"down"), Fault(body=BODY))
    assert [get(server.base_url).status_code for _ in range(3)] == [503, 200, 200]
    assert get(server.base_url).content == BODY


def test_headers_are_sent_as_scripted(serve):
    server = serve(Fault(status=429, headers=(("Retry-After", "7"),), body=b""))
    response = get(server.base_url)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert "content-type" not in response.headers


def test_refused_url_refuses():
    with pytest.raises(httpx.ConnectError):
        get(refused_url())
