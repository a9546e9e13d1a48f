"""The fast JSON path gives exactly what the standard library gives, or steps aside."""

from __future__ import annotations

import json

import pytest

from storelens.woocommerce import fastjson
from storelens.woocommerce.body import parse_json_lenient

SAMPLES = [
    b'[{"id": 1, "total": "10.0000", "meta_data": [{"key": "_x", "value": 1.5}], "ok": true, "none": null}]',
    '{"name": "Caf\\u00e9 \u00e9t\u00e9 \U0001f600", "neg": -0.0, "exp": 1e-7, "big": 9223372036854775807}'.encode(),
    b'{"dup": 1, "dup": 2}',
]


@pytest.mark.parametrize("body", SAMPLES)
def test_fast_decoding_equals_the_standard_library(body: bytes) -> None:
    got = fastjson.loads_exact(body)
    assert got is not fastjson.MISS
    assert got == json.loads(body) and json.dumps(got) == json.dumps(json.loads(body))


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": 123456789012345678901234567890}',  # orjson would turn this into a float
        b'{"x": NaN}',
        b'{"x": "\\ud800"}',  # a lone surrogate
    ],
)
def test_what_orjson_would_change_or_refuse_goes_to_the_standard_library(body: bytes) -> None:
    assert fastjson.loads_exact(body) is fastjson.MISS
    parsed = parse_json_lenient(body)
    assert parsed is not None and repr(parsed.data) == repr(json.loads(body))


def test_a_huge_integer_survives_the_round_trip_into_raw() -> None:
    value = parse_json_lenient(b'[{"id": 7, "meta": 123456789012345678901234567890}]').data
    assert json.loads(fastjson.dumps(value)) == [{"id": 7, "meta": 123456789012345678901234567890}]


@pytest.mark.parametrize("value", [{"a": [1, "é", None, 2.5, True]}, {"s": "\ud800"}, {1: "int key"}, [2**70]])
def test_dumps_reads_back_as_the_same_value(value: object) -> None:
    assert json.loads(fastjson.dumps(value)) == json.loads(json.dumps(value))
