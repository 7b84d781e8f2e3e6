"""Redaction of credentials by parameter name, by header form and by known value."""

from __future__ import annotations

from tmdb_sdk.redact import mask, redact, register_secrets


def test_query_and_json_parameters_are_masked() -> None:
    url = "GET https://api.themoviedb.org/3/movie/1?api_key=abc123def&session_id=s3ss10n&language=en"
    assert redact(url) == "GET https://api.themoviedb.org/3/movie/1?api_key=***&session_id=***&language=en"
    assert (
        redact('{"request_token": "tok-123456", "username": "jane"}') == '{"request_token": "***", "username": "jane"}'
    )
    assert redact("guest_session_id%3Dgs-999") == "guest_session_id%3D***"


def test_bearer_tokens_are_masked() -> None:
    assert redact("Authorization: Bearer eyJhbGci.payload.sig") == "Authorization: Bearer ***"


def test_registered_secrets_are_masked_anywhere() -> None:
    register_secrets(["registered-secret-value", None, "short"])
    assert redact("oops registered-secret-value in a path") == "oops *** in a path"
    assert redact("a short word") == "a short word"  # too short to mask by value


def test_mask_shows_none_of_a_secret() -> None:
    # The README: "replaced by `***`" (it showed the last 4 characters of secrets of 16 or more).
    for secret in ("0123456789abcdefXYZW", "tiny", "abcde", "0123456789abcdeF"):
        assert mask(secret) == "***"
    assert mask(None) is None and mask("") is None
