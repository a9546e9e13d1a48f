"""Money at the edges: integer minor units inside, `Decimal` and formatted strings outside.

The number of decimals is the ISO 4217 exponent as babel knows it (JPY 0, USD 2, KWD 3). Sums are always taken over
integers; a `Decimal` appears only when a value leaves the program (CLI, API, page).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision


def exponent(currency: str) -> int:
    """Decimals of the currency (babel's ISO data); unknown codes get 2, as WooCommerce's default `dp` does."""
    try:
        return int(get_currency_precision(currency.upper()))
    except Exception:  # babel raises several types for unknown codes
        return 2


def to_decimal(minor: int, currency: str) -> Decimal:
    """Minor units → Decimal with exactly the currency's decimals (`1999, "USD"` → `Decimal("19.99")`)."""
    places = exponent(currency)
    return (Decimal(int(minor)) / (Decimal(10) ** places)).quantize(Decimal(1).scaleb(-places))


def to_minor(amount: Decimal | str, currency: str) -> int:
    """A decimal amount → minor units, rounded half-up like WooCommerce's `wc_format_decimal`."""
    places = exponent(currency)
    return int((Decimal(str(amount)) * (Decimal(10) ** places)).to_integral_value(rounding=ROUND_HALF_UP))


def decimal_string(minor: int, currency: str) -> str:
    """The machine form used in JSON and CSV: `"158759.89"`."""
    return str(to_decimal(minor, currency))


def divide_minor(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero, for averages kept in minor units (AOV)."""
    if denominator == 0:
        return 0
    return int((Decimal(numerator) / Decimal(denominator)).to_integral_value(rounding=ROUND_HALF_UP))


def display(minor: int, currency: str, locale: str = "en_US") -> str:
    """What a person reads: `$158,759.89`, `1.234,50 €` in de_DE."""
    return format_currency(to_decimal(minor, currency), currency.upper(), locale=locale)
