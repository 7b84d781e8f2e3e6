"""overlays/051-components-resources.yaml declares credits, media, reference-data components and country maps."""
from __future__ import annotations

from typing import Any

import pytest

from tests.overlays.schema_support import all_components, declared_by, errors

FILE = "051-components-resources.yaml"
PROVIDER = {"provider_id": 8, "provider_name": "Netflix", "logo_path": "/n.jpg", "display_priority": 4}


@pytest.fixture(scope="module")
def components() -> dict[str, Any]:
    return all_components()


def test_it_declares_the_shared_sub_resources() -> None:
    assert {"CastMember", "CrewMember", "Credits", "Image", "Images", "Video", "Videos", "Review",
            "TranslationList", "ExternalIds", "WatchProviders", "CertificationList", "ChangeList"} <= declared_by(FILE)


def test_watch_providers_are_a_map_keyed_by_country_not_one_field_per_country(components: dict[str, Any]) -> None:
    by_country = components["schemas"]["WatchProvidersByCountry"]
    assert "properties" not in by_country
    assert by_country["additionalProperties"] == {"$ref": "#/components/schemas/CountryWatchProviders"}
    body = {"id": 550, "results": {"AD": {"link": "https://x", "flatrate": [PROVIDER]}, "ZZ": {"buy": [PROVIDER]}}}
    assert errors(components, "WatchProviders", body) == []
    assert errors(components, "WatchProviders", {"id": 550, "results": {"AD": {"flatrate": [{**PROVIDER, "provider_id": "8"}]}}})


def test_certifications_are_a_map_of_lists_keyed_by_country_or_region(components: dict[str, Any]) -> None:
    body = {"certifications": {"US": [{"certification": "R", "meaning": "...", "order": 5}], "CA-QC": []}}
    assert errors(components, "CertificationList", body) == []
    assert errors(components, "CertificationList", {"certifications": {"US": {"certification": "R"}}})


def test_provider_display_priorities_are_integers_per_country(components: dict[str, Any]) -> None:
    assert errors(components, "WatchProvider", {**PROVIDER, "display_priorities": {"AD": 1, "AE": 4}}) == []
    assert errors(components, "WatchProvider", {**PROVIDER, "display_priorities": {"AD": "first"}})


def test_credits_list_cast_crew_and_guest_stars(components: dict[str, Any]) -> None:
    cast = {"id": 819, "name": "Edward Norton", "character": "Narrator", "cast_id": 4, "order": 0, "gender": 2,
            "profile_path": None, "popularity": 26.99}
    crew = {"id": 7467, "name": "David Fincher", "department": "Directing", "job": "Director", "profile_path": None}
    assert errors(components, "Credits", {"id": 550, "cast": [cast], "crew": [crew], "guest_stars": [cast]}) == []
    assert errors(components, "Credits", {"id": 550, "cast": [{**cast, "order": "first"}]})


def test_combined_credits_hold_movie_and_tv_items(components: dict[str, Any]) -> None:
    movie = {"id": 550, "title": "Fight Club", "character": "Tyler", "media_type": "movie", "order": 1}
    tv = {"id": 1399, "name": "GoT", "character": "x", "media_type": "tv", "episode_count": 3}
    assert errors(components, "PersonCombinedCredits", {"id": 287, "cast": [movie, tv], "crew": []}) == []
    assert errors(components, "PersonCombinedCredits", {"id": 287, "cast": [{"id": 1, "media_type": "movie"}]})


def test_images_allow_a_null_language_and_decimal_votes(components: dict[str, Any]) -> None:
    image = {"file_path": "/p.jpg", "aspect_ratio": 0.667, "height": 3000, "width": 2000, "iso_639_1": None,
             "vote_average": 5.3, "vote_count": 7}
    assert errors(components, "Images", {"id": 550, "posters": [image], "backdrops": [], "logos": []}) == []
    assert errors(components, "Images", {"id": 550, "posters": [{**image, "height": 3000.5}]})


def test_reviews_may_have_no_author_rating_or_avatar(components: dict[str, Any]) -> None:
    review = {"id": "5b1c", "author": "a", "author_details": {"name": "", "username": "a", "avatar_path": None, "rating": None}}
    assert errors(components, "Review", review) == []
    assert errors(components, "Review", {**review, "id": 5})


def test_external_ids_are_null_when_unknown(components: dict[str, Any]) -> None:
    assert errors(components, "ExternalIds", {"id": 1, "imdb_id": None, "tvdb_id": None, "wikidata_id": "Q1"}) == []
    assert errors(components, "ExternalIds", {"id": 1, "tvdb_id": "81189"})


def test_change_values_may_be_anything(components: dict[str, Any]) -> None:
    item = {"id": "x", "action": "updated", "time": "2024-01-01 00:00:00 UTC", "value": {"season_id": 1}, "original_value": "a"}
    assert errors(components, "ChangeList", {"changes": [{"key": "season", "items": [item]}]}) == []


def test_release_and_episode_group_types_are_tmdbs_documented_codes(components: dict[str, Any]) -> None:
    release = {"certification": "R", "release_date": "1999-10-15T00:00:00.000Z", "type": 3, "descriptors": []}
    assert errors(components, "ReleaseDate", release) == []
    assert errors(components, "ReleaseDate", {**release, "type": 7})
    assert errors(components, "EpisodeGroup", {"id": "5b11", "type": 6, "network": None}) == []
    assert errors(components, "EpisodeGroup", {"id": "5b11", "type": 0})
