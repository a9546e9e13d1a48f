"""WooCommerce's decimal strings → integer minor units of the currency, never through a float.

The sync asks for `dp=4` so the store does not round stored values to its display decimals; a value with more
precision than the currency's exponent is rounded half-up and reported, so the caller can record a data warning.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_currency_precision


@lru_cache(maxsize=64)
def exponent_of(currency: str) -> int:
    try:
        return int(get_currency_precision((currency or "").upper() or "USD"))
    except Exception:  # an unknown code from a multi-currency plugin: assume cents
        return 2


def parse_decimal(value: object) -> Decimal:
    """`""`, None and booleans (seen from broken plugins) are zero; numbers go through `str` so no float drifts."""
    if value is None or value == "" or isinstance(value, bool):
        return Decimal(0)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return Decimal(0)


class MinorUnits:
    """Converts amounts for one currency and remembers whether any had to be rounded."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.exponent = exponent_of(currency)
        self._quantum = Decimal(1).scaleb(-self.exponent)
        self._scale = Decimal(10) ** self.exponent
        self.rounded: list[str] = []  # a few examples for the data warning (never every value: memory stays flat)
        self.rounded_count = 0

    def __call__(self, value: object) -> int:
        amount = parse_decimal(value)
        exact = amount.quantize(self._quantum, rounding=ROUND_HALF_UP)
        if exact != amount:
            self.rounded_count += 1
            if len(self.rounded) < 3:
                self.rounded.append(str(value))
        return int(exact * self._scale)


def to_minor(value: object, currency: str) -> int:
    return MinorUnits(currency)(value)
