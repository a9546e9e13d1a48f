"""Query strings as PHP reads them into `$_GET`: `+` is a space, `a[]=1&a[]=2` is an array, later keys win.

WooCommerce signs OAuth requests over `$_GET` (so arrays become `a[0]`), and WordPress validates `status[]`
and comma lists from it; the fake must read a query exactly the same way to accept and refuse the same requests.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

PhpValue = str | dict  # arrays are dicts with str keys ("0", "1", ...) kept in insertion order

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


def _mangle(name: str) -> str:
    # PHP turns spaces and dots in variable names into underscores; a lone "[" as well.
    return name.replace(" ", "_").replace(".", "_")


def parse(query: str) -> dict[str, PhpValue]:
    result: dict[str, PhpValue] = {}
    if not query:
        return result
    for pair in query.split("&"):
        if not pair:
            continue
        raw_key, sep, raw_value = pair.partition("=")
        key = unquote_plus(raw_key)
        value = unquote_plus(raw_value) if sep else ""
        if not key:
            continue
        first = key.find("[")
        if first <= 0 or "]" not in key[first:]:
            name = _mangle(key.replace("[", "_")) if first > 0 else _mangle(key)
            if first == 0:
                continue
            result[name] = value
            continue
        name = _mangle(key[:first])
        subkeys = _BRACKETS.findall(key[first:])
        node = result.get(name)
        if not isinstance(node, dict):
            node = {}
            result[name] = node
        for depth, sub in enumerate(subkeys):
            last = depth == len(subkeys) - 1
            if sub == "":
                numeric = [int(k) for k in node if k.lstrip("-").isdigit()]
                sub = str(max(numeric) + 1 if numeric else 0)
            if last:
                node[sub] = value
            else:
                child = node.get(sub)
                if not isinstance(child, dict):
                    child = {}
                    node[sub] = child
                node = child
    return result


def as_list(value: PhpValue | None) -> list[str]:
    """WordPress `wp_parse_list` for a scalar or an array: "a,b c" -> ["a", "b", "c"]."""
    if value is None:
        return []
    if isinstance(value, dict):
        out: list[str] = []
        for v in value.values():
            if isinstance(v, str):
                out.append(v)
        return out
    return [p for p in re.split(r"[\s,]+", value) if p]
