"""_json.loads: json.loads's results and errors, whichever decoder answered."""

from __future__ import annotations

import json
import math

import pytest
from tmdb_sdk._json import loads


@pytest.mark.parametrize(
    "text",
    [b'{"id": 550, "title": "Fight Club", "adult": false, "x": null}', b"[1, 2.5, \"\\u00e9\"]",
     "{\"k\": \"é\"}", b"9223372036854775807", '{"small": -9223372036854775808}'],
)  # fmt: skip
def test_same_result_as_json(text):
    assert loads(text) == json.loads(text)


def test_what_orjson_refuses_json_still_decodes():
    assert math.isnan(loads(b"NaN"))
    assert loads('{"a": 1}'.encode("utf-16")) == {"a": 1}


@pytest.mark.parametrize("text", [b"", b'{"id": 550, "title": "Fight', b"<html>", b"{'a': 1}"])
def test_same_error_as_json(text):
    with pytest.raises(json.JSONDecodeError) as ours:
        loads(text)
    with pytest.raises(json.JSONDecodeError) as theirs:
        json.loads(text)
    assert (ours.value.msg, ours.value.pos) == (theirs.value.msg, theirs.value.pos)
