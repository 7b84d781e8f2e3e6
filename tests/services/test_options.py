"""Client options: query defaults (derived ones included) and a view's headers and extra query."""

from __future__ import annotations

import pytest
from tmdb_sdk import ConfigurationError
from tmdb_sdk.options import QueryDefaults, check_extra_query, check_headers, image_languages


def test_language_and_region_derive_the_image_languages_and_the_watch_region() -> None:
    defaults = QueryDefaults.of(language="de-DE", region="DE")
    assert defaults.as_query() == {
        "language": "de-DE",
        "region": "DE",
        "watch_region": "DE",
        "include_image_language": "de,null",
    }
    assert image_languages("pt-BR") == "pt,null" and image_languages("en") == "en,null"
    assert QueryDefaults.of().as_query() == {}


def test_given_values_win_and_an_empty_string_leaves_one_unsent() -> None:
    defaults = QueryDefaults.of(language="de-DE", region="DE", watch_region="AT", include_image_language="de,en,null")
    assert defaults.as_query()["watch_region"] == "AT"
    assert defaults.as_query()["include_image_language"] == "de,en,null"
    assert "watch_region" not in QueryDefaults.of(region="DE", watch_region="").as_query()
    assert "include_image_language" not in QueryDefaults.of(language="de", include_image_language="").as_query()


def test_a_view_replaces_some_and_derives_again() -> None:
    base = QueryDefaults.of(language="de-DE", region="DE")
    assert base.replaced({}) is base
    french = base.replaced({"language": "fr-FR", "region": "FR"})
    assert french.as_query() == {
        "language": "fr-FR",
        "region": "FR",
        "watch_region": "FR",
        "include_image_language": "fr,null",
    }
    pinned = QueryDefaults.of(region="DE", watch_region="AT").replaced({"region": "CH"})
    assert pinned.watch_region == "AT"  # set on its own: it stays
    assert base.replaced({"language": None}).as_query() == {"region": "DE", "watch_region": "DE"}


def test_bad_values_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="language must be a string"):
        QueryDefaults.of(language=7)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="set by the client"):
        check_headers({"Authorization": "Bearer x"})
    with pytest.raises(ConfigurationError, match="api_key="):
        check_extra_query({"api_key": "k"})
    with pytest.raises(ConfigurationError, match="not a parameter"):
        check_extra_query({"x": None})


def test_extra_query_values_are_sent_as_tmdb_spells_them() -> None:
    assert check_extra_query({"include_adult": True, "with_genres": [28, 12], "page": 2}) == {
        "include_adult": "true",
        "with_genres": "28,12",
        "page": "2",
    }
    assert check_headers({"X-Request-Id": "abc"}) == {"X-Request-Id": "abc"}
    assert check_headers(None) == {} and check_extra_query(None) == {}


@pytest.mark.parametrize("name", ["language", "region", "watch_region", "include_image_language"])
def test_a_non_string_default_is_refused_by_its_name(name: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        QueryDefaults.of(**{name: 49})  # type: ignore[arg-type]
    assert str(raised.value) == f"{name} must be a string such as 'de-DE', got 49"


def test_image_languages_keep_only_the_language_part() -> None:
    assert image_languages("zh-Hant-TW") == "zh,null"
    assert image_languages(" DE-de") == "de,null"
    assert image_languages("") == "null" and image_languages("-DE") == "null"


def test_a_new_region_keeps_image_languages_that_were_set_on_their_own() -> None:
    pinned = QueryDefaults.of(language="de-DE", include_image_language="de,en,null")
    assert pinned.replaced({"region": "AT"}).include_image_language == "de,en,null"
    assert pinned.replaced({"language": "fr-FR"}).include_image_language == "fr,null"


def test_extra_query_refusals_and_false_say_exactly_what_they_mean() -> None:
    assert check_extra_query({"include_adult": False, "include_video": True}) == {
        "include_adult": "false",
        "include_video": "true",
    }
    with pytest.raises(ConfigurationError) as raised:
        check_extra_query({"api_key": "k"})
    assert str(raised.value) == "extra_query: pass the API key as api_key=, not as a query parameter"


def test_a_header_value_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(ConfigurationError) as raised:
        check_headers({"X-Request-Id": 5})  # type: ignore[dict-item]
    assert str(raised.value) == "headers must map strings to strings, got 'X-Request-Id': 5"
    with pytest.raises(ConfigurationError, match="headers must map strings to strings"):
        check_headers({7: "x"})  # type: ignore[dict-item]
