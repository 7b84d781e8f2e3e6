"""Model parsing: each recorded example's `from_dict` (through the endpoint's own `_parse_response`)
against `json.loads` of the same bytes."""

from __future__ import annotations

import json
from typing import Any

import httpx

from bench.examples import Example, endpoint_module
from bench.stats import calibrate, median, per_call, ratio, table

TARGET = 5.0  # from_dict may cost at most this many json.loads


class DecodedResponse(httpx.Response):
    """A response whose .json() returns an already-decoded value, so only from_dict is timed."""

    def __init__(self, status: int, decoded: Any) -> None:
        super().__init__(status)
        self.decoded = decoded

    def json(self, **kwargs: Any) -> Any:
        return self.decoded


def from_dict_ratio(example: Example, client: object, rounds: int, budget: float) -> tuple[float, float]:
    """(µs per from_dict, median over rounds of from_dict time / json.loads time)."""
    parse = endpoint_module(example)._parse_response
    response = DecodedResponse(example.status, json.loads(example.body))

    def convert() -> object:
        return parse(client=client, response=response)

    def decode() -> object:
        return json.loads(example.body)

    convert_n, decode_n = calibrate(convert, budget), calibrate(decode, budget)
    convert_t, decode_t = [], []
    for _ in range(rounds):  # alternating, so load from elsewhere hits both alike
        convert_t.append(per_call(convert, convert_n))
        decode_t.append(per_call(decode, decode_n))
    return median(convert_t) * 1e6, ratio(convert_t, decode_t)


def run(examples: list[Example], rounds: int, budget: float = 0.001, worst: int = 5) -> list[str]:
    from tmdb_generated import Client

    client = Client(base_url="http://127.0.0.1")
    rows: list[tuple[str, int, float, float]] = []  # label, bytes, µs, ratio
    failures: list[list[object]] = []
    for example in examples:
        try:
            micros, relative = from_dict_ratio(example, client, rounds, budget)
        except (TypeError, ValueError, KeyError, AttributeError) as error:  # an example the generated model rejects
            failures.append([example.label, f"{type(error).__name__}: {error}"[:100]])
            continue
        rows.append((example.label, len(example.body), micros, relative))
    rows.sort(key=lambda row: row[3], reverse=True)
    over = sum(1 for row in rows if row[3] > TARGET)
    out = [
        table(
            f"Parsing: worst {worst} of {len(rows)} examples, from_dict vs json.loads (median of {rounds} rounds);"
            f" {over} over {TARGET:g}x",
            ["operation (status, example)", "bytes", "from_dict µs", "from_dict / json.loads"],
            [[*row[:3], f"{row[3]:.2f}x"] for row in rows[:worst]],
        )
    ]
    if failures:
        out.append(
            table(f"Parsing: {len(failures)} examples the generated models reject", ["example", "error"], failures)
        )
    return out
