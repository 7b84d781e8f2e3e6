"""_json.loads: json.loads's results and errors, whichever decoder answered."""

from __future__ import annotations

import json
import math
import sys

import pytest
from tmdb_sdk import _json
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


def test_orjson_is_loaded_on_the_first_call(monkeypatch):
    import orjson

    monkeypatch.setattr(_json, "_fast", None)
    monkeypatch.setattr(_json, "_refused", ValueError)
    assert loads(b'{"id": 550}') == {"id": 550}
    assert (_json._fast, _json._refused) == (orjson.loads, orjson.JSONDecodeError)
    assert math.isnan(loads(b"NaN"))  # what orjson refuses still goes to json


def test_without_orjson_json_decodes_everything(monkeypatch):
    monkeypatch.setattr(_json, "_fast", None)
    monkeypatch.setattr(_json, "_refused", ValueError)
    monkeypatch.setitem(sys.modules, "orjson", None)  # `import orjson` fails, as on a broken install
    assert loads(b'{"id": 550, "x": [1.5]}') == {"id": 550, "x": [1.5]}
    assert _json._fast is json.loads
    with pytest.raises(json.JSONDecodeError) as caught:
        loads(b"{'a': 1}")
    assert caught.value.pos == 1
