"""Contract failures traced to an overlay that has not landed yet or is wrong, each with its reason.

Marked xfail(strict=False): the test still runs and reports, and passes once the overlay is fixed
(then its entry here should go). Every entry names the example (test id) and the overlay at fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

_NULLABLE_ALLOF = (
    "schema-overlays: `nullable: true` beside `allOf: [$ref]` does not admit null under OAS 3.0.3 (nullable"
    " only widens a `type` in the same schema; the allOf branch still rejects null), so openapi-core rejects"
    " the recorded null of {field}"
)

# example key (test id) -> reason the recorded response fails the final spec
RESPONSE_SCHEMA_DEFECTS: dict[str, str] = {
    "companies_details-200-Details": _NULLABLE_ALLOF.format(field="parent_company"),
    "movies_latest-200-New_Request": _NULLABLE_ALLOF.format(field="belongs_to_collection"),
    "tv_episode_groups_details-200-Details": _NULLABLE_ALLOF.format(field="network"),
    "tv_series_details-200-Details": _NULLABLE_ALLOF.format(field="next_episode_to_air"),
    "tv_series_details-200-Details_series_12_": _NULLABLE_ALLOF.format(field="last/next_episode_to_air"),
    "tv_series_episode_groups-200-Episode_Groups": _NULLABLE_ALLOF.format(field="results[].network"),
    "tv_series_latest-200-New_Request": _NULLABLE_ALLOF.format(field="next_episode_to_air"),
}

ERROR_MODEL_PENDING = (
    "ops-overlays: the shared Error schema and the 401/404/429 responses on every operation have not landed"
)


def with_known_defects(examples: Iterable[Any], defects: dict[str, str]) -> list[Any]:
    """Each example as a pytest param, xfail(strict=False) with its reason if it has a known defect."""
    return [
        pytest.param(ex, id=ex.key, marks=[pytest.mark.xfail(reason=defects[ex.key], strict=False)])
        if ex.key in defects
        else pytest.param(ex, id=ex.key)
        for ex in examples
    ]
