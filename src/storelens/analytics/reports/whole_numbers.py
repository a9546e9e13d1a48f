"""Whole numbers typed into a URL: a store or product id, a page number, an order number searched for."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest value of a BIGINT column (ids, WooCommerce ids)


def whole_number(text: str | None, maximum: int = MAX_ID) -> int | None:
    """The number `text` spells in ASCII digits, or None when it spells none a row could hold.

    `str.isdigit` alone let through "²" (int() refuses it), 5,000 digits (int() refuses more than 4,300) and
    numbers past 2^63 - 1 (the database refuses them): each answered 500 (found by tests/test_fuzz_pages.py).
    """
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= maximum else None
