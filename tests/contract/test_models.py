"""Every recorded example through the generated models, and the bookkeeping that no example is lost."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import httpx
import pytest
from tmdb_generated.client import AuthenticatedClient

from .catalog import FINAL_SPEC, ResponseExample, all_response_examples, final_spec, operations, response_examples
from .docs_pages import docs_pages, recorded_examples
from .exchange import as_json
from .jsoncheck import assert_same_json
from .naming import endpoint_module

EXAMPLES = all_response_examples(final_spec())

# Operations with no recorded response: eight whose page records none (favorite TV, convert a
# v4 token, credit details, find by id, the three guest-session rated lists, v4 add items), and
# season changes, whose page recorded a season's details (moved to that operation by overlay 020).
# Pinned so that an overlay dropping an example, or a new page without one, is noticed.
EXPECTED_WITHOUT_EXAMPLE = 9

_OFFLINE_CLIENT = AuthenticatedClient(base_url="http://127.0.0.1:9", token="unused")


def parse_as_generated(example: ResponseExample) -> Any:
    """The generated layer's own parse of the example (its module's response parser, no network)."""
    module = endpoint_module(example.operation)
    response = httpx.Response(int(example.status), json=example.value)
    return module._parse_response(client=_OFFLINE_CLIENT, response=response)  # the parser under test


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.key)
def test_model_round_trip(example: ResponseExample) -> None:
    parsed = parse_as_generated(example)
    assert parsed is not None, f"{example.operation.label}: no model for status {example.status}"
    assert_same_json(example.value, as_json(parsed), f"{example.key}: to_dict() after the generated parse")
    model = type(parsed[0] if isinstance(parsed, list) and parsed else parsed)
    if hasattr(model, "from_dict"):
        again = (
            [model.from_dict(item) for item in example.value]
            if isinstance(parsed, list)
            else model.from_dict(example.value)
        )
        assert_same_json(example.value, as_json(again), f"{example.key}: {model.__name__}.from_dict().to_dict()")


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_every_recorded_example_is_in_the_final_spec() -> None:
    """The docs pages' examples and the final spec's are the same multiset: overlays may move an
    example to its operation, never drop, duplicate or alter one."""
    docs = recorded_examples(docs_pages())
    in_docs = Counter(canonical(ex.value) for ex in docs)
    in_spec = Counter(canonical(ex.value) for ex in EXAMPLES)
    dropped = [
        f"{ex.page} {ex.status} {ex.name!r}"
        for ex in docs
        if in_spec[canonical(ex.value)] < in_docs[canonical(ex.value)]
    ]
    invented = [ex.key for ex in EXAMPLES if in_docs[canonical(ex.value)] < in_spec[canonical(ex.value)]]
    assert not dropped, f"recorded examples missing from (or altered in) {FINAL_SPEC}: {sorted(set(dropped))}"
    assert not invented, (
        f"examples in {FINAL_SPEC} more often than the docs pages record them (duplicated or invented):"
        f" {sorted(set(invented))}"
    )


def test_every_pinned_operation_is_in_the_final_spec() -> None:
    pinned = docs_pages()
    assert len(operations(final_spec())) == len(pinned), "an operation was lost or added between the pages and the spec"


def test_operations_without_recorded_example() -> None:
    missing = [op.label for op in operations(final_spec()) if not response_examples(op)]
    print(f"operations without a recorded example ({len(missing)}):", *missing, sep="\n  ")
    assert len(missing) == EXPECTED_WITHOUT_EXAMPLE, (
        f"{len(missing)} operations have no recorded example, expected {EXPECTED_WITHOUT_EXAMPLE}: {missing}"
    )
