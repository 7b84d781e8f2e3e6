"""RawResponse: the HTTP side of a call, parsed on demand, never showing a credential."""

from __future__ import annotations

import httpx
from services_support import ACCESS_TOKEN, API_KEY, assert_no_secret
from tmdb_sdk.raw import RawResponse, public_url


def raw(url: str, template: str = "/3/movie/{movie_id}", parse_calls: list[int] | None = None) -> RawResponse[dict]:
    request = httpx.Request("GET", url, headers={"Authorization": f"Bearer {ACCESS_TOKEN}"})
    response = httpx.Response(
        200,
        request=request,
        json={"id": 550, "title": "Fight Club"},
        headers={
            "x-ratelimit-remaining": "39",
            "cache-control": "public, max-age=300",
            "x-cache": "Hit from cloudfront",
        },
    )
    seen = parse_calls if parse_calls is not None else []

    def parse(r: httpx.Response) -> dict:
        seen.append(1)
        return {"parsed": r.json()["title"]}

    return RawResponse(response, operation="movies_details", path=template, elapsed=0.0123, parse=parse, attempts=2)


def test_status_headers_elapsed_operation_and_body() -> None:
    r = raw("https://api.themoviedb.org/3/movie/550?language=de-DE")
    assert (r.status_code, r.http_status, r.elapsed, r.attempts) == (200, 200, 0.0123, 2)
    assert (r.operation, r.method, r.path) == ("movies_details", "GET", "/3/movie/{movie_id}")
    assert r.headers["X-Cache"] == "Hit from cloudfront" and r.headers["x-ratelimit-remaining"] == "39"
    assert r.json()["id"] == 550 and '"Fight Club"' in r.text
    assert str(r.url) == "https://api.themoviedb.org/3/movie/550?language=de-DE"


def test_parse_runs_once() -> None:
    calls: list[int] = []
    r = raw("https://api.themoviedb.org/3/movie/550", parse_calls=calls)
    assert r.parse() == {"parsed": "Fight Club"}
    assert r.parse() is r.parse()
    assert calls == [1]


def test_no_secret_in_repr_url_or_attributes() -> None:
    r = raw(f"https://api.themoviedb.org/3/movie/550?api_key={API_KEY}&session_id={API_KEY}&language=de")
    assert str(r.url) == "https://api.themoviedb.org/3/movie/550?api_key=***&session_id=***&language=de"
    assert repr(r) == "<RawResponse movies_details 200 GET /3/movie/550 in 12.3 ms>"
    shown = (
        repr(r) + str(r.url) + repr(dict(r.headers)) + repr([getattr(r, s) for s in ("operation", "path", "method")])
    )
    assert_no_secret(shown)
    assert not hasattr(r, "request") and not hasattr(r, "http_response")


def test_secret_path_segments_are_masked() -> None:
    template = "/3/guest_session/{guest_session_id}/rated/movies"
    url = httpx.URL(f"https://api.themoviedb.org/3/guest_session/{API_KEY}/rated/movies?page=2")
    assert str(public_url(url, template)) == "https://api.themoviedb.org/3/guest_session/***/rated/movies?page=2"
    assert public_url(httpx.URL("https://h/3/movie/1?api%5Fkey=x1")).query == b"api%5Fkey=***"
