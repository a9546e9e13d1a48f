"""WooCommerce's decimal strings → integers, never through a float: order-level amounts in minor units of the
currency, line-level amounts in ten-thousandths of its major unit.

The sync asks for `dp=4` so the store does not round stored values to its display decimals. WooCommerce keeps order
totals rounded to the store's price decimals, so they fit the currency's minor units; a finer one (a store set to more
decimals than its currency has) is rounded half-up and reported. Line amounts (subtotal, total and their taxes) are
kept unrounded by WooCommerce (`24.793388…` for a tax-inclusive price), so we keep them at the precision we asked for,
`LINE_DECIMALS` = 4, and round only where a figure is reported; only a line amount finer than that is reported.

The one money module: integer minor units inside, `Decimal` and formatted strings only at the edges (`to_decimal`,
`decimal_string` for JSON and CSV, `display` for people). The number of decimals is the ISO 4217 exponent as babel
knows it (JPY 0, USD 2, KWD 3); sums are always taken over integers.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision


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


_PLAIN = re.compile(r"(-?)([0-9]+)(?:\.([0-9]*))?")  # what WooCommerce writes: "92.5500", "-3.1", "20"


def scaled(value: object, places: int) -> int | None:
    """`value` × 10**places as an integer when that is exact and `value` is a plain decimal string, else None (the
    caller's Decimal path then parses, rounds and reports it). The same integer `Decimal` gives, without building
    one: a 10k-order import converts ~180k amounts, and the Decimal path was a tenth of the writer's parsing."""
    if type(value) is not str:
        return None
    match = _PLAIN.fullmatch(value)
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    fraction = fraction or ""
    if len(fraction) > places:
        if fraction[places:].strip("0"):
            return None  # finer than `places`: rounded (and reported) by the caller
        fraction = fraction[:places]
    n = int(whole) * 10**places + (int(fraction.ljust(places, "0")) if places else 0)
    return -n if sign else n


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
        fast = scaled(value, self.exponent)
        if fast is not None:
            return fast
        amount = parse_decimal(value)
        exact = amount.quantize(self._quantum, rounding=ROUND_HALF_UP)
        if exact != amount:
            self.rounded_count += 1
            if len(self.rounded) < 3:
                self.rounded.append(str(value))
        return int(exact * self._scale)


def to_minor(value: object, currency: str) -> int:
    return MinorUnits(currency)(value)


LINE_DECIMALS = 4  # the `dp` the sync asks for: line-level `*_e4` columns hold 10⁻⁴ of the currency's major unit
_E4_QUANTUM = Decimal(1).scaleb(-LINE_DECIMALS)
_E4_SCALE = Decimal(10) ** LINE_DECIMALS


def round_half_away(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator rounded half away from zero, in integers (PHP's `round()`, Decimal's ROUND_HALF_UP)."""
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def e4_to_minor(e4: int, currency: str) -> int:
    """Ten-thousandths → minor units, rounded half away from zero once (÷100 for USD, ÷10000 for JPY, ÷10 for BHD)."""
    exponent = exponent_of(currency)
    if exponent >= LINE_DECIMALS:
        return e4 * 10 ** (exponent - LINE_DECIMALS)
    return round_half_away(e4, 10 ** (LINE_DECIMALS - exponent))


def minor_to_e4(minor: int, currency: str) -> int:
    """Minor units → ten-thousandths (exact: ×100 for USD, ×10000 for JPY, ×10 for BHD)."""
    exponent = exponent_of(currency)
    if exponent >= LINE_DECIMALS:
        return round_half_away(minor, 10 ** (exponent - LINE_DECIMALS))
    return minor * 10 ** (LINE_DECIMALS - exponent)


class LineUnits:
    """Converts line-level amounts to ten-thousandths (`*_e4`) and remembers the few that were finer than that."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.rounded: list[str] = []
        self.rounded_count = 0

    def __call__(self, value: object) -> int:
        fast = scaled(value, LINE_DECIMALS)
        if fast is not None:
            return fast
        amount = parse_decimal(value)
        exact = amount.quantize(_E4_QUANTUM, rounding=ROUND_HALF_UP)
        if exact != amount:
            self.rounded_count += 1
            if len(self.rounded) < 3:
                self.rounded.append(str(value))
        return int(exact * _E4_SCALE)

    def minor(self, e4: int) -> int:
        return e4_to_minor(e4, self.currency)


def to_decimal(minor: int, currency: str) -> Decimal:
    """Minor units → Decimal with exactly the currency's decimals (`1999, "USD"` → `Decimal("19.99")`)."""
    places = exponent_of(currency)
    return (Decimal(int(minor)) / (Decimal(10) ** places)).quantize(Decimal(1).scaleb(-places))


def decimal_string(minor: int, currency: str) -> str:
    """The machine form used in JSON and CSV: `"158759.89"`."""
    return str(to_decimal(minor, currency))


def divide_minor(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator rounded half away from zero, for averages kept in minor units (AOV, a median of two);
    0 when there is nothing to divide by."""
    if denominator == 0:
        return 0
    return round_half_away(numerator if denominator > 0 else -numerator, abs(denominator))


def display(minor: int, currency: str, locale: str = "en_US") -> str:
    """What a person reads: `$158,759.89`, `1.234,50 €` in de_DE."""
    return format_currency(to_decimal(minor, currency), currency.upper(), locale=locale)
