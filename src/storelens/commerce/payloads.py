"""Reading WooCommerce payload values: lenient ints and strings, customer keys, one copy per id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def as_int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def as_str(value: Any, limit: int = 0) -> str:
    text = "" if value is None or isinstance(value, bool) else str(value)
    return text[:limit] if limit else text


def email_key(email: str) -> str:
    return f"email:{email}"


def wc_key(wc_id: int) -> str:
    return f"wc:{wc_id}"


def dedupe(payloads: Iterable[dict]) -> list[dict]:
    """Last copy wins: windows overlap at their boundaries and the same id can arrive twice in a page set."""
    by_id: dict[int, dict] = {}
    for payload in payloads:
        if isinstance(payload, dict) and as_int(payload.get("id")) > 0:
            by_id[as_int(payload["id"])] = payload
    return list(by_id.values())
