"""Generated tolerance cases for every operation (issue 11).

For each operation's success response, the strategies of tests/reliability/schema_strategies.py
generate each tolerance case the response policy (overlays/049) promises to take: every enum value
one the spec never listed, every optional field absent, every nullable field null, items of a kind
no member names in every mixed-kind list. Each body is first checked to be a body the final spec
documents and to be the case it claims (read back along the schema by body_walk, independently of
the strategy), then served by a local server and read through the generated function, TMDB and
AsyncTMDB: each must parse, and give the body back unchanged through to_dict().

A case is run for an operation only where its schema can show it (an operation without enums has
no unknown-enum case); `optional fields absent` runs for every operation. Derandomized, a few
examples each: `make test` runs them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator

from tests.reliability import spec_index
from tests.reliability.schema_strategies import STRICT, TOLERANCE_CASES, SchemaStrategies
from tests.summary_lines import TOLERANCE_CASE
from tests.tolerance.body_walk import ENUM, MIXED, NULLABLE, Seen, Walker, member_at
from tests.tolerance.calls import Callers, as_json, callers

SPEC = spec_index.load_spec()
WALKER = Walker(SPEC)
# What an operation's schema must be able to show for the case to apply (None: every operation).
NEEDS: dict[str, str | None] = {
    "unknown enum values": ENUM,
    "optional fields absent": None,
    "nullable fields null": NULLABLE,
    "unknown kinds in mixed lists": MIXED,
}
assert set(NEEDS) == set(TOLERANCE_CASES)
OPERATIONS = [op for op in spec_index.operations() if op.success_schema is not None]
CASES = [
    (op, case)
    for op in OPERATIONS
    for case, need in NEEDS.items()
    if need is None or need in WALKER.features(op.success_schema)
]
CASE_SETTINGS = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def request_bodies(op: spec_index.Operation) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments carrying a documented request body (none when the operation takes none)."""
    if op.body_schema is None:
        return st.just({})
    where = f"{op.operation_id} request body"
    return SchemaStrategies(SPEC, STRICT).for_schema(op.body_schema, where).map(lambda body: {"body": body})


def is_the_case(case: str, seen: Seen) -> list[str]:
    """Where the body is not the case it claims to be (empty when it is)."""
    if case == "unknown enum values":
        return [f"{where}: {value!r} is a known value" for where, value, known in seen.enums if known]
    if case == "optional fields absent":
        return [f"{where}: optional field present" for where in seen.optionals]
    if case == "nullable fields null":
        return [f"{where}: nullable but not null" for where, null in seen.nullables if not null]
    if case == "unknown kinds in mixed lists":
        lists = [f"{where}: no item of an unknown kind" for where, unknown in seen.mixed_lists if not unknown]
        # a single mixed-kind value (a tagged image's media) is always of an unknown kind; list items end in [i]
        single = [f"{where}: kind {kind!r}" for where, kind, named in seen.kinds if named and not where.endswith("]")]
        return lists + single
    raise AssertionError(case)


def shown(case: str, seen: Seen) -> int:
    """How many times the body shows the case (an enum, a null, a mixed-kind list...)."""
    return {
        "unknown enum values": len(seen.enums),
        "optional fields absent": 1,
        "nullable fields null": len(seen.nullables),
        "unknown kinds in mixed lists": len(seen.mixed_lists) + len(seen.kinds),
    }[case]


@pytest.fixture(scope="module")
def call() -> Iterator[Callers]:
    """One server and one client of each kind for the module, as a service keeps them."""
    with callers() as three:
        yield three


@pytest.mark.parametrize(("op", "case"), CASES, ids=lambda value: getattr(value, "operation_id", value))
def test_tolerance_case_parses_and_round_trips(op, case, call, record_property):
    validator = OAS30Validator({**op.success_schema, "components": SPEC["components"]})
    bodies = SchemaStrategies(SPEC, TOLERANCE_CASES[case]).for_schema(op.success_schema, op.operation_id)
    shows = generated = passed = 0

    @CASE_SETTINGS
    @given(body=bodies, request=request_bodies(op))
    def check(body: Any, request: dict[str, Any]) -> None:
        nonlocal shows, generated, passed
        generated += 1
        validator.validate(body)  # a body the final spec documents: the policy promises to take it
        seen = WALKER.walk(op.success_schema, body)
        assert is_the_case(case, seen) == [], body
        shows += shown(case, seen)
        results = call.all_three(op, body, request)
        assert [as_json(result) for result in results] == [body, body, body]
        for path, member in seen.members:  # each mixed-kind item in the member its media_type names
            assert [type(member_at(result, path)).__name__ for result in results] == [member] * 3, path
        passed += 1

    try:
        check()
    finally:  # the summary line adds these up from the reports (tests/summary_lines.py), under xdist too
        record_property(TOLERANCE_CASE, (op.operation_id, case, generated, passed))
    assert shows, f"{op.operation_id}: no generated body showed {case!r}"
