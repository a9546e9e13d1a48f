"""orjson where it gives exactly what the standard library would, the standard library everywhere else.

A 100-order page is ~400 KB of JSON: decoding it and re-encoding each order for `Order.raw` cost a large share of the
sync's CPU per page. orjson is faster but differs from `json` at the edges, so those edges go to `json`: integers of
20 digits or more (orjson turns integers beyond 64 bits into floats; PHP cannot emit them, a hand-written plugin
response could), and anything orjson refuses (NaN/Infinity, lone surrogates, deep nesting, non-str keys).

One difference is kept on purpose: `dumps` writes NaN and ±Infinity as null. They are not JSON, WordPress's
json_encode cannot produce them (it fails instead), only the lenient standard-library fallback could let one in,
and PostgreSQL's jsonb refuses them outright.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

MISS = object()  # `loads_exact` could not decode the bytes exactly as `json` would: use `json`
_DIGITS_ONLY = bytes(0x30 if 0x30 <= i <= 0x39 else 0x20 for i in range(256))  # every digit → "0", the rest → " "
_TWENTY_DIGITS = b"0" * 20  # 2**64 has 20 digits


def loads_exact(content: bytes) -> Any:
    """The JSON value of `content` (a JSON document and nothing else), or MISS."""
    if _TWENTY_DIGITS in content.translate(_DIGITS_ONLY):  # C-speed scan: ~0.3 ms for a 400 KB page
        return MISS
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return MISS


def dumps(value: Any) -> str:
    """Compact JSON text of `value`; the standard library for what orjson refuses."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError: >64-bit ints, non-str keys, lone surrogates, unknown types
        return json.dumps(value, separators=(",", ":"))


class UnreadableJson(ValueError):
    """A body that is not one JSON document Storelens can read: bad syntax, not UTF-8, or nested too deeply."""


def loads_body(content: bytes) -> Any:
    """The JSON value of a body a store (or anyone) posts to Storelens: the key callback, webhook deliveries, the
    Connector's notices. Raises `UnreadableJson` for anything else, including nesting so deep that the standard
    library runs out of recursion (a RecursionError is not a ValueError, and answered 500 where a 400 belongs)."""
    data = loads_exact(content)
    if data is not MISS:
        return data
    try:
        return json.loads(content.decode("utf-8"))
    except RecursionError:
        raise UnreadableJson("The JSON is nested too deeply.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise UnreadableJson(f"The body is not JSON: {exc}") from None
